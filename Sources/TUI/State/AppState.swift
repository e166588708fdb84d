import Core

/// A key press, decoded by the terminal backend (or sent by tests).
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, ctrlC
}

/// A mouse event, in screen cells (0-based): a press of the first button, or the wheel.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public let x: Int
    public let y: Int
    public let kind: Kind
    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}

/// The four panes; the phase checklist is always visible on the left, the focused
/// pane decides what the right-hand area shows and which keys apply.
public enum Pane: Int, CaseIterable, Sendable {
    case phases = 1, output, schema, toggles

    public var title: String {
        switch self {
        case .phases: return "Phases"
        case .output: return "Output"
        case .schema: return "Schema"
        case .toggles: return "Toggles"
        }
    }
}

public enum RowStatus: Sendable, Hashable {
    case pending, running, succeeded, failed, skipped(String), notRun, reused
    /// Restored from the phase cache: how long restoring took, and the time it saved.
    case cached(restore: Duration, saved: Duration)

    /// Finished one way or another (counts toward "n/13 done").
    public var isDone: Bool {
        switch self {
        case .succeeded, .failed, .skipped, .reused, .cached: return true
        case .pending, .running, .notRun: return false
        }
    }
}

/// One line of the checklist.
public struct PhaseRow: Sendable {
    public var info: PhaseInfo
    public var status: RowStatus = .pending
    public var startedAt: ContinuousClock.Instant?
    public var duration: Duration?
    public var progress: (done: Int, total: Int, message: String)?
    public var result: PhaseResult?
    public var failure: PhaseFailure?
    public var logs: [LogRecord] = []
    /// The context values the phase read and wrote, as they stood when it ended.
    public var context: [ContextLine] = []

    public struct ContextLine: Sendable, Hashable {
        public let key: String
        public let access: ContextEntry.Access
        public let summary: String
        public init(key: String, access: ContextEntry.Access, summary: String) {
            self.key = key
            self.access = access
            self.summary = summary
        }
    }

    public init(info: PhaseInfo) { self.info = info }
}

/// What the Phases pane shows right of the checklist (`t` switches).
public enum PhaseDetailMode: Sendable, Hashable {
    /// The selected phase: what it does, its result, its errors and log.
    case phase
    /// The last run's timeline: one bar per phase on a shared time axis.
    case timeline
}

public enum RunState: Sendable {
    case idle
    case running(since: ContinuousClock.Instant)
    case finished(RunStatus, Duration)

    public var isRunning: Bool { if case .running = self { return true } else { return false } }
}

/// A generated file as the output tree shows it.
public struct FileEntry: Sendable, Hashable {
    public enum Change: Sendable, Hashable { case new, changed, same }
    public let path: String
    public let bytes: Int
    public let change: Change
    /// The model the file belongs to (from the manifest), if any.
    public let model: String?
    /// What kind of file it is (from the manifest): which phase writes it.
    public let kind: GeneratedFile.Kind?
    public init(path: String, bytes: Int, change: Change, model: String? = nil, kind: GeneratedFile.Kind? = nil) {
        self.path = path
        self.bytes = bytes
        self.change = change
        self.model = model
        self.kind = kind
    }
}

public struct OutputState: Sendable {
    public var files: [FileEntry] = [] { didSet { refreshTree() } }
    /// Folders the user collapsed (by path).
    public var collapsed: Set<String> = [] { didSet { refreshRows() } }
    public var selected = 0
    public var filter = "" { didSet { if filter != oldValue { refreshTree() } } }
    /// The folder structure, rebuilt when the files or the filter change.
    public private(set) var tree = FileTree.tree([], filter: "")
    /// The visible tree rows, rebuilt only when files, folders or the filter change, so a
    /// keypress costs the same on a 5,000-file tree as on a small one.
    public private(set) var rows: [FileTree.Row] = []
    /// Files matching the filter (all files without one).
    public private(set) var matchCount = 0
    public var editingFilter = false
    public var preview: (path: String, lines: [String])?
    public var previewScroll = 0
    /// The previewed file's diff against the previous generation, when it changed.
    public var diff: (path: String, diff: PreviewDiff)?
    /// A changed file opens as its diff; `d` switches to the full text and back.
    public var showDiff = true

    public init() {}

    mutating func refreshTree() {
        tree = FileTree.tree(files, filter: filter)
        matchCount = tree.root.files
        refreshRows()
    }

    mutating func refreshRows() {
        rows = FileTree.rows(tree, collapsed: collapsed)
    }
}

public struct SchemaState: Sendable {
    public enum Entity: Sendable, Hashable {
        case model(String), enumeration(String), composite(String)
        public var name: String {
            switch self {
            case .model(let n), .enumeration(let n), .composite(let n): return n
            }
        }
    }
    public var model: SchemaModel?
    /// The schema no longer validates: `model` is the last valid version.
    public var stale = false
    public var selected = 0
    public var fieldSelected = 0
    public var inFields = false
    /// Where Enter on a relation came from (Esc goes back).
    public var back: [(entity: String, field: Int)] = []
    public var search = ""
    public var editingSearch = false
    /// What the generator makes of each model, worked out when the schema loads (not per
    /// frame): its endpoints, and the relation fields of other models that point at it.
    public var endpoints: [String: [ApiEndpoints.Endpoint]] = [:]
    /// The selected model's relation map instead of its fields (`m`), and the chosen relation.
    public var showMap = false
    public var mapSelected = 0
    public var referencedBy: [String: [SchemaExplorer.FieldPath]] = [:]
}

/// Everything the UI shows; changed only by `reduce`.
public struct AppState: Sendable {
    public var width: Int
    public var height: Int
    public var schemaPath: String
    public var outputDir: String
    /// Where the generated API is mounted (endpoints are shown under it).
    public var apiPrefix = "/api"
    public var standalone: Bool
    /// Standalone mode of the last run (the header shows it, and a pending change beside it).
    public var lastRunStandalone: Bool?
    /// The core's plan for the next run with the current settings; nil until the first preview.
    public var preview: RunPlan?
    public var disabledPhases: Set<String> = []
    public var enabledPhases: Set<String> = []
    public var phases: [PhaseRow]
    public var run: RunState = .idle
    public var lastReport: RunReport?
    public var runs = 0
    public var now: ContinuousClock.Instant
    public var focus: Pane = .phases
    public var selectedPhase = 0
    /// The selection follows the running phase until the user moves it.
    public var followRun = true
    public var detailScroll = 0
    /// The selected phase's detail or the last run's timeline (`t`).
    public var detailMode: PhaseDetailMode = .phase
    /// The error `e` opens, among the selected phase's diagnostics (n / p move).
    public var selectedError = 0
    public var output = OutputState()
    public var schema = SchemaState()
    public var toggleSelected = 0
    public var showHelp = false
    /// First row of the help overlay shown (it scrolls when the terminal is small).
    public var helpScroll = 0
    public var confirmQuit = false
    /// Quit was asked for during a run: the run is being cancelled and the UI quits when it ends.
    public var quitting = false
    public var ctrlCArmed = false
    /// A rerun requested while a run was in progress (schema saved, editor closed).
    public var rerunPending = false
    public var flash: String?
    public var glyphs: Glyphs
    public var color: Bool
    /// Set from `PHASERUNNER_DEBUG_CRASH` (tests only): the hidden key `!` then crashes the
    /// program for real, to check the terminal is restored and the crash reported.
    public var debugCrash: DebugCrash?

    public init(width: Int, height: Int, schemaPath: String, outputDir: String, standalone: Bool,
                phases: [PhaseInfo], now: ContinuousClock.Instant, glyphs: Glyphs = .unicode, color: Bool = true) {
        self.width = width
        self.height = height
        self.schemaPath = schemaPath
        self.outputDir = outputDir
        self.standalone = standalone
        self.phases = phases.map(PhaseRow.init)
        self.now = now
        self.glyphs = glyphs
        self.color = color
    }

    public var selectedRow: PhaseRow? { phases.indices.contains(selectedPhase) ? phases[selectedPhase] : nil }

    /// The rows of the phases running now, oldest first (by start, then order): independent
    /// phases run at once, so there may be several.
    public var runningRows: [Int] {
        phases.indices.filter { phases[$0].status == .running }.sorted { a, b in
            switch (phases[a].startedAt, phases[b].startedAt) {
            case let (x?, y?) where x != y: return x < y
            default: return a < b
            }
        }
    }

    public var isTooSmall: Bool { width < 60 || height < 15 }

    /// Phases the toggles pane lists: those that may be turned off (not the output transaction,
    /// the schema phases, code generation or the manifest, which the next run needs).
    public var togglePhases: [PhaseInfo] {
        phases.map(\.info).filter(\.skippable)
    }

    /// The plan entry of a phase for the next run, when the core has previewed one.
    public func planned(_ info: PhaseInfo) -> RunPlan.Entry? {
        preview?.entries.first { $0.phase.name == info.name }
    }

    /// Whether a phase will run with the current toggles: the core's preview decides (it knows
    /// phases that cannot be turned off and what a forced phase pulls in); before the first
    /// preview, the toggles and the standalone switch.
    public func willRun(_ info: PhaseInfo) -> Bool {
        if let entry = planned(info) { return entry.skipReason == nil }
        if !info.skippable { return true }
        if disabledPhases.contains(info.name) { return false }
        if enabledPhases.contains(info.name) { return true }
        if info.condition.contains("standalone") { return standalone }
        return true
    }

    /// Total files of the last generation (from the output tree).
    public var fileCount: Int { output.files.count }
}

/// A real crash the hidden debug key causes: a bad pointer dereference, or `abort()`.
public enum DebugCrash: String, Sendable, Hashable {
    case segv, abort
}
