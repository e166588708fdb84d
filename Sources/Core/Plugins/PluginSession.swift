import Foundation

/// Why a plugin failed, with the plugin's command in every message.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case cannotStart, exitedEarly, timeout, tooLarge, notJSON, notJSONRPC, wrongID, errorResponse
        case unsupportedVersion, invalidResult, unsafePath, conflict
        /// Stopped because the run was cancelled.
        case cancelled
    }
    public let command: String
    public let kind: Kind
    public let message: String

    public init(command: String, kind: Kind, message: String) {
        self.command = command
        self.kind = kind
        self.message = message
    }

    public var description: String { "plugin `\(command)`: \(message)" }
    var failure: PhaseFailure { .plugin(command: command, message: message) }
}

/// Where a plugin's log lines and progress go. Swappable: a plugin started while the run is
/// planned logs to the planner, then, once its phase runs, to that phase.
final class PluginListeners: @unchecked Sendable {
    private let lock = NSLock()
    private var onLog: @Sendable (String) -> Void
    private var onProgress: @Sendable (PluginProgress) -> Void

    init(log: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (PluginProgress) -> Void) {
        onLog = log
        onProgress = progress
    }

    func set(log: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (PluginProgress) -> Void) {
        lock.withLock {
            onLog = log
            onProgress = progress
        }
    }

    func log(_ line: String) { lock.withLock { onLog }(line) }
    func progress(_ p: PluginProgress) { lock.withLock { onProgress }(p) }
}

/// Stops a plugin when the task waiting for it is cancelled (Ctrl-C, a TUI re-run): its
/// process group gets SIGTERM, then SIGKILL after a second, and the waiting call fails as
/// `.cancelled` instead of waiting out its timeout.
final class PluginCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var process: PluginProcess?
    private var cancelled = false

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Remembers the started process; false when the task was cancelled already (the caller
    /// kills it).
    func attach(_ process: PluginProcess) -> Bool {
        lock.withLock {
            self.process = process
            return !cancelled
        }
    }

    func cancel() {
        let process = lock.withLock { () -> PluginProcess? in
            cancelled = true
            return self.process
        }
        guard let process else { return }
        // Off the cancelling thread: stopping waits up to the grace period.
        DispatchQueue.global().async { process.stopGroup(grace: 1) }
    }
}

/// One conversation with a plugin: start it, `describe` (`start()`), then `execute` or let
/// it go (`PluginConversation`). Blocking: run it off the cooperative pool
/// (`PluginSession.run`). Every step has a deadline, and every way a plugin can misbehave
/// becomes a `PluginError`.
struct PluginSession {
    let command: String
    let arguments: [String]
    let directory: String?
    let limits: PluginLimits
    let listeners: PluginListeners
    let cancellation = PluginCancellation()

    /// Runs `body` on a thread of its own and returns its result to the async caller. When
    /// the caller's task is cancelled, `cancellation` stops the plugin.
    static func run<T: Sendable>(_ cancellation: PluginCancellation, _ body: @escaping @Sendable () throws(PluginError) -> T) async throws(PluginError) -> T {
        let result: Result<T, PluginError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let scope = PhaseScope.current
                let thread = Thread {
                    // The phase's scope follows onto the thread: its log records name the phase.
                    let r = PhaseScope.$current.withValue(scope) { Result { () throws(PluginError) -> T in try body() } }
                    continuation.resume(returning: r)
                }
                thread.name = "phaserunner.plugin"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Starts the plugin and asks `describe`: the conversation, waiting for `execute`.
    func start() throws(PluginError) -> PluginConversation {
        let process: PluginProcess
        do {
            process = try PluginProcess(arguments: arguments, directory: directory, limits: limits, onLog: { [listeners] in listeners.log($0) })
        } catch let e as PluginProcess.StartError {
            throw error(.cannotStart, e.message)
        } catch {
            throw self.error(.cannotStart, "cannot be started: \(error)")
        }
        guard cancellation.attach(process) else {
            process.killGroup()
            throw error(.cancelled, Self.cancelledMessage)
        }
        let description: PluginDescription
        do {
            description = try call(process, method: "describe", id: PluginProtocol.describeID, request: PluginProtocol.describeRequest())
        } catch {
            process.killGroup()
            throw error
        }
        if let problem = description.problem {
            process.killGroup()
            throw self.error(description.protocolVersion.map { !PluginProtocol.supportedVersions.contains($0) } == true ? .unsupportedVersion : .invalidResult, problem)
        }
        return PluginConversation(session: self, process: process, description: description)
    }

    /// `describe`, and with `execute` given, `execute`; then the plugin is let go.
    func converse(execute: (() throws -> Data)? = nil) throws(PluginError) -> (PluginDescription, PluginExecuteResult?) {
        let conversation = try start()
        guard let execute else {
            conversation.finish()
            return (conversation.description, nil)
        }
        return (conversation.description, try conversation.execute(execute))
    }

    /// Sends `execute` on a described plugin and waits for its answer.
    fileprivate func execute(_ process: PluginProcess, request execute: () throws -> Data) throws(PluginError) -> PluginExecuteResult {
        let request: Data
        do { request = try execute() } catch { throw self.error(.invalidResult, "cannot encode the execute request: \(error)") }
        return try call(process, method: "execute", id: PluginProtocol.executeID, request: request)
    }

    /// Done: close its stdin, give it a moment to exit, then end its group either way.
    fileprivate func finish(_ process: PluginProcess, grace: Double? = nil) {
        process.closeStdin()
        _ = process.exitStatus(until: Date().addingTimeInterval(grace ?? seconds(limits.exitGrace)))
        process.killGroup()
    }

    private func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }

    static let cancelledMessage = "stopped: the run was cancelled"

    private func error(_ kind: PluginError.Kind, _ message: String) -> PluginError {
        PluginError(command: command, kind: kind, message: message)
    }

    /// Sends one request and waits for its answer, passing progress notifications on.
    private func call<R: Decodable>(_ process: PluginProcess, method: String, id: Int, request: Data) throws(PluginError) -> R {
        process.send(request)
        let deadline = Date().addingTimeInterval(seconds(limits.timeout))
        while true {
            let next = process.next(until: deadline)
            if cancellation.isCancelled, next.isEnd { throw error(.cancelled, Self.cancelledMessage) }
            switch next {
            case .timeout:
                process.stopGroup(grace: min(1, seconds(limits.exitGrace)))
                throw error(.timeout, "did not answer `\(method)` within \(limits.timeout) (timeout); it and its child processes were stopped")
            case .overflow:
                process.killGroup()
                throw error(.tooLarge, "sent a message over \(Self.size(limits.maxMessageBytes)) while answering `\(method)` (the limit); it was killed")
            case .eof:
                let exit = process.exitStatus(until: min(deadline, Date().addingTimeInterval(2)))
                let how = exit.map { "\($0)" } ?? "closed its stdout"
                let log = process.lastLogLines.last.map { "; its last log line: \($0)" } ?? ""
                throw error(.exitedEarly, "\(how) before answering `\(method)`\(log)")
            case .line(let line):
                if let result: R = try handle(line, method: method, id: id) { return result }
            }
        }
    }

    /// One line from the plugin: nil for a notification (handled), the result for the answer.
    private func handle<R: Decodable>(_ line: Data, method: String, id: Int) throws(PluginError) -> R? {
        let message: RPCMessage<R>
        do {
            message = try JSONDecoder().decode(RPCMessage<R>.self, from: line)
        } catch let decoding {
            guard (try? JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])) != nil else {
                throw error(.notJSON, "answered `\(method)` with a line that is not JSON: \(Self.excerpt(line))")
            }
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], object["jsonrpc"] as? String == "2.0" else {
                throw error(.notJSONRPC, "answered `\(method)` with JSON that is not a JSON-RPC 2.0 message: \(Self.excerpt(line))")
            }
            throw error(.invalidResult, "its `\(method)` answer does not have the protocol's shape: \(Self.describe(decoding))")
        }
        guard message.jsonrpc == "2.0" else {
            throw error(.notJSONRPC, "answered `\(method)` with JSON that is not a JSON-RPC 2.0 message (no \"jsonrpc\": \"2.0\"): \(Self.excerpt(line))")
        }
        if let notification = message.method {
            if notification == "progress", let p = message.params { listeners.progress(p) }
            return nil
        }
        if let e = message.error, message.id == .number(id) || message.id == .null {
            throw error(.errorResponse, "answered `\(method)` with error \(e.code.map(String.init) ?? "?"): \(e.message ?? "(no message)")")
        }
        guard let got = message.id else {
            throw error(.notJSONRPC, "answered `\(method)` with a JSON-RPC message that has neither an id nor a method: \(Self.excerpt(line))")
        }
        guard got == .number(id) else {
            throw error(.wrongID, "answered id \(got) while `\(method)` (id \(id)) was waiting for its answer")
        }
        guard let result = message.result else {
            throw error(.notJSONRPC, "answered `\(method)` with neither a result nor an error")
        }
        return result
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }

    static func excerpt(_ line: Data) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return "`" + text + (line.count > 120 ? "…" : "") + "`"
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the message" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch e {
        case .keyNotFound(let key, let ctx): return "\(at(ctx.codingPath + [key])) is missing"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx): return "\(at(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}

/// A started plugin that answered `describe`: `execute` once, or let it go. Let go when
/// released unused (stdin closed; it gets a moment to exit before its group is killed).
final class PluginConversation: @unchecked Sendable {
    let session: PluginSession
    let description: PluginDescription
    private let process: PluginProcess
    private let lock = NSLock()
    private var finished = false

    fileprivate init(session: PluginSession, process: PluginProcess, description: PluginDescription) {
        self.session = session
        self.process = process
        self.description = description
    }

    /// Sends `execute` and waits for the answer; the plugin is let go either way.
    func execute(_ request: () throws -> Data) throws(PluginError) -> PluginExecuteResult {
        guard take() else { throw PluginError(command: session.command, kind: .invalidResult, message: "was already let go") }
        do {
            let result = try session.execute(process, request: request)
            session.finish(process)
            return result
        } catch {
            process.killGroup()
            throw error
        }
    }

    /// Lets the plugin go without `execute`.
    func finish() {
        guard take() else { return }
        session.finish(process, grace: 0.2)
    }

    private func take() -> Bool {
        lock.withLock {
            defer { finished = true }
            return !finished
        }
    }

    deinit { finish() }
}
