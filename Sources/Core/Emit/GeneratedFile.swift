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

/// An indentation-aware text builder for generated code.
public struct CodeWriter {
    private(set) var lines: [String] = []
    private var level = 0
    private let unit: String

    public init(indent: String = "  ") { unit = indent }

    public mutating func line(_ s: String = "") {
        lines.append(s.isEmpty ? "" : String(repeating: unit, count: level) + s)
    }

    public mutating func lines(_ block: String) {
        for l in block.split(separator: "\n", omittingEmptySubsequences: false) { line(String(l)) }
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
        let parts = safe.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.count == 1 {
            line("/** \(parts[0]) */")
        } else {
            line("/**")
            for p in parts { line(p.isEmpty ? " *" : " * \(p)") }
            line(" */")
        }
    }

    public var text: String { lines.joined(separator: "\n") + "\n" }
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
