import Foundation

/// A phase that holds something between being planned and running (a plugin started and
/// described while the run was planned): the runner lets it go when a run ends, whether or
/// not the phase ran, so nothing idles after a run that skipped it.
public protocol HoldsUntilRunEnds: Sendable {
    func runEnded()
}

/// One step of a generation run. Phases are small: they read typed context values,
/// call into Schema/Validation/Emit, and write typed values or stage files.
public protocol GenerationPhase: Sendable {
    /// Stable name used in reports, `--skip`, `--fail-at` and the TUI (e.g. `parseSchema`).
    var name: String { get }
    /// Position in the run; phases run in ascending order (stable for equal orders).
    var order: Int { get }
    /// One line for `phaserunner phases` and the TUI.
    var description: String { get }
    /// When the phase runs, for the phase table (e.g. "standalone mode only").
    var condition: String { get }
    /// What the runner does when the phase throws.
    var recovery: PhaseRecovery { get }
    /// The context values the phase reads: it waits for every earlier phase that writes one.
    var reads: [AnyContextKey] { get }
    /// The context values the phase writes.
    var writes: [AnyContextKey] { get }
    /// The parts of the output tree it stages into: it waits for every earlier phase whose
    /// parts overlap. A phase that declares no reads, writes or outputs runs after every
    /// earlier phase and before every later one (undeclared phases keep the old, sequential
    /// behaviour).
    var outputs: [OutputPattern] { get }
    /// Whether `--skip`, config or a TUI toggle may turn the phase off. False for phases the
    /// run (or the next run) cannot do without: the output transaction, the schema, the manifest.
    var skippable: Bool { get }
    /// Why the phase cannot be turned off (said when `--skip`, config or a toggle asks for it).
    /// Only read when `skippable` is false.
    var unskippableReason: String { get }
    /// Names of phases whose output this one needs besides the context values it reads (e.g.
    /// the tests need the project they test). When this phase runs, the plan runs them too,
    /// or skips this one when one of them is turned off explicitly. Default: none.
    var requires: [String] { get }
    /// Whether its results may come from the phase cache (keyed by `reads`), and its version.
    /// Default: never cached (a phase must say it reads everything its output depends on).
    var caching: PhaseCaching { get }
    /// The command of the external plugin this phase runs (nil for a phase built into the
    /// program). Reports and front ends mark plugin phases with it; nothing else differs.
    var plugin: String? { get }
    /// Whether the phase runs in this context (default: always).
    func shouldRun(_ context: PhaseContext) -> Bool
    /// Why `shouldRun` said no (reported with the skip).
    func skipReason(_ context: PhaseContext) -> String
    func execute(_ context: PhaseContext) async throws -> PhaseResult
}

public extension GenerationPhase {
    var condition: String { "always" }
    var recovery: PhaseRecovery { .none }
    var reads: [AnyContextKey] { [] }
    var writes: [AnyContextKey] { [] }
    var outputs: [OutputPattern] { [] }
    var skippable: Bool { true }
    var unskippableReason: String { "later phases need what it produces" }
    var requires: [String] { [] }
    var caching: PhaseCaching { .uncached("it declares no cache version") }
    var plugin: String? { nil }
    func shouldRun(_ context: PhaseContext) -> Bool { true }
    func skipReason(_ context: PhaseContext) -> String { "its condition is not met" }
}

/// What happens after a phase throws.
public enum PhaseRecovery: Sendable, Hashable, CustomStringConvertible {
    /// The run fails.
    case none
    /// Run the phase again, up to `attempts` times in all (for transient I/O errors).
    case retry(attempts: Int)
    /// Record the failure and go on: the phase is optional.
    case continueRun

    public var description: String {
        switch self {
        case .none: return "fail the run"
        case .retry(let n): return "retry (\(n) attempts)"
        case .continueRun: return "go on (the phase is optional)"
        }
    }
}

/// What a phase reports back.
public struct PhaseResult: Sendable, Hashable {
    public var filesWritten: Int
    public var bytes: Int
    public var warnings: [String]
    /// Phase-specific figures, in display order (e.g. models: 12, relations: 30).
    public var counters: [Counter]
    /// A short human summary (e.g. "12 models, 3 enums").
    public var message: String?

    public struct Counter: Sendable, Hashable {
        public let name: String
        public let value: Int
        public init(_ name: String, _ value: Int) {
            self.name = name
            self.value = value
        }
    }

    public init(filesWritten: Int = 0, bytes: Int = 0, warnings: [String] = [], counters: [Counter] = [], message: String? = nil) {
        self.filesWritten = filesWritten
        self.bytes = bytes
        self.warnings = warnings
        self.counters = counters
        self.message = message
    }

    public static let empty = PhaseResult()
}

/// Why a phase failed: a value with enough structure for every front end.
public enum PhaseFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Schema problems, with `file:line:col`, the source line and a caret.
    case schema(message: String, diagnostics: [ResolvedDiagnostic])
    /// A context value the phase needs was never produced.
    case missingContext(key: String, producer: String, consumer: String)
    /// A file-system problem that may be transient (worth a retry).
    case io(path: String, message: String)
    /// The file system refuses: permission denied, operation not permitted, a read-only file
    /// system, a path through a file. Not transient: never retried.
    case denied(path: String, message: String)
    /// The output directory cannot be used (e.g. not empty and no manifest).
    case refused(String)
    /// `--fail-at` asked for this failure.
    case injected(phase: String)
    /// An external plugin failed: it could not start, crashed, timed out, broke the protocol,
    /// or answered with an error or an unsafe file. Counts as recoverable, so an optional
    /// plugin (`PhaseRecovery.continueRun`) does not fail the run.
    case plugin(command: String, message: String)
    /// The run was cancelled (Ctrl-C, a TUI re-run) while the phase was running, and the
    /// phase stopped instead of finishing (a plugin is stopped at once). The run ends cancelled.
    case cancelled
    case other(String)

    public var description: String {
        switch self {
        case .schema(let m, _): return m
        case .missingContext(let key, let producer, let consumer):
            return "phase \(consumer) needs `\(key)`, which \(producer) produces, but it was not set (was \(producer) skipped or did it fail?)"
        case .io(let path, let m), .denied(let path, let m): return "\(path): \(m)"
        case .refused(let m): return m
        case .injected(let phase): return "phase \(phase) failed on purpose (--fail-at \(phase))"
        case .plugin(let command, let m): return "plugin `\(command)`: \(m)"
        case .cancelled: return "stopped: the run was cancelled"
        case .other(let m): return m
        }
    }

    public var diagnostics: [ResolvedDiagnostic] {
        if case .schema(_, let d) = self { return d }
        return []
    }

    /// Only transient failures are worth a retry or a continue; `--fail-at`'s injected
    /// failure is never recovered, so it always fails the run, and neither is a refusal of
    /// the file system (permissions, a read-only file system).
    var isRecoverable: Bool {
        switch self {
        case .io, .other, .plugin: return true
        case .schema, .missingContext, .refused, .injected, .denied, .cancelled: return false
        }
    }

    public static func wrap(_ error: any Error) -> PhaseFailure {
        if let f = error as? PhaseFailure { return f }
        if error is CancellationError { return .cancelled }
        if let f = error as? PluginError { return f.kind == .cancelled ? .cancelled : f.failure }
        if let f = error as? SchemaLoadError { return .io(path: "", message: f.description) }
        if isDenied(error) {
            let path = (error as NSError).userInfo[NSFilePathErrorKey] as? String ?? ""
            return .denied(path: path, message: error.localizedDescription)
        }
        return .other(String(describing: error))
    }

    /// A file-system error at `path`: `.denied` when the file system refuses (retrying does
    /// not help), else `.io`. `prefix` is put before the error's own message.
    public static func fileSystem(path: String, _ error: any Error, prefix: String = "") -> PhaseFailure {
        if let f = error as? PhaseFailure { return f }
        let message = prefix + error.localizedDescription
        return isDenied(error) ? .denied(path: path, message: message) : .io(path: path, message: message)
    }

    /// errno values that say the file system refuses, whatever the number of attempts.
    static let deniedErrnos: Set<Int32> = [EACCES, EPERM, EROFS, ENOTDIR]

    /// Whether `error` (a POSIX or Foundation error, or one wrapping it) is a refusal of the
    /// file system rather than a transient problem.
    static func isDenied(_ error: any Error) -> Bool {
        if let e = error as? POSIXError { return deniedErrnos.contains(e.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return deniedErrnos.contains(Int32(truncatingIfNeeded: ns.code)) }
        if ns.domain == NSCocoaErrorDomain,
           [CocoaError.fileWriteNoPermission, .fileReadNoPermission, .fileWriteVolumeReadOnly].map(\.rawValue).contains(ns.code) {
            return true
        }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error { return isDenied(underlying) }
        return false
    }
}
