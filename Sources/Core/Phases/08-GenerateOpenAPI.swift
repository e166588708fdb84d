/// 08 — Stages `openapi.json` (OpenAPI 3.1) for the routes the app mounts.
public struct GenerateOpenAPIPhase: GenerationPhase {
    public let name = "generateOpenAPI"
    public let order = 8
    public var reads: [AnyContextKey] { [AnyContextKey(.apiPlan), AnyContextKey(.config), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["openapi.json"] }
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Write openapi.json (OpenAPI 3.1) for every route"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiPlan)
        let config = try context.require(.config)
        let title = "\(config.resolvedProjectName) API"
        let (spec, operations) = CodeGenerator.openAPIDocument(plan, title: title, options: config.emitOptions)
        var result = try StageFiles.stage([spec], in: try context.require(.transaction))
        result.counters.append(.init("operations", operations))
        return result
    }
}
