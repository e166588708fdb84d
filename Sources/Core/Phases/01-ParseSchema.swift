/// 01 — Reads the schema (a file or a folder of `.prisma` files) and parses it.
/// Syntax errors fail the phase with `file:line:col` diagnostics.
public struct ParseSchemaPhase: GenerationPhase {
    public let name = "parseSchema"
    public let order = 1
    public var reads: [AnyContextKey] { [AnyContextKey(.config)] }
    public var writes: [AnyContextKey] { [AnyContextKey(.sources), AnyContextKey(.parsedSchema), AnyContextKey(.schemaContent)] }
    /// Cannot be turned off: every later phase needs what it produces.
    public var skippable: Bool { false }
    /// Its input is the schema files on disk; the phases after it are keyed by what it read.
    public var caching: PhaseCaching { .uncached("its input is the schema files on disk; later phases are keyed by the text it read") }
    public let description = "Read the .prisma file(s) and parse them into a syntax tree"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let config = try context.require(.config)
        let sources: SourceSet
        do {
            sources = try SchemaLoader.load(path: config.schemaPath)
        } catch {
            throw PhaseFailure.io(path: config.schemaPath, message: error.description)
        }
        let parsed = ParsedSchema(sources: sources)
        let errors = parsed.diagnostics.errors
        if !errors.isEmpty {
            let resolved = errors.map { ResolvedDiagnostic($0, in: sources) }
            throw PhaseFailure.schema(message: "\(errors.count) syntax error\(errors.count == 1 ? "" : "s") in \(config.schemaPath)", diagnostics: resolved)
        }
        context[.sources] = sources
        context[.parsedSchema] = parsed
        context[.schemaContent] = sources.files.map(\.text).joined(separator: "\n")
        let bytes = sources.files.reduce(0) { $0 + $1.bytes.count }
        let blocks = parsed.ast.tops.count
        return PhaseResult(counters: [.init("files", sources.files.count), .init("blocks", blocks), .init("bytes", bytes)],
                           message: "\(sources.files.count) file\(sources.files.count == 1 ? "" : "s"), \(blocks) blocks")
    }
}
