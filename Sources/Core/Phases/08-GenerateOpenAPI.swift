/// 08 — Stages `openapi.json` (OpenAPI 3.1) for the routes the app mounts.
public struct GenerateOpenAPIPhase: GenerationPhase {
    public let name = "generateOpenAPI"
    public let order = 8
    public var reads: [AnyContextKey] { [AnyContextKey(.apiPlan), AnyContextKey(.config), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["openapi.json"] }
    /// Cached whole, and model by model inside (each model's paths and schemas).
    public var caching: PhaseCaching { .cached(version: "2") }
    public let description = "Write openapi.json (OpenAPI 3.1) for every route"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiPlan)
        let config = try context.require(.config)
        let title = "\(config.resolvedProjectName) API"
        let options = config.emitOptions
        let parts = context.parts
        let own = parts.isActive ? plan.ownModelFingerprints() : nil
        // Model by model: a model's part is reused while it and the models it points at are unchanged.
        let (path, bytes, operations) = CodeGenerator.openAPIBytes(plan, title: title, options: options) { m, render in
            guard let own else { return render() }
            return parts.data(m.name, fingerprint: plan.modelFingerprint(m, models: own, options: options), compute: render)
        }
        var result = try StageFiles.stage([.bytes(path: path, kind: .openapi, model: nil, data: bytes)], in: try context.require(.transaction))
        result.counters.append(.init("operations", operations))
        return result
    }
}
