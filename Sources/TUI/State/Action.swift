import Core

/// Everything that can change the state: run events from the core's hooks, keys,
/// terminal size, time, and results of effects.
public enum Action: Sendable {
    case run(RunEvent)
    case key(Key)
    /// A click or the wheel (the keyboard does everything a mouse does).
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case tick(ContinuousClock.Instant)
    case outputScanned([FileEntry])
    case schemaLoaded(SchemaModel?)
    case previewLoaded(path: String, text: String)
    /// A changed file against the previous generation (after its preview).
    case diffLoaded(path: String, diff: PreviewDiff)
    /// What the next run would do with the current settings (the core's plan).
    case planPreviewed(RunPlan)
    case schemaFileChanged
    /// The editor exited; `failure` says why nothing should be re-run (it could not start, or it failed).
    case editorClosed(failure: String?)
    case terminate
}

/// Work the reducer asks the shell to do (the reducer itself stays pure).
public enum Effect: Sendable, Hashable {
    case quit
    /// Run all phases, or again from the phase with this order reusing earlier results.
    case startRun(fromOrder: Int?)
    case cancelRun
    case openEditor(path: String, line: Int)
    case loadPreview(path: String)
    case scanOutput
    case loadSchema
    case updateConfig(standalone: Bool, disabled: Set<String>, enabled: Set<String>)
    /// Crash the program (the hidden debug key, with `PHASERUNNER_DEBUG_CRASH` set).
    case crash(DebugCrash)
}

/// A changed file's unified diff against the previous generation, or why there is none.
public enum PreviewDiff: Sendable, Hashable {
    case lines([UnifiedDiff.Line])
    case unavailable(String)
}
