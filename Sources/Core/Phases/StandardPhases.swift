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

    /// The standard phase that stages the files of a kind (nil for a plugin's files): what a
    /// run without that phase removes from the output.
    public static func producer(of kind: GeneratedFile.Kind) -> String? {
        switch kind {
        case .contract, .validator, .service, .controller, .route: return "writeFiles"
        case .base, .hook: return "writeInfrastructure"
        case .barrel: return "generateBarrels"
        case .openapi: return "generateOpenAPI"
        case .manifest: return "writeManifest"
        case .tsconfig: return "generateTsConfig"
        case .standalone: return "writeStandalone"
        case .test: return "writeTests"
        case .plugin: return nil
        }
    }

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
