import Foundation

/// One file an emitter produced: a path relative to the output directory and its contents.
/// Emitters are pure; only the output transaction writes these to disk.
public struct GeneratedFile: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case contract, validator, service, controller, route, base, barrel, openapi, manifest, tsconfig, standalone, test
        /// A file the user may replace (`src/hooks/`): written when absent or still as generated;
        /// once the user edits it, later runs keep their version.
        case hook
        /// Written by an external plugin phase.
        case plugin
    }

    public let path: String
    public let contents: String
    public let kind: Kind
    /// The model this file belongs to, if any.
    public let model: String?
    /// The sha256 of `contents` (hex) when it is already known (a file read back from the phase
    /// cache, whose blobs are named by it), so staging need not hash it again. Not part of the
    /// file's identity: equality and hashing ignore it.
    public let knownSHA256: String?

    public init(path: String, contents: String, kind: Kind, model: String? = nil) {
        self.init(path: path, contents: contents, kind: kind, model: model, knownSHA256: nil)
    }

    init(path: String, contents: String, kind: Kind, model: String?, knownSHA256: String?) {
        self.path = path
        self.contents = contents
        self.kind = kind
        self.model = model
        self.knownSHA256 = knownSHA256
    }

    private enum CodingKeys: String, CodingKey { case path, contents, kind, model }

    public static func == (a: GeneratedFile, b: GeneratedFile) -> Bool {
        a.path == b.path && a.contents == b.contents && a.kind == b.kind && a.model == b.model
    }

    public func hash(into h: inout Hasher) {
        h.combine(path)
        h.combine(contents)
        h.combine(kind)
        h.combine(model)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(path: try c.decode(String.self, forKey: .path), contents: try c.decode(String.self, forKey: .contents),
                  kind: try c.decode(Kind.self, forKey: .kind), model: try c.decodeIfPresent(String.self, forKey: .model))
    }

    public var bytes: Int { contents.utf8.count }
}

/// Which files were generated, without their contents: what barrels are made of (so a change
/// inside a file leaves its barrels, and the phase that writes them, cached).
public struct GeneratedListing: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public let path: String
        public let model: String?
    }
    public let entries: [Entry]

    public init(_ files: [GeneratedFile]) { entries = files.map { Entry(path: $0.path, model: $0.model) } }
    init(entries: [Entry]) { self.entries = entries }
}

/// An indentation-aware text builder for generated code: every line is appended to one
/// growing buffer (no array of lines joined at the end, no indentation string per line).
public struct CodeWriter {
    private var buffer = ""
    private var lineCount = 0
    private var level = 0
    private let unit: String

    public init(indent: String = "  ") {
        unit = indent
        buffer.reserveCapacity(4096)
    }

    public mutating func line(_ s: String = "") { line(Substring(s)) }

    private mutating func line(_ s: Substring) {
        if !s.isEmpty {
            for _ in 0..<level { buffer += unit }
            buffer += s
        }
        buffer += "\n"
        lineCount += 1
    }

    /// Each line of `block` (split at `\n`, empty lines kept), indented.
    public mutating func lines(_ block: String) { lines(Substring(block)) }

    public mutating func lines(_ block: Substring) {
        let utf8 = block.utf8
        var start = utf8.startIndex
        var i = start
        while i < utf8.endIndex {
            if utf8[i] == 10 {
                line(block[start..<i])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        line(block[start..<utf8.endIndex])
    }

    /// `open` then an indented body then `close`.
    public mutating func block(_ open: String, close: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(open)
        level += 1
        body(&self)
        level -= 1
        line(close)
    }

    public mutating func indent(_ body: (inout CodeWriter) -> Void) {
        level += 1
        body(&self)
        level -= 1
    }

    /// TSDoc from a `///` comment (sanitised against `*/`).
    public mutating func doc(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        // Most comments hold no `*/`: checked on the bytes before any replacing.
        let safe = Naming.containsASCII(text, "*/") ? text.replacingOccurrences(of: "*/", with: "*\\/") : text
        // One line unless a line break byte is there (checked before the Character-wise split).
        let parts = Naming.containsASCII(safe, "\n") ? safe.split(separator: "\n", omittingEmptySubsequences: false) : [Substring(safe)]
        guard parts.count > 1 else {
            line("/** \(safe) */")
            return
        }
        line("/**")
        for p in parts { line(p.isEmpty ? " *" : " * \(p)") }
        line(" */")
    }

    /// The lines, each ending in `\n` (a writer with no lines gives one empty line).
    public var text: String { lineCount == 0 ? "\n" : buffer }
}

/// `s` without leading and trailing line breaks (`\n`, `\r`), found on the bytes: cheaper
/// than Foundation's `trimmingCharacters(in: .newlines)`, which bridges through NSString.
func trimmedNewlines(_ s: String) -> Substring { trimmedNewlines(Substring(s)) }

func trimmedNewlines(_ s: Substring) -> Substring {
    let utf8 = s.utf8
    var start = utf8.startIndex, end = utf8.endIndex
    while start < end, utf8[start] == 10 || utf8[start] == 13 { start = utf8.index(after: start) }
    while end > start {
        let before = utf8.index(before: end)
        guard utf8[before] == 10 || utf8[before] == 13 else { break }
        end = before
    }
    return s[start..<end]
}

/// TypeScript string literal with escapes.
func tsString(_ s: String) -> String { escapedLiteral(s, quote: "'") }

/// A property key: bare when it is a valid identifier, quoted otherwise.
func tsKey(_ s: String) -> String {
    // ASCII letters, digits, `_` and `$`, not starting with a digit (checked on the bytes: this runs for every key).
    var ok = !s.isEmpty
    for (i, b) in s.utf8.enumerated() where ok {
        let letter = (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 36
        ok = letter || (i > 0 && b >= 48 && b <= 57)
    }
    return ok ? s : tsString(s)
}
