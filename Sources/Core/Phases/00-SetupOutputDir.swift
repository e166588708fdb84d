import Foundation

/// 00 — Resolves the output directory, checks that it and the folder holding it are writable,
/// locks it against other runs (`OutputLock`), finishes or undoes a commit a killed run left
/// behind, and opens the output transaction (refusing a foreign non-empty folder).
public struct SetupOutputDirPhase: GenerationPhase {
    public let name = "setupOutputDir"
    public let order = 0
    public var reads: [AnyContextKey] { [AnyContextKey(.config)] }
    public var writes: [AnyContextKey] { [AnyContextKey(.outputDir), AnyContextKey(.transaction)] }
    /// Cannot be turned off: every later phase needs what it produces.
    public var skippable: Bool { false }
    public var unskippableReason: String { "it opens the output transaction every later phase writes into" }
    public var caching: PhaseCaching { .uncached("it opens the output transaction and recovers interrupted commits (side effects on the output folder)") }
    public let description = "Resolve the output folder, recover an interrupted commit, open the output transaction"
    public var recovery: PhaseRecovery { .retry(attempts: 2) }
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let config = try context.require(.config)
        let out = URL(fileURLWithPath: config.outputDir).standardizedFileURL
        // Fail here, naming the folder, rather than phases later with a staging file.
        let work = OutputTransaction.workDir(for: out)
        try WritableFolder.require(out.deletingLastPathComponent(),
                                   purpose: "it must hold the output folder \(out.lastPathComponent) and the work folder \(work.lastPathComponent)")
        if FileManager.default.fileExists(atPath: out.path) {
            try WritableFolder.require(out, purpose: "it is the output folder")
        }
        // One run at a time writes into a folder: the lock is held until the commit or the
        // rollback, and taken before an interrupted commit is recovered.
        let lock: OutputLock
        do {
            lock = try await OutputLock.acquire(outputDir: out, wait: config.lockWait)
        } catch let failure as OutputLock.Failure {
            throw failure.phaseFailure
        }
        if let earlier = lock.tookOver {
            context[.logger]?.warning("took over the lock of an earlier run (\(earlier)) that ended without releasing it")
        }
        var message = out.path
        if let recovered = try OutputTransaction.recover(outputDir: out) {
            switch recovered {
            case .completed: message += " (finished a commit an earlier run was killed in)"
            case .undone: message += " (undid a commit an earlier run was killed in)"
            case .cleaned: message += " (removed leftovers of an unfinished run)"
            }
            context[.logger]?.notice("\(message)")
        }
        // With a phase cache, the output's file stats live beside it: unchanged files are not read.
        let stats = config.cache.directory(outputDir: config.outputDir).map { OutputStatCache.location(cacheDir: $0, outputDir: out) }
        let transaction = try OutputTransaction(outputDir: out, force: config.force, statCache: stats, lock: lock,
                                                keepsText: config.keepsStagedText)
        context[.outputDir] = out
        context[.transaction] = transaction
        return PhaseResult(counters: [.init("previously generated files", transaction.previousManifestPaths.count)], message: message)
    }
}
