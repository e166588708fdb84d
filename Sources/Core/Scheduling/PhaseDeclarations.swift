/// A context key without its value type: what a phase declares it reads or writes.
public struct AnyContextKey: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// The phase expected to produce the value ("the runner" for what every run provides).
    public let producer: String

    public init<Value>(_ key: ContextKey<Value>) {
        name = key.name
        producer = key.producer
    }

    public var description: String { name }

    /// Keys the runner itself provides before any phase runs.
    public static let runnerProvided: Set<String> = ["config", "logger", "runPlan"]
}

public extension ContextKey {
    /// The key without its value type, for `reads` / `writes` declarations.
    var erased: AnyContextKey { AnyContextKey(self) }
}

/// A part of the output tree a phase stages into: one file (`openapi.json`) or a folder
/// and everything below it (`src/base/**`). Two phases whose parts overlap run one after
/// the other, in `order`.
public struct OutputPattern: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let pattern: String

    public init(_ pattern: String) { self.pattern = pattern }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { pattern }

    /// `src/base/**` → `src/base/`; `**` → `` (everything); nil for a single file.
    var folderPrefix: String? {
        if pattern == "**" { return "" }
        return pattern.hasSuffix("/**") ? String(pattern.dropLast(2)) : nil
    }

    public func overlaps(_ other: OutputPattern) -> Bool {
        switch (folderPrefix, other.folderPrefix) {
        case (nil, nil): return pattern == other.pattern
        case (let a?, nil): return other.pattern.hasPrefix(a)
        case (nil, let b?): return pattern.hasPrefix(b)
        case (let a?, let b?): return a.hasPrefix(b) || b.hasPrefix(a)
        }
    }

    /// Whether a staged file's path falls inside this part of the tree.
    public func contains(path: String) -> Bool {
        if let prefix = folderPrefix { return path.hasPrefix(prefix) }
        return path == pattern
    }
}
