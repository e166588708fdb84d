/// 11 — Standalone mode: package.json, tsconfig, env, app/server/db/config/logger, README
/// and the Prisma schema, so the output runs on its own.
public struct WriteStandalonePhase: StandaloneOnlyPhase {
    public let name = "writeStandalone"
    public let order = 11
    public var reads: [AnyContextKey] { [AnyContextKey(.apiPlan), AnyContextKey(.config), AnyContextKey(.compiledSchema), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["package.json", ".env.example", ".gitignore", "README.md", "prisma/**", "src/app.ts", "src/server.ts", "src/config.ts", "src/db.ts", "src/logger.ts", "src/docs.ts"] }
    public let description = "Write a runnable project: package.json, tsconfig, app, server, README, prisma/schema.prisma"
    /// package.json's build and typecheck scripts use the tsconfig files generateTsConfig writes.
    public var requires: [String] { ["generateTsConfig"] }
    public var caching: PhaseCaching { .cached(version: "1") }
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiPlan)
        let config = try context.require(.config)
        let compiled = try context.require(.compiledSchema)
        let name = config.resolvedProjectName
        let files = CodeGenerator.standalone(plan, projectName: name, schema: compiled, options: config.emitOptions)
        return try StageFiles.stage(files, in: try context.require(.transaction))
    }
}
