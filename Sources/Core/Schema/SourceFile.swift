/// One schema file held in memory as UTF-8 bytes, with a line table for
/// turning byte offsets into 1-based line/column positions.
public struct SourceFile: Sendable, Hashable {
    /// The path as given by the user (used verbatim in diagnostics).
    public let path: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of every line.
    public let lineStarts: [Int]

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                starts.append(i + 1)
            } else if b == UInt8(ascii: "\r") {
                if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        self.lineStarts = starts
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// 0-based line index containing `offset`.
    public func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// 1-based line and column (column counts Unicode scalars) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        var column = 1
        var i = lineStarts[line]
        while i < clamped {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // A continuation byte at the start would over-count; offsets always sit on scalar boundaries.
        return SourceLocation(line: line + 1, column: column)
    }

    /// Text of the 1-based line `line`, without its terminator.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The part of line `line` (1-based) around byte `offset`: at most `before` characters
    /// before it and `after` from it, with "…" where the line was cut, and how many characters
    /// of the excerpt come before `offset`. Reads only the excerpt's bytes, so a line of
    /// megabytes costs no more than a short one.
    public func lineExcerpt(_ line: Int, around offset: Int, before: Int = 80, after: Int = 160) -> (text: String, offsetColumn: Int) {
        guard line >= 1, line <= lineStarts.count else { return ("", 0) }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let at = max(start, min(offset, end))
        // Walk back `before` scalars and forward `after`, on scalar boundaries.
        var from = at, scalars = 0
        while from > start, scalars < before {
            from -= 1
            while from > start, bytes[from] & 0xC0 == 0x80 { from -= 1 }
            scalars += 1
        }
        var to = at, ahead = 0
        while to < end, ahead < after {
            to += 1
            while to < end, bytes[to] & 0xC0 == 0x80 { to += 1 }
            ahead += 1
        }
        let cutStart = from > start, cutEnd = to < end
        let text = (cutStart ? "…" : "") + String(decoding: bytes[from..<to], as: UTF8.self) + (cutEnd ? "…" : "")
        return (text, scalars + (cutStart ? 1 : 0))
    }

    public var lineCount: Int { lineStarts.count }

    public func slice(_ span: Span) -> String {
        let s = max(0, min(span.start, bytes.count)), e = max(s, min(span.end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// A half-open byte range `[start, end)` in one source file.
///
/// Stored as 32-bit offsets (12 bytes instead of 24: every token, attribute and field carries
/// spans, and the front end copies them a great deal); schemas are far below 2 GB, and an
/// offset past that is clamped rather than trapped.
public struct Span: Sendable, Hashable, Encodable {
    private var storedFile: Int32
    private var storedStart: Int32
    private var storedEnd: Int32
    public var file: Int {
        get { Int(storedFile) }
        set { storedFile = Int32(clamping: newValue) }
    }
    public var start: Int {
        get { Int(storedStart) }
        set { storedStart = Int32(clamping: newValue) }
    }
    public var end: Int {
        get { Int(storedEnd) }
        set { storedEnd = Int32(clamping: newValue) }
    }
    public init(file: Int, start: Int, end: Int) {
        storedFile = Int32(clamping: file)
        storedStart = Int32(clamping: start)
        storedEnd = Int32(clamping: end)
    }
    private enum CodingKeys: String, CodingKey { case file, start, end }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
    }
    public static let none = Span(file: 0, start: 0, end: 0)
    public func union(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }
}

/// The files of one schema (a single file, or a folder of `.prisma` files).
public struct SourceSet: Sendable {
    public let files: [SourceFile]
    public init(files: [SourceFile]) { self.files = files }
    public init(_ file: SourceFile) { self.files = [file] }

    public func location(of span: Span) -> SourceLocation {
        guard files.indices.contains(span.file) else { return SourceLocation(line: 1, column: 1) }
        return files[span.file].location(of: span.start)
    }
    public func file(of span: Span) -> SourceFile? {
        files.indices.contains(span.file) ? files[span.file] : nil
    }
    public func text(of span: Span) -> String {
        file(of: span)?.slice(span) ?? ""
    }
}
