import Foundation
import Logging

/// Runs one phase of a plan: its skip decision, `--fail-at`, retries, and the events and
/// report that say how it went. Each phase runs in its own `PhaseScope`, so phases running
/// at once keep their logs and progress apart.
struct PhaseExecutor: Sendable {
    let context: PhaseContext
    let logger: Logger
    let failAt: String?
    let runStart: ContinuousClock.Instant
    let post: @Sendable (RunEvent) -> Void
    /// The phase cache, when it is on.
    var cache: PhaseCacheSession?

    /// The report, and whether the run must stop (a failure the phase cannot continue past).
    func run(_ phase: any GenerationPhase, entry: RunPlan.Entry) async -> (PhaseReport, stop: Bool) {
        let info = entry.phase
        let progress = ProgressReporter { [post] done, total, message in post(.phaseProgress(info, done: done, total: total, message: message)) }
        let parts = PartCache(session: phase.caching.isCached ? cache : nil, phase: phase.name)
        return await PhaseScope.$current.withValue(PhaseScope(name: phase.name, progress: progress, parts: parts)) {
            if let warning = entry.warning { logger.warning("\(warning)") }
            if let reason = entry.skipReason {
                post(.phaseSkipped(info, reason: reason))
                return (PhaseReport(phase: info, status: .skipped, duration: .zero, result: nil, skipReason: reason, failure: nil, attempts: 0), false)
            }
            post(.phaseWillRun(info))
            let clock = ContinuousClock()
            let started = clock.now
            let key = cacheKey(phase)
            if let key, let cache, let hit = try? cache.restore(key, phase: phase, context: context) {
                let ended = clock.now
                let saved = Duration.nanoseconds(hit.saved)
                post(.phaseCached(info, hit.0, restore: started.duration(to: ended), saved: saved))
                post(.phaseContext(info, context.entries(reads: phase.reads, writes: phase.writes)))
                var report = PhaseReport(phase: info, status: .cached, duration: started.duration(to: ended), result: hit.0, skipReason: nil, failure: nil, attempts: 0)
                report.saved = saved
                report.start = runStart.duration(to: started)
                report.end = runStart.duration(to: ended)
                return (report, false)
            }
            let (outcome, attempts) = await attempt(phase)
            let ended = clock.now
            if let key, let cache, case .success(let result) = outcome {
                cache.store(key, phase: phase, context: context, result: result, duration: started.duration(to: ended))
            }
            let duration = started.duration(to: ended)
            var report: PhaseReport
            var stop = false
            switch outcome {
            case .success(let result):
                post(.phaseDidFinish(info, result, duration))
                report = PhaseReport(phase: info, status: .succeeded, duration: duration, result: result, skipReason: nil, failure: nil, attempts: attempts)
            case .failure(let failure):
                post(.phaseFailed(info, failure, duration))
                report = PhaseReport(phase: info, status: .failed, duration: duration, result: nil, skipReason: nil, failure: failure, attempts: attempts)
                stop = !(phase.recovery == .continueRun && failure.isRecoverable)
            }
            report.start = runStart.duration(to: started)
            report.end = runStart.duration(to: ended)
            post(.phaseContext(info, context.entries(reads: phase.reads, writes: phase.writes)))
            return (report, stop)
        }
    }

    /// The phase's cache key, when the cache is on, the phase is cached and is not the one
    /// `--fail-at` names.
    private func cacheKey(_ phase: any GenerationPhase) -> Fingerprint? {
        guard cache != nil, case .cached(let version) = phase.caching, failAt != phase.name else { return nil }
        return cache?.key(for: phase, version: version, context: context)
    }

    /// Executes with the phase's retries; permission errors and `--fail-at` are never retried.
    private func attempt(_ phase: any GenerationPhase) async -> (Result<PhaseResult, PhaseFailure>, Int) {
        let maxAttempts: Int
        if case .retry(let n) = phase.recovery { maxAttempts = max(1, n) } else { maxAttempts = 1 }
        var outcome: Result<PhaseResult, PhaseFailure> = .failure(.other("not run"))
        var attempt = 0
        while attempt < maxAttempts {
            attempt += 1
            do {
                if failAt == phase.name { throw PhaseFailure.injected(phase: phase.name) }
                // Values restored from the cache are loaded (or recomputed) only now, when a
                // phase that executes reads them; a phase that declares nothing may read any.
                let declares = !(phase.reads.isEmpty && phase.writes.isEmpty && phase.outputs.isEmpty)
                try await context.materialize(declares ? phase.reads.map(\.name) : context.deferredNames)
                outcome = .success(try await phase.execute(context))
                break
            } catch {
                let failure = PhaseFailure.wrap(error)
                outcome = .failure(failure)
                if !failure.isRecoverable { break }
                if attempt < maxAttempts { logger.warning("attempt \(attempt) failed: \(failure); retrying") }
            }
        }
        return (outcome, attempt)
    }
}
