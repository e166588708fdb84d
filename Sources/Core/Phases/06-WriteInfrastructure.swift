/// 06 — Stages `src/base/`: the shared CRUD controller, error mapping, pagination and its barrel.
public struct WriteInfrastructurePhase: GenerationPhase {
    public let name = "writeInfrastructure"
    public let order = 6
    public var reads: [AnyContextKey] { [AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["src/base/**", "src/hooks/**"] }
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Write src/base: shared controller, errors, pagination, serialisation"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        try StageFiles.stage(CodeGenerator.infrastructure(), in: try context.require(.transaction))
    }
}
