/// 02 — Resolves the syntax tree into the schema model and applies Prisma's rules.
public struct ValidateSchemaPhase: GenerationPhase {
    public let name = "validateSchema"
    public let order = 2
    public var reads: [AnyContextKey] { [AnyContextKey(.parsedSchema)] }
    public var writes: [AnyContextKey] { [AnyContextKey(.compiledSchema), AnyContextKey(.schema), AnyContextKey(.modelNames)] }
    /// Cannot be turned off: every later phase needs what it produces.
    public var skippable: Bool { false }
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Resolve types and relations and apply Prisma's validation rules"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let compiled = CompiledSchema(parsed: try context.require(.parsedSchema))
        let resolved = compiled.resolved()
        let errors = resolved.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw PhaseFailure.schema(message: "\(errors.count) schema error\(errors.count == 1 ? "" : "s")", diagnostics: errors)
        }
        let model = compiled.model
        context[.compiledSchema] = compiled
        context[.schema] = model
        context[.modelNames] = model.models.map(\.name)
        let warnings = resolved.filter { $0.severity == .warning }.map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
        return PhaseResult(warnings: warnings,
                           counters: [.init("models", model.models.filter { !$0.isView }.count), .init("views", model.models.filter(\.isView).count),
                                      .init("enums", model.enums.count), .init("types", model.compositeTypes.count)],
                           message: "\(Plural.count(model.models.count, "model")), \(Plural.count(model.enums.count, "enum"))")
    }
}
