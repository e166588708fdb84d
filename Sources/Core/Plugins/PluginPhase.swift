import Foundation
import Logging

/// How a plugin is declared: `--plugin COMMAND`, or an entry of `plugins` in
/// `phaserunner.json` / `package.json`'s `"phaserunner"` key.
public struct PluginDeclaration: Sendable, Hashable, Codable {
    /// The command line, split as a shell would (no shell runs it).
    public var command: String
    /// Per call; default 60 s.
    public var timeoutSeconds: Double?
    /// The working directory the plugin runs in (nil: the current one).
    public var directory: String?

    public init(command: String, timeoutSeconds: Double? = nil, directory: String? = nil) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        self.directory = directory
    }

    enum CodingKeys: String, CodingKey { case command, timeoutSeconds }

    /// The limits a run of this plugin gets (`base` with the declared timeout).
    public func limits(_ base: PluginLimits = PluginLimits()) -> PluginLimits {
        var l = base
        if let t = timeoutSeconds, t > 0 { l.timeout = .milliseconds(Int64((t * 1000).rounded())) }
        return l
    }
}

/// An external plugin as a phase: it runs the plugin (`describe`, then `execute` with the
/// schema, the planned endpoints and the configuration) and stages the files it returns
/// through the output transaction, after checking each path and size. Never cached: what it
/// reads besides what it is sent is invisible to the runner.
public struct PluginPhase: GenerationPhase, HoldsUntilRunEnds {
    public let declaration: PluginDeclaration
    /// What the plugin said when the run was planned.
    public let described: PluginDescription
    public let limits: PluginLimits
    /// The plugin started when the run was planned, described and waiting: the first run
    /// sends it `execute`, so a run starts the plugin once. Later runs (the TUI's) start it again.
    private let planned: PlannedConversation

    public var name: String { described.name }
    public var order: Int { described.order }
    public var description: String { described.description }
    public var condition: String { "always (plugin)" }
    public var recovery: PhaseRecovery { described.isOptional ? .continueRun : .none }
    public var plugin: String? { declaration.command }
    public var reads: [AnyContextKey] { [AnyContextKey(.config), AnyContextKey(.compiledSchema), AnyContextKey(.apiPlan), AnyContextKey(.transaction)] }
    /// Anywhere in the output: it runs after every earlier phase that stages files, and the
    /// transaction refuses a path another phase stages.
    public var outputs: [OutputPattern] { ["**"] }
    public var caching: PhaseCaching { .uncached("a plugin is an external program: what its output depends on is not known") }

    public init(declaration: PluginDeclaration, described: PluginDescription, limits: PluginLimits) {
        self.init(declaration: declaration, described: described, limits: limits, planned: nil)
    }

    init(declaration: PluginDeclaration, described: PluginDescription, limits: PluginLimits, planned: PluginConversation?) {
        self.declaration = declaration
        self.described = described
        self.limits = limits
        self.planned = PlannedConversation(planned)
    }

    /// Starts the plugin and asks `describe` (when the run is planned): the phase it makes,
    /// holding the plugin, waiting for the run's `execute`.
    public static func describe(_ declaration: PluginDeclaration, limits base: PluginLimits = PluginLimits(),
                                log: @escaping @Sendable (String) -> Void = { _ in }) async throws(PluginError) -> PluginPhase {
        let limits = declaration.limits(base)
        let session = try session(declaration, limits: limits, listeners: PluginListeners(log: log, progress: { _ in }))
        let conversation = try await PluginSession.run(session.cancellation) { () throws(PluginError) in try session.start() }
        return PluginPhase(declaration: declaration, described: conversation.description, limits: limits, planned: conversation)
    }

    static func session(_ d: PluginDeclaration, limits: PluginLimits, listeners: PluginListeners) throws(PluginError) -> PluginSession {
        let arguments: [String]
        do { arguments = try ShellWords.split(d.command) } catch { throw PluginError(command: d.command, kind: .cannotStart, message: "cannot be started: \(error)") }
        guard !arguments.isEmpty else { throw PluginError(command: d.command, kind: .cannotStart, message: "cannot be started: the command is empty") }
        return PluginSession(command: d.command, arguments: arguments, directory: d.directory, limits: limits, listeners: listeners)
    }

    /// A plugin still held after a run (its phase was skipped, or the run stopped before it)
    /// is let go (stdin closed, a moment to exit, then its group killed), off the caller's thread.
    public func runEnded() {
        guard let unused = planned.take() else { return }
        Thread { unused.finish() }.start()
    }

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let config = try context.require(.config)
        let compiled = try context.require(.compiledSchema)
        let plan = try context.require(.apiPlan)
        let transaction = try context.require(.transaction)
        let logger = try context.require(.logger)
        let progress = context.progress
        let outputDir = transaction.outputDir.path
        let command = declaration.command
        // Its stderr is read on a thread of its own: the records are tagged with this phase there.
        let scope = PhaseScope.current
        let log: @Sendable (String) -> Void = { line in PhaseScope.$current.withValue(scope) { logger.info("\(line)") } }
        let onProgress: @Sendable (PluginProgress) -> Void = { p in progress(p.done ?? 0, p.total ?? 0, p.message ?? "") }
        let executeConfig = PluginProtocol.ExecuteConfig(outputDir: outputDir, standalone: config.standalone)
        let request: @Sendable () throws -> Data = {
            let schema = SchemaJSON.data(compiled.model, sources: compiled.sources, pretty: false)
            return try PluginProtocol.executeRequest(schema: schema, api: ApiEndpoints(plan, prefix: config.apiPrefix), config: executeConfig)
        }
        let answer: PluginExecuteResult
        if let live = planned.take() {
            // Started when the run was planned: its log and progress now belong to this phase.
            live.session.listeners.set(log: log, progress: onProgress)
            answer = try await PluginSession.run(live.session.cancellation) { () throws(PluginError) in try live.execute(request) }
        } else {
            let session = try Self.session(declaration, limits: limits, listeners: PluginListeners(log: log, progress: onProgress))
            let (again, result) = try await PluginSession.run(session.cancellation) { () throws(PluginError) in try session.converse(execute: request) }
            guard again.name == described.name else {
                throw PhaseFailure.plugin(command: command, message: "described itself as `\(again.name)` during the run, but as `\(described.name)` when the run was planned")
            }
            guard let result else { throw PhaseFailure.plugin(command: command, message: "gave no execute result") }
            answer = result
        }
        let files = try PluginFiles.check(answer.files, command: command, limits: limits, outputDir: transaction.outputDir)
        let counts: OutputTransaction.StageCounts
        do {
            counts = try transaction.stage(claiming: files)
        } catch let conflict as OutputTransaction.ClaimConflict {
            throw PhaseFailure.plugin(command: command, message: "wants to write \(conflict)")
        } catch {
            throw PhaseFailure.plugin(command: command, message: "its files could not be staged: \(PhaseFailure.wrap(error))")
        }
        let bytes = files.reduce(0) { total, file in
            if case .bytes(_, _, _, let data) = file { return total + data.count }
            return total
        }
        var counters: [PhaseResult.Counter] = [.init("files", files.count)]
        if counts.unchanged > 0 { counters.append(.init("unchanged", counts.unchanged)) }
        return PhaseResult(filesWritten: files.count, bytes: bytes, warnings: answer.warnings ?? [], counters: counters,
                           message: answer.message ?? "\(files.count) file\(files.count == 1 ? "" : "s")")
    }
}

/// The checks on a plugin's files before anything is staged.
enum PluginFiles {
    static func check(_ files: [PluginFile], command: String, limits: PluginLimits, outputDir: URL) throws -> [StageableFile] {
        func fail(_ m: String) -> PhaseFailure { .plugin(command: command, message: m) }
        var seen: Set<String> = []
        var out: [StageableFile] = []
        for f in files {
            let path = try normalise(f.path, outputDir: outputDir).get { fail($0) }
            guard seen.insert(path).inserted else { throw fail("returned \(path) twice") }
            if path == OutputTransaction.manifestPath { throw fail("wants to write \(path), the manifest (staged by the run itself)") }
            let data: Data
            switch (f.content, f.base64) {
            case (let text?, nil):
                guard text.utf8.count <= limits.maxFileBytes else { throw fail("\(path) is \(text.utf8.count) bytes, over the \(PluginSession.size(limits.maxFileBytes)) limit for one file") }
                data = Data(text.utf8)
            case (nil, let encoded?):
                guard encoded.utf8.count / 4 * 3 <= limits.maxFileBytes + 3 else { throw fail("\(path) is over the \(PluginSession.size(limits.maxFileBytes)) limit for one file") }
                guard let decoded = Data(base64Encoded: encoded) else { throw fail("\(path): `base64` is not valid base64") }
                guard decoded.count <= limits.maxFileBytes else { throw fail("\(path) is \(decoded.count) bytes, over the \(PluginSession.size(limits.maxFileBytes)) limit for one file") }
                data = decoded
            default:
                throw fail("\(path) must have exactly one of `content` and `base64`")
            }
            out.append(.bytes(path: path, kind: .plugin, model: nil, data: data))
        }
        return out
    }

    /// The path relative to the output folder with `.` and empty segments dropped; an error
    /// for an absolute path, `..`, a backslash or NUL, an empty path, or one through a
    /// symbolic link that leads out of the output folder.
    struct Unsafe: Error { let message: String }

    static func normalise(_ raw: String, outputDir: URL) -> Result<String, Unsafe> {
        let unsafe: (String) -> Result<String, Unsafe> = { .failure(Unsafe(message: "unsafe path `\(raw)`: \($0); a file must stay inside the output folder")) }
        if raw.hasPrefix("/") || raw.hasPrefix("~") { return unsafe("it is absolute") }
        if raw.contains("\\") || raw.contains("\0") { return unsafe("it contains a backslash or NUL") }
        let parts = raw.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.contains("..") { return unsafe("it contains `..`") }
        if parts.isEmpty { return unsafe("it names no file") }
        let path = parts.joined(separator: "/")
        // A symbolic link inside the output folder could lead anywhere: refuse any on the way.
        var current = outputDir.standardizedFileURL.path
        for part in parts {
            current += "/" + part
            var st = stat()
            if lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
                return unsafe("\(path) goes through a symbolic link in the output folder")
            }
        }
        return .success(path)
    }
}

private extension Result where Failure == PluginFiles.Unsafe {
    func get(_ wrap: (String) -> PhaseFailure) throws -> Success {
        switch self {
        case .success(let v): return v
        case .failure(let e): throw wrap(e.message)
        }
    }
}

/// The plugin a phase holds from planning until its first run takes it.
final class PlannedConversation: @unchecked Sendable {
    private let lock = NSLock()
    private var conversation: PluginConversation?

    init(_ conversation: PluginConversation?) { self.conversation = conversation }

    func take() -> PluginConversation? {
        lock.withLock {
            defer { conversation = nil }
            return conversation
        }
    }
}
