import Foundation

public enum SchemaLoadError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String, String)
    case emptyFolder(String)

    public var description: String {
        switch self {
        case .notFound(let p): return "schema not found: \(p)"
        case .unreadable(let p, let why): return "cannot read \(p): \(why)"
        case .emptyFolder(let p): return "no .prisma files in folder \(p)"
        }
    }
}

/// Reads a schema from disk: one `.prisma` file, or every `.prisma` file of a
/// folder (recursively, sorted by path) as Prisma's multi-file schemas do.
public enum SchemaLoader {
    public static func load(path: String) throws(SchemaLoadError) -> SourceSet {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw .notFound(path)
        }
        if !isDir.boolValue {
            return SourceSet(try readFile(path))
        }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw .unreadable(path, "folder cannot be listed")
        }
        var files: [String] = []
        while let rel = enumerator.nextObject() as? String {
            if rel.hasSuffix(".prisma") { files.append(rel) }
        }
        files.sort()
        guard !files.isEmpty else { throw .emptyFolder(path) }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        var sources: [SourceFile] = []
        for f in files { sources.append(try readFile("\(base)/\(f)")) }
        return SourceSet(files: sources)
    }

    private static func readFile(_ path: String) throws(SchemaLoadError) -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path, "permission denied or not a regular file")
        }
        return SourceFile(path: path, bytes: [UInt8](data))
    }
}

/// Parse + validate in one call: what `check`, `inspect` and the phases use.
/// Schema files and their syntax tree, with the syntax errors found (phase 01's output).
public struct ParsedSchema: Sendable {
    public let sources: SourceSet
    public let ast: SchemaAST
    public let diagnostics: [Diagnostic]

    public init(sources: SourceSet) {
        self.sources = sources
        (ast, diagnostics) = Parser.parse(sources)
    }
}

public struct CompiledSchema: Sendable {
    public let sources: SourceSet
    public let ast: SchemaAST
    public let parseDiagnostics: [Diagnostic]
    public let validation: ValidationResult

    public var model: SchemaModel { validation.model }
    /// Parse and validation diagnostics together, in Prisma's order (stage by stage, each in
    /// source order) and without those of stages Prisma would not have run.
    public let diagnostics: [Diagnostic]
    public var hasErrors: Bool { diagnostics.hasErrors }

    public init(sources: SourceSet) {
        self.init(parsed: ParsedSchema(sources: sources))
    }

    /// Validates a schema parsed before (the syntax tree is not built again).
    public init(parsed: ParsedSchema) {
        sources = parsed.sources
        ast = parsed.ast
        parseDiagnostics = parsed.diagnostics.map { var d = $0; d.stage = .parse; return d }
        validation = SchemaValidator.validate(parsed.ast, sources: parsed.sources)
        diagnostics = DiagnosticStage.prismaOrder(parseDiagnostics + validation.diagnostics)
    }

    public func resolved() -> [ResolvedDiagnostic] {
        diagnostics.map { ResolvedDiagnostic($0, in: sources) }
    }
}
