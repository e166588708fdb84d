/// 12 — Standalone mode: vitest + supertest tests that exercise the API over HTTP.
public struct WriteTestsPhase: StandaloneOnlyPhase {
    public let name = "writeTests"
    public let order = 12
    public var reads: [AnyContextKey] { [AnyContextKey(.apiPlan), AnyContextKey(.config), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["tests/**", "vitest.config.ts"] }
    public let description = "Write vitest + supertest tests for every model's endpoints"
    /// The tests run against the project writeStandalone writes (package.json, app, server).
    public var requires: [String] { ["writeStandalone"] }
    public var caching: PhaseCaching { .cached(version: "1") }
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiPlan)
        let config = try context.require(.config)
        return try StageFiles.stage(CodeGenerator.tests(plan, options: config.emitOptions), in: try context.require(.transaction))
    }
}
