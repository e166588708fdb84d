import Foundation

/// What one cached phase left behind, stored under its key: the values it wrote, the files it
/// staged (by content address), its result and what executing it took. Entries never hold
/// file contents themselves: files are blobs, shared between entries.
struct CacheEntry: Codable, Sendable, Equatable {
    static let format = 2

    var format = Self.format
    var key: Fingerprint
    /// The phase (or `phase/part` for a per-model piece).
    var phase: String
    var values: [StoredValue] = []
    var files: [FileRef] = []
    var result: StoredResult?
    /// How long executing took, in nanoseconds (the time a hit saves).
    var durationNs: Int64 = 0
    /// Bytes kept in the entry itself (a piece's intermediate data, small and read whole on
    /// every hit: one file instead of an entry and a blob). Never in the JSON form.
    var inline: Data?

    private enum CodingKeys: String, CodingKey { case format, key, phase, values, files, result, durationNs }

    /// Every file the entry names: its staged files and those of values stored as files.
    var allFiles: [FileRef] {
        files + values.flatMap { v -> [FileRef] in
            if case .files(let refs) = v.encoding { return refs }
            return []
        }
    }

    /// A staged or written file: everything but its bytes, which live in the blob `blob`.
    struct FileRef: Codable, Sendable, Equatable {
        var path: String
        var kind: GeneratedFile.Kind
        var model: String?
        var blob: Fingerprint
        var bytes: Int

        init(path: String, kind: GeneratedFile.Kind, model: String?, blob: Fingerprint, bytes: Int) {
            self.path = path
            self.kind = kind
            self.model = model
            self.blob = blob
            self.bytes = bytes
        }

        // Positional (`[path, kind, blob, bytes, model?]`): entries list thousands of files, and
        // keyed objects cost most of the time of decoding them.
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            path = try c.decode(String.self)
            kind = try c.decode(GeneratedFile.Kind.self)
            guard let blob = Fingerprint(hex: try c.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a sha256")
            }
            self.blob = blob
            bytes = try c.decode(Int.self)
            model = c.isAtEnd ? nil : try c.decode(String.self)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(path)
            try c.encode(kind)
            try c.encode(blob.hex)
            try c.encode(bytes)
            if let model { try c.encode(model) }
        }
    }

    /// A written context value, by name.
    struct StoredValue: Codable, Sendable, Equatable {
        var name: String
        var fingerprint: Fingerprint
        var encoding: Encoding

        enum Encoding: Codable, Sendable, Equatable {
            case int(Int)
            case string(String)
            case strings([String])
            case apiSummary(ApiSummary)
            case listing(GeneratedListing)
            /// Generated files, loaded from their blobs when a phase that runs needs them.
            case files([FileRef])
            /// Not stored (an in-memory model): when a phase that runs needs it, the phase that
            /// wrote it is executed again, which gives a value with the same fingerprint.
            case recompute
        }
    }

    // MARK: per-model pieces, as lines

    /// `PhaseResult` as stored.
    struct StoredResult: Codable, Sendable, Equatable {
        var filesWritten: Int
        var bytes: Int
        var warnings: [String]
        var counters: [Counter]
        var message: String?
        struct Counter: Codable, Sendable, Equatable {
            var name: String
            var value: Int
        }

        init(_ r: PhaseResult) {
            filesWritten = r.filesWritten
            bytes = r.bytes
            warnings = r.warnings
            counters = r.counters.map { Counter(name: $0.name, value: $0.value) }
            message = r.message
        }

        var phaseResult: PhaseResult {
            PhaseResult(filesWritten: filesWritten, bytes: bytes, warnings: warnings,
                        counters: counters.map { .init($0.name, $0.value) }, message: message)
        }
    }
}

/// Hits, misses and the time hits saved, for one run (the report's `cache` object).
public struct CacheStats: Sendable, Hashable, Codable {
    public var hits = 0
    public var misses = 0
    /// What the cached phases took when they last executed, minus what restoring them took.
    public var savedNs: Int64 = 0
    /// Entries found damaged (checksum, truncation, foreign format) and ignored.
    public var corrupt = 0
    /// Per-model pieces reused inside phases that ran (e.g. generateCode's models).
    public var partHits = 0
    public var partMisses = 0

    public init() {}

    public var savedMs: Double { Double(savedNs) / 1_000_000 }
    public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
}

/// How entries are written. Files are listed one per line rather than in JSON: phases read
/// hundreds of piece entries per run, and whole-phase entries list thousands of files; JSON
/// decoding would cost more than the rest of a hit.
///
///     phaserunner-part 1            a piece's entry (files only)
///     <key>
///     <phase/part>
///     <durationNs>
///     <file lines>
///
///     phaserunner-data 1            a piece's entry holding its bytes
///     <key>
///     <phase/part>
///     <durationNs>
///     <the bytes, to the end>
///
///     phaserunner-entry 1           any other entry
///     <the entry as JSON, its files left out, on one line>
///     <file lines>
///
/// A file line is `<blob> <bytes> <kind> <model or -> <path>` (the path last: it may hold spaces).
enum CacheEntryCodec {
    static let partHeader = Data("phaserunner-part 1\n".utf8)
    static let entryHeader = Data("phaserunner-entry 1\n".utf8)
    static let dataHeader = Data("phaserunner-data 1\n".utf8)

    static func encode(_ entry: CacheEntry) -> Data? {
        if let inline = entry.inline {
            guard entry.files.isEmpty, entry.values.isEmpty, !entry.phase.utf8.contains(10) else { return nil }
            var out = dataHeader
            out.append(contentsOf: "\(entry.key.hex)\n\(entry.phase)\n\(entry.durationNs)\n".utf8)
            out.append(inline)
            return out
        }
        guard let lines = fileLines(entry.files) else { return nil }
        if entry.values.isEmpty, entry.result == CacheEntry.StoredResult(.empty), !entry.phase.utf8.contains(10) {
            var out = partHeader
            out.append(contentsOf: "\(entry.key.hex)\n\(entry.phase)\n\(entry.durationNs)\n".utf8)
            out.append(lines)
            return out
        }
        var head = entry
        head.files = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(head) else { return nil }
        var out = entryHeader
        out.append(json)
        out.append(UInt8(ascii: "\n"))
        out.append(lines)
        return out
    }

    static func decode(_ body: Data) -> CacheEntry? {
        body.withUnsafeBytes { raw -> CacheEntry? in
            var reader = LineReader(bytes: raw.bindMemory(to: UInt8.self))
            if reader.skip(dataHeader) {
                guard let keyLine = reader.line(), let key = Fingerprint(hex: reader.text(keyLine)),
                      let phaseLine = reader.line(), let durationLine = reader.line(), let duration = reader.int(durationLine) else { return nil }
                var entry = CacheEntry(key: key, phase: reader.text(phaseLine))
                entry.durationNs = Int64(duration)
                entry.result = .init(.empty)
                entry.inline = body[(body.startIndex + reader.i)...]
                return entry
            }
            if reader.skip(partHeader) {
                guard let keyLine = reader.line(), let key = Fingerprint(hex: reader.text(keyLine)),
                      let phaseLine = reader.line(), let durationLine = reader.line(), let duration = reader.int(durationLine),
                      let files = reader.files() else { return nil }
                var entry = CacheEntry(key: key, phase: reader.text(phaseLine))
                entry.durationNs = Int64(duration)
                entry.result = .init(.empty)
                entry.files = files
                return entry
            }
            guard reader.skip(entryHeader), let jsonLine = reader.line(),
                  var entry = try? JSONDecoder().decode(CacheEntry.self, from: Data(UnsafeRawBufferPointer(rebasing: raw[jsonLine]))),
                  let files = reader.files() else { return nil }
            entry.files = files
            return entry
        }
    }

    private static func fileLines(_ files: [CacheEntry.FileRef]) -> Data? {
        var out = Data(capacity: files.count * 120)
        for f in files {
            guard !f.path.utf8.contains(10), f.model.map({ !$0.utf8.contains(32) && !$0.utf8.contains(10) && $0 != "-" }) ?? true else { return nil }
            out.append(contentsOf: "\(f.blob.hex) \(f.bytes) \(f.kind.rawValue) \(f.model ?? "-") \(f.path)\n".utf8)
        }
        return out
    }

    /// Lines of a buffer, scanned on the raw bytes (`Data` slices and `split` are slow).
    private struct LineReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func skip(_ header: Data) -> Bool {
            guard bytes.count >= header.count, header.elementsEqual(bytes[0..<header.count]) else { return false }
            i = header.count
            return true
        }

        mutating func line() -> Range<Int>? {
            guard i < bytes.count, let end = bytes[i...].firstIndex(of: 10) else { return nil }
            defer { i = end + 1 }
            return i..<end
        }

        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }

        func int(_ r: Range<Int>) -> Int? {
            guard !r.isEmpty, r.count < 19 else { return nil }
            var v = 0
            for k in r {
                guard bytes[k] >= 48 && bytes[k] <= 57 else { return nil }
                v = v * 10 + Int(bytes[k] - 48)
            }
            return v
        }

        /// File lines up to the end.
        mutating func files() -> [CacheEntry.FileRef]? {
            var files: [CacheEntry.FileRef] = []
            while i < bytes.count {
                guard let r = line() else { return nil }
                var cuts: [Int] = []
                var k = r.lowerBound
                while k < r.upperBound, cuts.count < 4 {
                    if bytes[k] == 32 { cuts.append(k) }
                    k += 1
                }
                guard cuts.count == 4, let blob = Fingerprint(hex: text(r.lowerBound..<cuts[0])),
                      let size = int((cuts[0] + 1)..<cuts[1]),
                      let kind = GeneratedFile.Kind(rawValue: text((cuts[1] + 1)..<cuts[2])) else { return nil }
                let model = text((cuts[2] + 1)..<cuts[3])
                files.append(.init(path: text((cuts[3] + 1)..<r.upperBound), kind: kind, model: model == "-" ? nil : model, blob: blob, bytes: size))
            }
            return files
        }
    }
}
