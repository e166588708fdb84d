/// 10 — Standalone mode: the project's TypeScript configuration, `tsconfig.json` (type-checks
/// the app, the tests and the vitest config, no output) and `tsconfig.build.json` (compiles
/// `src/` alone into `dist/`, what `npm run build` and `npm start` use).
public struct GenerateTsConfigPhase: StandaloneOnlyPhase {
    public let name = "generateTsConfig"
    public let order = 10
    public var reads: [AnyContextKey] { [AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["tsconfig.json", "tsconfig.build.json"] }
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Write tsconfig.json (type-check everything) and tsconfig.build.json (src → dist)"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        try StageFiles.stage(CodeGenerator.tsconfigs(), in: try context.require(.transaction))
    }
}
