/// What a successful phase left behind, kept so a later `run(from:)` can start after it
/// without running it again: the context values it wrote and the files it staged (the
/// transaction re-stages them). Recording references existing values: its cost does not
/// grow with the size of the output.
struct PhaseRecord: Sendable {
    let report: PhaseReport
    /// Values by key name (every value, for a phase that declares no writes).
    let values: [String: PhaseContext.Slot]
    /// Paths it staged, in staging order.
    let stagedPaths: [String]
}
