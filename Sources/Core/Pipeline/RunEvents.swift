import Foundation
import Logging

/// A phase as the observers see it.
public struct PhaseInfo: Sendable, Hashable {
    public let order: Int
    public let name: String
    public let description: String
    public let condition: String
    public let recovery: PhaseRecovery
    /// Whether the phase may be turned off (see `GenerationPhase.skippable`).
    public let skippable: Bool
    /// Why it cannot be turned off (nil when it can).
    public let unskippableReason: String?
    /// The plugin command when the phase is an external plugin (nil for built-in phases).
    public let plugin: String?

    public init(order: Int, name: String, description: String, condition: String, recovery: PhaseRecovery, skippable: Bool = true,
                unskippableReason: String? = nil, plugin: String? = nil) {
        self.plugin = plugin
        self.order = order
        self.name = name
        self.description = description
        self.condition = condition
        self.recovery = recovery
        self.skippable = skippable
        self.unskippableReason = skippable ? nil : unskippableReason
    }
}

/// What will run, decided before the first phase starts (by `RunPlanner`; the runner
/// follows it and decides nothing else about running or skipping).
public struct RunPlan: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let phase: PhaseInfo
        /// Nil when the phase will run; otherwise why it is skipped.
        public let skipReason: String?
        /// Why it runs although its condition or the configuration says no (e.g. "needed by
        /// writeTests", "cannot be turned off: …", "forced on"); nil when nothing needs saying.
        public let runReason: String?
        /// Something the user asked for that the plan did not do (logged as a warning when
        /// the phase comes up), e.g. a non-skippable phase turned off.
        public let warning: String?
        public init(phase: PhaseInfo, skipReason: String?, runReason: String? = nil, warning: String? = nil) {
            self.phase = phase
            self.skipReason = skipReason
            self.runReason = runReason
            self.warning = warning
        }
    }
    public let entries: [Entry]
    /// The first phase actually executed (later than 0 when re-running from a phase).
    public let startOrder: Int
    /// The order `run(from:)` asked for (nil for a full run). When it differs from
    /// `startOrder`, `startReason` says why the run starts earlier.
    public let requestedStartOrder: Int?
    /// Why the run starts before the requested phase (a phase before it would now be decided
    /// differently than in the run whose results were to be reused).
    public let startReason: String?
    public init(entries: [Entry], startOrder: Int, requestedStartOrder: Int? = nil, startReason: String? = nil) {
        self.entries = entries
        self.startOrder = startOrder
        self.requestedStartOrder = requestedStartOrder
        self.startReason = startReason
    }
    public var phases: [PhaseInfo] { entries.map(\.phase) }
    public func willRun(_ name: String) -> Bool { entries.first { $0.phase.name == name }?.skipReason == nil }
}

public enum PhaseStatus: String, Sendable, Hashable, Codable {
    /// Its work is in the generation: it ran, was restored from the cache, or was reused.
    public var hasOutput: Bool { self == .succeeded || self == .cached || self == .reused }

    case succeeded, failed, skipped, notRun
    /// Reused from the previous run (re-run from a later phase).
    case reused
    /// Restored from the phase cache instead of executed.
    case cached
}

public enum RunStatus: String, Sendable, Hashable, Codable {
    case succeeded, failed, cancelled
}

public struct PhaseReport: Sendable, Hashable {
    public let phase: PhaseInfo
    public var status: PhaseStatus
    public var duration: Duration
    public var result: PhaseResult?
    public var skipReason: String?
    public var failure: PhaseFailure?
    public var attempts: Int
    /// For a cached phase: how long executing it took when it was stored, minus the restore.
    public var saved: Duration?
    /// When the phase started and ended, from the start of the run (nil when it did not run),
    /// so front ends can show which phases overlapped.
    public var start: Duration?
    public var end: Duration?

    public init(phase: PhaseInfo, status: PhaseStatus, duration: Duration, result: PhaseResult?, skipReason: String?,
                failure: PhaseFailure?, attempts: Int) {
        self.phase = phase
        self.status = status
        self.duration = duration
        self.result = result
        self.skipReason = skipReason
        self.failure = failure
        self.attempts = attempts
    }
}

/// What the output transaction did at commit.
public struct CommitSummary: Sendable, Hashable {
    public var written: Int = 0
    public var unchanged: Int = 0
    public var deleted: Int = 0
    public init(written: Int = 0, unchanged: Int = 0, deleted: Int = 0) {
        self.written = written
        self.unchanged = unchanged
        self.deleted = deleted
    }
}

public struct RunReport: Sendable, Hashable {
    public var status: RunStatus
    public var phases: [PhaseReport]
    public var totalDuration: Duration
    /// Time spent in the runner itself (total minus the phases' own time and the commit).
    public var runnerOverhead: Duration
    /// Time the output transaction took to commit (or roll back).
    public var commitDuration: Duration = .zero
    public var outputDir: String?
    public var commit: CommitSummary?
    /// Failure outside any phase (e.g. the commit).
    public var finalizeFailure: PhaseFailure?
    /// How many phases could run at once.
    public var jobs: Int = 1
    /// The longest chain of dependent phase durations: the least time the phases can take.
    public var criticalPath: Duration = .zero
    /// The names of the phases on that chain, in order.
    public var criticalPhases: [String] = []
    /// The sum of every phase's duration (what a sequential run would spend in phases).
    public var phaseSum: Duration = .zero
    /// The phase cache's figures for this run (nil when the cache was off).
    public var cache: CacheStats?

    public init(status: RunStatus, phases: [PhaseReport], totalDuration: Duration, runnerOverhead: Duration,
                outputDir: String?, commit: CommitSummary?, finalizeFailure: PhaseFailure?) {
        self.status = status
        self.phases = phases
        self.totalDuration = totalDuration
        self.runnerOverhead = runnerOverhead
        self.outputDir = outputDir
        self.commit = commit
        self.finalizeFailure = finalizeFailure
    }

    public var failedPhase: PhaseReport? { phases.first { $0.status == .failed } }
    public var filesWritten: Int { phases.reduce(0) { $0 + ($1.result?.filesWritten ?? 0) } }
    public var bytesWritten: Int { phases.reduce(0) { $0 + ($1.result?.bytes ?? 0) } }
}

/// A log record emitted while a phase ran.
public struct LogRecord: Sendable, Hashable {
    public let level: Logger.Level
    public let message: String
    public let phase: String?
}

/// Everything observers hear, in order.
public enum RunEvent: Sendable {
    case runStarted(RunPlan)
    case phaseWillRun(PhaseInfo)
    case phaseProgress(PhaseInfo, done: Int, total: Int, message: String)
    case phaseDidFinish(PhaseInfo, PhaseResult, Duration)
    /// Restored from the phase cache: what it had produced, the time restoring took and the
    /// time executing took when it was stored.
    case phaseCached(PhaseInfo, PhaseResult, restore: Duration, saved: Duration)
    case phaseSkipped(PhaseInfo, reason: String)
    case phaseFailed(PhaseInfo, PhaseFailure, Duration)
    /// After a phase ended (finished, failed or restored): the context values it read and
    /// wrote, as they stand then (for the phase inspector).
    case phaseContext(PhaseInfo, [ContextEntry])
    case log(LogRecord)
    case runFinished(RunReport)
}

/// Receives run events. Called on a queue of its own, never on the runner's path.
public protocol PhaseObserver: AnyObject, Sendable {
    func handle(_ event: RunEvent)
}

/// A closure as an observer.
public final class ClosureObserver: PhaseObserver, @unchecked Sendable {
    private let body: @Sendable (RunEvent) -> Void
    public init(_ body: @escaping @Sendable (RunEvent) -> Void) { self.body = body }
    public func handle(_ event: RunEvent) { body(event) }
}

/// Delivers events to one observer on its own serial queue, so a slow observer
/// never blocks the runner; `drain()` waits until it has seen everything sent.
final class ObserverMailbox: @unchecked Sendable {
    let observer: any PhaseObserver
    private let queue: DispatchQueue

    init(_ observer: any PhaseObserver, index: Int) {
        self.observer = observer
        queue = DispatchQueue(label: "phaserunner.observer.\(index)")
    }

    func post(_ event: RunEvent) {
        let observer = self.observer
        queue.async { observer.handle(event) }
    }

    func drain() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async { c.resume() }
        }
    }
}

/// Reports progress from inside a phase (`context.progress(done, total, message)`).
public struct ProgressReporter: Sendable {
    let emit: @Sendable (Int, Int, String) -> Void
    public init(_ emit: @escaping @Sendable (Int, Int, String) -> Void) { self.emit = emit }
    public func callAsFunction(_ done: Int, _ total: Int, _ message: String) { emit(done, total, message) }
    public static let none = ProgressReporter { _, _, _ in }
}

