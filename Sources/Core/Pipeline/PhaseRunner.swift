import Foundation
import Logging

/// Runs registered phases once each, as their dependencies (`PhaseGraph`) allow, and tells
/// observers what happens. It knows no phase by name: conditions, recovery, declarations and
/// outputs are the phases' own; the plan (`RunPlanner`) decides what runs, the `Scheduler`
/// when, the `PhaseExecutor` how one phase goes.
public final class PhaseRunner: @unchecked Sendable {
    private var currentConfig: GeneratorConfig
    /// The configuration the next run uses.
    public var config: GeneratorConfig { lock.withLock { currentConfig } }
    private let logger: Logger
    private var phases: [any GenerationPhase] = []
    private var mailboxes: [ObserverMailbox] = []
    /// What each successful phase of the last runs left behind, by order (for `run(from:)`).
    private var records: [Int: PhaseRecord] = [:]
    private var lastReports: [Int: PhaseReport] = [:]
    private let lock = NSLock()

    /// Every record `logger` gets reaches the observers, tagged with its phase (the plain
    /// reporter prints them by verbosity, the TUI in its log pane). By default nothing else
    /// prints them: a front end shows each record once.
    public init(config: GeneratorConfig, logger: Logger = Logger(label: "phaserunner", factory: { _ in DiscardingLogHandler() })) {
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
                  skippable: p.skippable, unskippableReason: p.unskippableReason, plugin: p.plugin)
    }

    private func post(_ event: RunEvent) {
        for m in lock.withLock({ mailboxes }) { m.post(event) }
    }

    /// Waits until every observer has handled every event posted so far.
    public func drainObservers() async {
        for m in lock.withLock({ mailboxes }) { await m.drain() }
    }

    /// What a run with `config` would run and skip, and why — the same decision a run makes
    /// (front ends show it before the user re-runs, e.g. the TUI's toggles).
    public func preview(_ config: GeneratorConfig) -> RunPlan {
        let context = PhaseContext()
        context[.config] = config
        return RunPlanner(phases: orderedPhases).plan(context, startOrder: 0)
    }

    /// Runs every phase, independent ones at once (at most `config.jobs`).
    public func run() async -> RunReport {
        await execute(from: nil)
    }

    /// Runs again starting at the first phase with `order >= order`, reusing the context
    /// the previous run had built by then. Without a previous run, runs everything.
    public func run(from order: Int) async -> RunReport {
        await execute(from: order)
    }

    /// The context a run starts from and its plan. A re-run restores what the phases before
    /// `startOrder` left (their values and staged files), unless a phase before it would now
    /// be decided differently than in the run being reused: then it starts at that phase (the
    /// plan says why), or from scratch.
    private func prepare(from startOrder: Int?, config: GeneratorConfig, phases: [any GenerationPhase]) -> (PhaseContext, RunPlan) {
        let planner = RunPlanner(phases: phases)
        var from = startOrder
        var startReason: String?
        while true {
            let (saved, reports) = lock.withLock { (records, lastReports) }
            guard let start = from, !saved.isEmpty else {
                let context = PhaseContext()
                context[.config] = config
                let plan = planner.plan(context, startOrder: phases.first?.order ?? 0, requestedStartOrder: startOrder,
                                        startReason: startOrder == nil ? nil : startReason ?? "no earlier run to reuse: running everything")
                return (context, plan)
            }
            let context = restore(saved.filter { $0.key < start }, config: config)
            let plan = planner.plan(context, startOrder: start, requestedStartOrder: startOrder, startReason: startReason)
            guard let earlier = planner.restart(before: start, plan: plan, previous: reports) else {
                return (context, plan)
            }
            let name = plan.entries.first { $0.phase.order == earlier.order }?.phase.name ?? "\(earlier.order)"
            startReason = "starting at \(String(format: "%02d", earlier.order)) \(name): \(earlier.reason)"
            from = earlier.order
        }
    }

    /// A context holding what these phases left, applied in order; the output transaction is
    /// restarted with the files they staged.
    private func restore(_ kept: [Int: PhaseRecord], config: GeneratorConfig) -> PhaseContext {
        let context = PhaseContext()
        for order in kept.keys.sorted() { context.restore(kept[order]?.values ?? [:]) }
        context[.config] = config
        if let transaction = context[.transaction] {
            let sorted = kept.keys.sorted().compactMap { kept[$0] }
            context[.transaction] = transaction.restarted(keeping: sorted.flatMap(\.stagedPaths),
                                                          sealersOf: Set(sorted.map(\.report.phase.name)))
        }
        return context
    }

    private func execute(from startOrder: Int?) async -> RunReport {
        let config = self.config
        let clock = ContinuousClock()
        let runStart = clock.now
        let ordered = orderedPhases
        let graph = PhaseGraph(phases: ordered)
        if startOrder == nil { lock.withLock { records.removeAll() } }
        let (context, plan) = prepare(from: startOrder, config: config, phases: ordered)
        let start = plan.startOrder
        var phaseLogger = logger
        phaseLogger.handler = ForwardingLogHandler(upstream: logger.handler, post: { [weak self] record in self?.post(.log(record)) },
                                                   phase: { PhaseScope.current?.name ?? "" })
        context[.logger] = phaseLogger
        context[.runPlan] = plan
        post(.runStarted(plan))

        // A graph no run can satisfy fails before any phase starts, naming every problem.
        if !graph.problems.isEmpty {
            let failure = PhaseFailure.refused("the phases cannot run: " + graph.problems.map(\.description).joined(separator: "; "))
            let reports = ordered.map { PhaseReport(phase: Self.info($0), status: .notRun, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 0) }
            let total = runStart.duration(to: clock.now)
            let report = RunReport(status: .failed, phases: reports, totalDuration: total, runnerOverhead: total, outputDir: nil, commit: nil, finalizeFailure: failure)
            post(.runFinished(report))
            return report
        }

        let slots = ResultSlots<PhaseReport>(count: ordered.count)
        var pending: [Int] = []
        for (i, p) in ordered.enumerated() {
            if p.order < start {
                var reused = lock.withLock { lastReports[p.order] } ?? PhaseReport(phase: Self.info(p), status: .reused, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 0)
                if reused.status == .succeeded || reused.status == .cached { reused.status = .reused }
                reused.start = nil
                reused.end = nil
                slots[i] = reused
            } else {
                pending.append(i)
            }
        }
        let cacheSession = config.cache.directory(outputDir: config.outputDir).map {
            PhaseCacheSession(store: CacheStore(directory: $0, limitBytes: config.cacheLimitBytes), phases: ordered)
        }
        let executor = PhaseExecutor(context: context, logger: phaseLogger, failAt: config.failAt, runStart: runStart,
                                     post: { [weak self] event in self?.post(event) }, cache: cacheSession)
        let jobs = config.effectiveJobs
        let outcome = await Scheduler(graph: graph, jobs: jobs).run(pending) { i in
            let (report, stop) = await executor.run(ordered[i], entry: plan.entries[i])
            slots[i] = report
            return stop
        }
        let reports = ordered.indices.map { i in
            slots[i] ?? PhaseReport(phase: Self.info(ordered[i]), status: .notRun, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 0)
        }
        var status = RunStatus.succeeded
        // A phase stopped by the cancellation is not a failure of its own.
        if reports.contains(where: { $0.status == .failed && $0.failure != .cancelled && !(Self.recovery(of: $0, in: ordered) == .continueRun && ($0.failure?.isRecoverable ?? false)) }) {
            status = .failed
        } else if outcome.cancelled || !outcome.notStarted.isEmpty || reports.contains(where: { $0.failure == .cancelled }) {
            status = .cancelled
        }
        record(reports, ordered: ordered, graph: graph, context: context)
        for phase in ordered { (phase as? any HoldsUntilRunEnds)?.runEnded() }

        // Finish: commit the output on success, drop it otherwise.
        var commit: CommitSummary?
        var finalizeFailure: PhaseFailure?
        let transaction = context[.transaction]
        let commitStart = clock.now
        // The cache's blobs: hard links to the staged files (before the commit moves them).
        cacheSession?.flush { path, sha in transaction?.stagedCopy(of: path, sha256: sha) }
        if status == .succeeded, let transaction {
            do {
                commit = try transaction.commit()
            } catch is OutputTransaction.SimulatedCrash {
                // The test seam: everything stays as a killed process would leave it.
                finalizeFailure = .other("simulated crash during the commit")
                status = .failed
            } catch {
                finalizeFailure = PhaseFailure.wrap(error)
                status = .failed
                // A commit that failed before its journal leaves staged files: drop them.
                transaction.rollback()
            }
        } else {
            transaction?.rollback()
        }
        let commitTime = commitStart.duration(to: clock.now)
        cacheSession?.finish(outputDir: context[.outputDir]?.path ?? config.outputDir)
        let total = runStart.duration(to: clock.now)
        let durations = reports.map { $0.start == nil ? Duration.zero : $0.duration }
        let critical = graph.criticalPath(durations: durations)
        var report = RunReport(status: status, phases: reports, totalDuration: total,
                               runnerOverhead: total - Self.busyTime(reports) - commitTime,
                               outputDir: context[.outputDir]?.path, commit: commit, finalizeFailure: finalizeFailure)
        report.commitDuration = commitTime
        report.jobs = jobs
        report.criticalPath = critical.length
        report.criticalPhases = critical.phases.map { ordered[$0].name }
        report.phaseSum = durations.reduce(.zero, +)
        report.cache = cacheSession?.currentStats
        post(.runFinished(report))
        return report
    }

    private static func recovery(of report: PhaseReport, in phases: [any GenerationPhase]) -> PhaseRecovery {
        phases.first { $0.name == report.phase.name && $0.order == report.phase.order }?.recovery ?? .none
    }

    /// Time during which at least one phase was running (the union of their intervals).
    static func busyTime(_ reports: [PhaseReport]) -> Duration {
        let intervals = reports.compactMap { r -> (Duration, Duration)? in
            guard let s = r.start, let e = r.end else { return nil }
            return (s, e)
        }.sorted { $0.0 < $1.0 }
        var busy = Duration.zero
        var current: (Duration, Duration)?
        for (s, e) in intervals {
            if let c = current, s <= c.1 {
                current = (c.0, max(c.1, e))
            } else {
                if let c = current { busy += c.1 - c.0 }
                current = (s, e)
            }
        }
        if let c = current { busy += c.1 - c.0 }
        return busy
    }

    /// Keeps what each successful phase left, for `run(from:)`: the values it declares it
    /// writes (every value for a phase that declares none) and the paths it staged.
    private func record(_ reports: [PhaseReport], ordered: [any GenerationPhase], graph: PhaseGraph, context: PhaseContext) {
        let transaction = context[.transaction]
        var fresh: [Int: PhaseRecord] = [:]
        for (i, r) in reports.enumerated() where r.status == .succeeded || r.status == .cached {
            let p = ordered[i]
            let node = graph.nodes[i]
            let declares = !(node.reads.isEmpty && node.writes.isEmpty && node.outputs.isEmpty)
            let values = declares ? context.values(named: node.writes.map(\.name)) : context.allValues
            fresh[p.order] = PhaseRecord(report: r, values: values, stagedPaths: transaction?.stagedPaths(by: p.name) ?? [])
        }
        lock.withLock {
            for r in reports where r.status != .reused { lastReports[r.phase.order] = r }
            for (order, rec) in fresh { records[order] = rec }
            for r in reports where r.status != .reused && r.status != .succeeded && r.status != .cached { records.removeValue(forKey: r.phase.order) }
        }
    }
}

/// Keeps nothing, at `.info` and above (swift-log's no-op handler is fixed at `.critical`,
/// which would filter records out before the observers see them).
public struct DiscardingLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public init() {}
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    public func log(event: LogEvent) {}
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
