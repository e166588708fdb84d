/// 09 — Registers `src/manifests/generation.json`. The manifest must list every file of
/// the run, including those later phases stage, so it is sealed when the transaction
/// commits: it then lists exactly what was committed, with sha256 hashes.
public struct WriteManifestPhase: GenerationPhase {
    public let name = "writeManifest"
    public let order = 9
    public var reads: [AnyContextKey] { [AnyContextKey(.apiSummary), AnyContextKey(.config), AnyContextKey(.schemaContent), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["src/manifests/**"] }
    /// Cannot be turned off: the next run needs the manifest to know which files it owns.
    public var skippable: Bool { false }
    public var unskippableReason: String { "the next run needs the manifest to know which files it owns" }
    public var caching: PhaseCaching { .uncached("it registers the manifest, sealed at commit over every file of the run") }
    public let description = "Record generator version, schema hash and every file's sha256 (sealed at commit)"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiSummary)
        let config = try context.require(.config)
        let schemaText = try context.require(.schemaContent)
        let transaction = try context.require(.transaction)
        let options = config.emitOptions
        transaction.addSealer { files in
            CodeGenerator.manifest(plan, schemaText: schemaText, options: options, files: files)
        }
        // The manifest's bytes exist only at commit, when it is sealed over every staged file.
        return PhaseResult(counters: [.init("files so far", transaction.stagedCount)],
                           message: "sealed at commit over every staged file; schema sha256 \(ManifestEmitter.sha256(schemaText).prefix(12))…")
    }
}
