/// 05 — Stages the generated layer files in the output transaction (on disk, beside
/// the output folder); the output itself changes only when the whole run succeeds.
public struct WriteFilesPhase: GenerationPhase {
    public let name = "writeFiles"
    public let order = 5
    public var reads: [AnyContextKey] { [AnyContextKey(.generatedFiles), AnyContextKey(.transaction)] }
    public var outputs: [OutputPattern] { ["src/contracts/**", "src/validators/**", "src/services/**", "src/controllers/**", "src/routes/**"] }
    public let description = "Write the generated files into the output transaction's staging area"
    public var recovery: PhaseRecovery { .retry(attempts: 2) }
    public var caching: PhaseCaching { .cached(version: "1") }
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let files = try context.require(.generatedFiles)
        let transaction = try context.require(.transaction)
        let progress = context.progress
        return try StageFiles.stage(files, in: transaction, progress: progress)
    }
}

/// Stages files and counts what changed (shared by every phase that writes).
enum StageFiles {
    /// The counters staging reports (recomputed when a cached phase's files are staged again).
    static let counterNames: Set<String> = ["new", "changed", "unchanged"]

    static func stage(_ files: [GeneratedFile], in transaction: OutputTransaction, progress: ProgressReporter = .none) throws -> PhaseResult {
        try stage(files.stageable, in: transaction, progress: progress)
    }

    static func stage(_ files: [StageableFile], in transaction: OutputTransaction, progress: ProgressReporter = .none) throws -> PhaseResult {
        let step = max(1, files.count / 100)
        let total = files.count
        let counts = try transaction.stage(files) { done in
            if done % step == 0 || done == total { progress(done, total, "files") }
        }
        return result(counts, files: files.count, bytes: files.reduce(0) { $0 + $1.bytes })
    }

    /// The result of staging `files` files of `bytes` bytes, as `counts` found them.
    static func result(_ counts: OutputTransaction.StageCounts, files: Int, bytes: Int) -> PhaseResult {
        var parts: [String] = []
        if counts.new > 0 { parts.append("\(counts.new) new") }
        if counts.changed > 0 { parts.append("\(counts.changed) changed") }
        if counts.unchanged > 0 { parts.append("\(counts.unchanged) unchanged") }
        return PhaseResult(filesWritten: files, bytes: bytes,
                           counters: [.init("new", counts.new), .init("changed", counts.changed), .init("unchanged", counts.unchanged)],
                           message: "\(Plural.count(files, "file")) staged" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")))
    }
}
