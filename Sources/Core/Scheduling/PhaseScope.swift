/// The phase a piece of work belongs to, carried by the task that runs it (and the tasks
/// it starts). With phases running at once, log records, progress and "missing value"
/// errors name the right phase through it; nothing is shared between running phases.
public struct PhaseScope: Sendable {
    public let name: String
    public let progress: ProgressReporter
    /// Per-model pieces from the phase cache (none when the cache is off).
    public var parts: PartCache = .none

    public init(name: String, progress: ProgressReporter, parts: PartCache = .none) {
        self.name = name
        self.progress = progress
        self.parts = parts
    }

    @TaskLocal public static var current: PhaseScope?
}

public extension PhaseContext {
    /// Progress of the running phase (`context.progress(done, total, message)`).
    var progress: ProgressReporter { PhaseScope.current?.progress ?? .none }
    /// Per-model pieces of the running phase from the phase cache (`context.parts.files(…)`).
    var parts: PartCache { PhaseScope.current?.parts ?? .none }
}
