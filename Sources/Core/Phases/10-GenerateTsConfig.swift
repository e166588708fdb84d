/// 10 — Stages `tsconfig.paths.json` inside the output folder (never anywhere else).
/// Optional: the generated code does not need it, so a failure does not stop the run.
public struct GenerateTsConfigPhase: GenerationPhase {
    public let name = "generateTsConfig"
    public let order = 10
    public let description = "Write tsconfig.paths.json (the @gen/* alias) inside the output folder"
    public var recovery: PhaseRecovery { .continueRun }
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        _ = try context.require(.pathsConfig)
        return try StageFiles.stage([CodeGenerator.tsconfigPaths()], in: try context.require(.transaction))
    }
}
