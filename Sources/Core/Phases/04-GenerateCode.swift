/// 04 — Emits contracts, validators, services, controllers and routes (in memory), model by model.
public struct GenerateCodePhase: GenerationPhase {
    public let name = "generateCode"
    public let order = 4
    public var reads: [AnyContextKey] { [AnyContextKey(.apiPlan)] }
    public var writes: [AnyContextKey] { [AnyContextKey(.generatedFiles), AnyContextKey(.generatedListing), AnyContextKey(.totalFiles)] }
    /// Cannot be turned off: every later phase needs what it produces.
    public var skippable: Bool { false }
    /// Cached whole, and model by model inside: a run after an edit re-emits only the
    /// models whose files depend on what changed.
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Emit DTOs, Zod validators, services, controllers and routes per model"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let plan = try context.require(.apiPlan)
        let progress = context.progress
        let parts = context.parts
        let own = parts.isActive ? plan.ownModelFingerprints() : nil
        let pieces = ResultSlots<Fingerprint>(count: plan.models.count)
        let index = Dictionary(plan.models.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let files = CodeGenerator.modelFiles(plan, progress: { done, total, model in progress(done, total, model) },
                                             shared: StageableFile.emitted) { m, emit in
            guard let own else { return emit().stageable }
            let fingerprint = plan.modelFingerprint(m, models: own, options: .init())
            if let i = index[m.name] { pieces[i] = fingerprint }
            return parts.files(m.name, fingerprint: fingerprint, compute: emit)
        }
        if own != nil {
            // The files are what the models' pieces and the plan-wide files make: their
            // fingerprints stand for the whole (no need to hash megabytes of output again).
            var f = Fingerprinter("generateCode.files")
            for i in plan.models.indices { if let p = pieces[i] { f.add(p) } else { f.addNil() } }
            for file in files where file.model == nil { f.add(file.path); f.add(file.contentFingerprint) }
            context.set(.generatedFiles, files, fingerprint: f.finalize())
        } else {
            context[.generatedFiles] = files
        }
        context[.generatedListing] = GeneratedListing(files)
        context[.totalFiles] = files.count
        var counters: [PhaseResult.Counter] = []
        for kind in [GeneratedFile.Kind.contract, .validator, .service, .controller, .route] {
            counters.append(.init(kind.rawValue + "s", files.filter { $0.kind == kind }.count))
        }
        return PhaseResult(bytes: files.reduce(0) { $0 + $1.bytes }, counters: counters,
                           message: "\(Plural.count(files.count, "file")) for \(Plural.count(plan.models.count, "model")), in memory (written by writeFiles)")
    }
}
