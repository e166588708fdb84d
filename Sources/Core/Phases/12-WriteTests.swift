/// 12 — Standalone mode: vitest + supertest tests that exercise the API over HTTP.
public struct WriteTestsPhase: StandaloneOnlyPhase {
    public let name = "writeTests"
    public let order = 12
    public var reads: [AnyContextKey] { [AnyContextKey(.apiPlan), AnyContextKey(.config), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["tests/**", "vitest.config.ts"] }
    public let description = "Write vitest + supertest tests for every model's endpoints"
    /// The tests run against the project writeStandalone writes (package.json, app, server).
    public var requires: [String] { ["writeStandalone"] }
    /// Cached whole, and model by model inside (see `CodeGenerator.testDependencies`).
    public var caching: PhaseCaching { .cached(version: "2") }
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiPlan)
        let config = try context.require(.config)
        let options = config.emitOptions
        let parts = context.parts
        let own = parts.isActive ? plan.ownModelFingerprints() : nil
        // Per model: reused while the models its tests read (`testDependencies`) are unchanged.
        let files = CodeGenerator.tests(plan, options: options, shared: StageableFile.emitted) { m, emit in
            guard let own else { return emit().stageable }
            // The route rivals are left out: they change only m's route, which its own fingerprint holds.
            let deps = CodeGenerator.testDataDependencies(of: m, plan: plan)
            return parts.files(m.name, fingerprint: plan.fingerprint(of: m, reading: deps, models: own, options: options), compute: emit)
        }
        return try StageFiles.stage(files, in: try context.require(.transaction))
    }
}
