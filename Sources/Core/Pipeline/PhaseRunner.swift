import Foundation
import Logging

/// Runs registered phases in order, once each, and tells observers what happens.
/// It knows no phase by name: conditions, recovery and outputs are the phases' own.
public final class PhaseRunner: @unchecked Sendable {
    private var currentConfig: GeneratorConfig
    /// The configuration the next run uses.
    public var config: GeneratorConfig { lock.withLock { currentConfig } }
    private let logger: Logger
    private var phases: [any GenerationPhase] = []
    private var mailboxes: [ObserverMailbox] = []
    /// Context snapshots taken before each phase of the last run, by order (for `run(from:)`).
    private var snapshots: [Int: PhaseContext] = [:]
    private var lastReports: [Int: PhaseReport] = [:]
    private let lock = NSLock()

    public init(config: GeneratorConfig, logger: Logger = Logger(label: "phaserunner")) {
        self.currentConfig = config
        self.logger = logger
    }

    /// Changes the configuration for the next run (the TUI's toggles).
    public func updateConfig(_ change: (inout GeneratorConfig) -> Void) {
        lock.withLock { change(&currentConfig) }
    }

    public func register(_ phase: any GenerationPhase) {
        lock.withLock { phases.append(phase) }
    }

    public func register(contentsOf list: [any GenerationPhase]) {
        lock.withLock { phases.append(contentsOf: list) }
    }

    public func addObserver(_ observer: any PhaseObserver) {
        lock.withLock { mailboxes.append(ObserverMailbox(observer, index: mailboxes.count)) }
    }

    /// Registered phases sorted by order (stable for equal orders).
    public var orderedPhases: [any GenerationPhase] {
        let list = lock.withLock { phases }
        return list.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
    }

    /// The dependency graph of the registered phases (what waits for what, and why).
    public var graph: PhaseGraph { PhaseGraph(phases: orderedPhases) }

    public static func info(_ p: any GenerationPhase) -> PhaseInfo {
        PhaseInfo(order: p.order, name: p.name, description: p.description, condition: p.condition, recovery: p.recovery,
                  skippable: p.skippable, unskippableReason: p.unskippableReason)
    }

    private func post(_ event: RunEvent) {
        for m in lock.withLock({ mailboxes }) { m.post(event) }
    }

    /// Waits until every observer has handled every event posted so far.
    public func drainObservers() async {
        for m in lock.withLock({ mailboxes }) { await m.drain() }
    }

    /// Runs every phase.
    /// What a run with `config` would run and skip, and why — the same decision a run makes
    /// (front ends show it before the user re-runs, e.g. the TUI's toggles).
    public func preview(_ config: GeneratorConfig) -> RunPlan {
        let context = PhaseContext()
        context[.config] = config
        return RunPlanner(phases: orderedPhases).plan(context, startOrder: 0)
    }

    public func run() async -> RunReport {
        await execute(from: nil)
    }

    /// Runs again starting at the first phase with `order >= order`, reusing the context
    /// the previous run had built by then. Without a previous run, runs everything.
    public func run(from order: Int) async -> RunReport {
        await execute(from: order)
    }

    /// The context a run starts from and its plan. A re-run starts from the snapshot taken
    /// before `startOrder`, unless a phase before it would now be decided differently than in
    /// the run being reused: then from that phase (the plan says why), or from scratch.
    private func prepare(from startOrder: Int?, config: GeneratorConfig, phases: [any GenerationPhase]) -> (PhaseContext, RunPlan) {
        let planner = RunPlanner(phases: phases)
        var from = startOrder
        var startReason: String?
        while true {
            let snap = from.flatMap { s in lock.withLock { snapshots.filter { $0.key >= s }.min { $0.key < $1.key }?.value } }
            guard let start = from, let snap else {
                let context = PhaseContext()
                context[.config] = config
                let plan = planner.plan(context, startOrder: phases.first?.order ?? 0, requestedStartOrder: startOrder,
                                        startReason: startOrder == nil ? nil : startReason ?? "no earlier run to reuse: running everything")
                return (context, plan)
            }
            let context = snap.snapshot()
            context[.config] = config
            let plan = planner.plan(context, startOrder: start, requestedStartOrder: startOrder, startReason: startReason)
            guard let earlier = planner.restart(before: start, plan: plan, previous: lock.withLock { lastReports }) else {
                return (context, plan)
            }
            let name = plan.entries.first { $0.phase.order == earlier.order }?.phase.name ?? "\(earlier.order)"
            startReason = "starting at \(String(format: "%02d", earlier.order)) \(name): \(earlier.reason)"
            from = earlier.order
        }
    }

    private func execute(from startOrder: Int?) async -> RunReport {
        let config = self.config
        let clock = ContinuousClock()
        let runStart = clock.now
        let ordered = orderedPhases
        if startOrder == nil { lock.withLock { snapshots.removeAll() } }
        let (context, plan) = prepare(from: startOrder, config: config, phases: ordered)
        let start = plan.startOrder
        var phaseLogger = logger
        phaseLogger.handler = ForwardingLogHandler(upstream: logger.handler, post: { [weak self] record in self?.post(.log(record)) }, phase: { context.currentPhase })
        context[.logger] = phaseLogger
        context[.runPlan] = plan
        post(.runStarted(plan))

        var reports: [PhaseReport] = []
        var phaseTime = Duration.zero
        var status = RunStatus.succeeded
        var stopped = false
        for (index, p) in ordered.enumerated() {
            let info = Self.info(p)
            if p.order < start {
                var reused = lock.withLock { lastReports[p.order] } ?? PhaseReport(phase: info, status: .reused, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 0)
                if reused.status == .succeeded { reused.status = .reused }
                reports.append(reused)
                continue
            }
            if stopped {
                reports.append(PhaseReport(phase: info, status: .notRun, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 0))
                continue
            }
            if Task.isCancelled {
                status = .cancelled
                stopped = true
                reports.append(PhaseReport(phase: info, status: .notRun, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 0))
                continue
            }
            lock.withLock { snapshots[p.order] = context.snapshot() }
            context.currentPhase = p.name
            let entry = plan.entries[index]
            if let warning = entry.warning { phaseLogger.warning("\(warning)") }
            if let reason = entry.skipReason {
                post(.phaseSkipped(info, reason: reason))
                reports.append(PhaseReport(phase: info, status: .skipped, duration: .zero, result: nil, skipReason: reason, failure: nil, attempts: 0))
                continue
            }
            post(.phaseWillRun(info))
            context[.progress] = ProgressReporter { [weak self] done, total, message in
                self?.post(.phaseProgress(info, done: done, total: total, message: message))
            }
            let maxAttempts: Int
            if case .retry(let n) = p.recovery { maxAttempts = max(1, n) } else { maxAttempts = 1 }
            var attempt = 0
            var outcome: Result<PhaseResult, PhaseFailure> = .failure(.other("not run"))
            let phaseStart = clock.now
            while attempt < maxAttempts {
                attempt += 1
                do {
                    if config.failAt == p.name { throw PhaseFailure.injected(phase: p.name) }
                    outcome = .success(try await p.execute(context))
                    break
                } catch {
                    let failure = PhaseFailure.wrap(error)
                    outcome = .failure(failure)
                    if !failure.isRecoverable { break }
                    if attempt < maxAttempts { phaseLogger.warning("attempt \(attempt) failed: \(failure); retrying") }
                }
            }
            let duration = phaseStart.duration(to: clock.now)
            phaseTime += duration
            context[.progress] = ProgressReporter.none
            switch outcome {
            case .success(let result):
                post(.phaseDidFinish(info, result, duration))
                reports.append(PhaseReport(phase: info, status: .succeeded, duration: duration, result: result, skipReason: nil, failure: nil, attempts: attempt))
            case .failure(let failure):
                post(.phaseFailed(info, failure, duration))
                reports.append(PhaseReport(phase: info, status: .failed, duration: duration, result: nil, skipReason: nil, failure: failure, attempts: attempt))
                if p.recovery == .continueRun, failure.isRecoverable {
                    continue
                }
                status = .failed
                stopped = true
            }
        }
        context.currentPhase = ""
        lock.withLock {
            for r in reports where r.status != .reused { lastReports[r.phase.order] = r }
        }

        // Finish: commit the output on success, drop it otherwise.
        var commit: CommitSummary?
        var finalizeFailure: PhaseFailure?
        let transaction = context[.transaction]
        let commitStart = clock.now
        if status == .succeeded, let transaction {
            do {
                commit = try transaction.commit()
            } catch {
                finalizeFailure = PhaseFailure.wrap(error)
                status = .failed
            }
        } else {
            transaction?.rollback()
        }
        let commitTime = commitStart.duration(to: clock.now)
        let total = runStart.duration(to: clock.now)
        var report = RunReport(status: status, phases: reports, totalDuration: total, runnerOverhead: total - phaseTime - commitTime,
                               outputDir: context[.outputDir]?.path, commit: commit, finalizeFailure: finalizeFailure)
        report.commitDuration = commitTime
        post(.runFinished(report))
        return report
    }
}

/// Sends every log record to the observers (tagged with the running phase) and on to the caller's handler.
struct ForwardingLogHandler: LogHandler {
    var upstream: any LogHandler
    let post: @Sendable (LogRecord) -> Void
    let phase: @Sendable () -> String

    var metadata: Logger.Metadata {
        get { upstream.metadata }
        set { upstream.metadata = newValue }
    }
    var logLevel: Logger.Level {
        get { upstream.logLevel }
        set { upstream.logLevel = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { upstream[metadataKey: key] }
        set { upstream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        let p = phase()
        post(LogRecord(level: event.level, message: event.message.description, phase: p.isEmpty ? nil : p))
        upstream.log(event: event)
    }
}
