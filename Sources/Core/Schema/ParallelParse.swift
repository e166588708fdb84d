/// Parses a large file in parts on all cores, with the same result as one pass.
///
/// The file is cut after lines that are exactly `}`. A part is parsed as if it were a whole
/// file: the parser starts at the top level with no doc comments pending, which is where one
/// pass stands after a block's closing line. Whether one pass really stands there is checked
/// afterwards: the part before a cut must have closed a block with that very brace (a brace in
/// a comment, in a block that never closed, or on a bad line does not count). When any cut
/// fails the check, the file is parsed again in one pass, so the result never depends on it.
enum ParallelParse {
    /// Smaller files are parsed in one pass (the parts would cost more than they save).
    static let minimumBytes = 48 * 1024
    static let maximumParts = 8

    /// The parts joined (nil: the file is parsed in one pass, small or with a cut that fails).
    static func parse(_ source: SourceFile, fileIndex: Int) -> Parser.Part? {
        let cores = Concurrent.cores
        let bytes = source.bytes
        guard cores > 1, bytes.count >= minimumBytes else { return nil }
        let cuts = cutPoints(bytes, parts: min(cores, maximumParts))
        guard !cuts.isEmpty else { return nil }
        let bounds = [0] + cuts + [bytes.count]
        let ranges = (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
        let parts = ResultSlots<Parser.Part>(count: ranges.count)
        Concurrent.run(ranges.count) { i in
            parts[i] = Parser.parse(source, fileIndex: fileIndex, range: ranges[i])
        }
        var joined = Parser.Part(tops: [], lexDiagnostics: [], diagnostics: [], closedBlockAt: -1)
        for i in ranges.indices {
            guard var part = parts[i] else { return nil }
            // The brace closing the part is the byte before the cut's newline ("}\n" or "}\r\n").
            if i < cuts.count, part.closedBlockAt != braceEnd(before: cuts[i], in: bytes) { return nil }
            joined.tops.appendTaking(&part.tops) // (the first part's list is taken, not copied)
            joined.lexDiagnostics += part.lexDiagnostics
            joined.diagnostics += part.diagnostics
            joined.closedBlockAt = part.closedBlockAt
        }
        return joined
    }

    /// Offsets just after lines that are exactly `}`, one near each of `parts - 1` evenly spaced
    /// places (fewer when the file has too few such lines).
    static func cutPoints(_ bytes: [UInt8], parts: Int) -> [Int] {
        var cuts: [Int] = []
        let needle: [UInt8] = Array("\n}".utf8)
        bytes.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { needle in
                for k in 1..<parts {
                    var from = max(bytes.count * k / parts, (cuts.last ?? 0))
                    while let hit = ByteSearch.first(needle, in: hay, from: from) {
                        from = hit + 2
                        var end = hit + 2
                        if end < hay.count, hay[end] == UInt8(ascii: "\r") { end += 1 }
                        guard end < hay.count, hay[end] == UInt8(ascii: "\n") else { continue }
                        if end + 1 < hay.count, end + 1 > (cuts.last ?? 0) { cuts.append(end + 1) }
                        break
                    }
                }
            }
        }
        return cuts
    }

    /// The end offset of the `}` on the line that ends just before `cut`.
    private static func braceEnd(before cut: Int, in bytes: [UInt8]) -> Int {
        var end = cut - 1 // the newline
        if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return end
    }
}
