/// 07 — Stages `index.ts` barrels per model folder and per layer.
public struct GenerateBarrelsPhase: GenerationPhase {
    public let name = "generateBarrels"
    public let order = 7
    public var reads: [AnyContextKey] { [AnyContextKey(.generatedListing), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["src/contracts/**", "src/validators/**", "src/services/**", "src/controllers/**", "src/routes/**"] }
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Write index.ts barrels for each model folder and each layer"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let listing = try context.require(.generatedListing)
        return try StageFiles.stage(CodeGenerator.barrels(for: listing), in: try context.require(.transaction))
    }
}
