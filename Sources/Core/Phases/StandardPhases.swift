/// The 13 standard phases, in order.
public enum StandardPhases {
    public static var all: [any GenerationPhase] {
        [
            SetupOutputDirPhase(), ParseSchemaPhase(), ValidateSchemaPhase(), AnalyzeRelationshipsPhase(),
            GenerateCodePhase(), WriteFilesPhase(), WriteInfrastructurePhase(), GenerateBarrelsPhase(),
            GenerateOpenAPIPhase(), WriteManifestPhase(), GenerateTsConfigPhase(), WriteStandalonePhase(), WriteTestsPhase(),
        ]
    }

    public static var names: [String] { all.map(\.name) }

    /// A runner with the standard phases registered.
    public static func runner(config: GeneratorConfig) -> PhaseRunner {
        let r = PhaseRunner(config: config)
        r.register(contentsOf: all)
        return r
    }
}

/// Phases that only run in standalone mode (the project scaffolding and its tests).
public protocol StandaloneOnlyPhase: GenerationPhase {}

public extension StandaloneOnlyPhase {
    var condition: String { "standalone mode only" }
    func shouldRun(_ context: PhaseContext) -> Bool { context[.config]?.standalone ?? false }
    func skipReason(_ context: PhaseContext) -> String { "standalone mode is off" }
}
