import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounds on what a plugin may cost.
public struct PluginLimits: Sendable, Hashable {
    /// How long one call (`describe`, `execute`) may take before the plugin and its children are killed.
    public var timeout: Duration
    /// The largest file a plugin may produce (decoded bytes).
    public var maxFileBytes: Int
    /// The longest message (one line) a plugin may send.
    public var maxMessageBytes: Int
    /// Longer log lines are cut.
    public var maxLogLineBytes: Int
    /// How long the plugin may take to exit once its stdin is closed before it is killed.
    public var exitGrace: Duration

    public static let defaultTimeout: Duration = .seconds(60)

    public init(timeout: Duration = Self.defaultTimeout, maxFileBytes: Int = 64 << 20, maxMessageBytes: Int = 256 << 20,
                maxLogLineBytes: Int = 64 << 10, exitGrace: Duration = .seconds(2)) {
        self.timeout = timeout
        self.maxFileBytes = maxFileBytes
        self.maxMessageBytes = maxMessageBytes
        self.maxLogLineBytes = maxLogLineBytes
        self.exitGrace = exitGrace
    }
}

/// A running plugin: spawned without a shell in its own process group, with its stdin,
/// stdout and stderr on pipes. Stdout is read as lines (bounded by `maxMessageBytes`: an
/// over-long line stops the reading, never grows the buffer further), stderr lines go to
/// `onLog`. Every wait has a deadline; `killGroup()` ends the plugin and everything it started
/// in its group. Reading and waiting happen on threads of its own, never on the caller's.
final class PluginProcess: @unchecked Sendable {
    enum Next: Equatable {
        case line(Data)
        /// Stdout closed.
        case eof
        /// A line longer than `maxMessageBytes`.
        case overflow
        case timeout

        /// No more lines will come (its stdout ended, or the wait gave up).
        var isEnd: Bool { self == .eof || self == .timeout }
    }

    /// How the process ended.
    enum Exit: Equatable, CustomStringConvertible {
        case status(Int32)
        case signal(Int32)
        var description: String {
            switch self {
            case .status(let s): return "exited with status \(s)"
            case .signal(let s): return "was killed by signal \(s)"
            }
        }
    }

    let pid: pid_t
    private let stdinFD: Int32
    private let cond = NSCondition()
    private var lines: [Data] = []
    private var stdoutEnded = false
    private var overflowed = false
    private var exit: Exit?
    private var recentLog: [String] = []
    private let writes = DispatchQueue(label: "phaserunner.plugin.stdin")

    /// Starts `arguments[0]` (looked up in `PATH` when it has no `/`) in `directory`.
    /// Throws a message saying why it could not start.
    init(arguments: [String], directory: String?, limits: PluginLimits, onLog: @escaping @Sendable (String) -> Void) throws {
        guard let program = arguments.first, !program.isEmpty else { throw StartError(message: "the command is empty") }
        Self.ignoreSIGPIPE
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard Self.cloexecPipe(&inPipe) == 0 else { throw StartError(message: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        guard Self.cloexecPipe(&outPipe) == 0 else {
            close(inPipe[0]); close(inPipe[1])
            throw StartError(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        guard Self.cloexecPipe(&errPipe) == 0 else {
            for fd in inPipe + outPipe { close(fd) }
            throw StartError(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Nothing else of ours: descriptors made without close-on-exec (Foundation's `Pipe` and
        // `FileHandle` make them so, e.g. the output lock's, or a `Process`'s exit watch) would
        // outlive us in the plugin, keeping pipes open and other processes' exits unseen.
        Self.closeInheritedDescriptors(&actions)
        if let directory {
            guard let addchdir = Self.addchdir else { throw StartError(message: "cannot be started in \(directory): this C library cannot set a child's working directory") }
            _ = addchdir(&actions, directory)
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Its own process group (killed as one); default signal handling, nothing blocked
        // (the headless run ignores SIGINT/SIGTERM, and ignored signals survive exec).
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attr, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawnp(&child, program, &actions, &attr, argv, environ)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            var why = String(cString: strerror(rc))
            if rc == ENOENT, let directory, !FileManager.default.fileExists(atPath: directory) { why += " (working directory \(directory))" }
            throw StartError(message: "cannot be started: \(program): \(why)")
        }
        pid = child
        stdinFD = inPipe[1]
        let out = outPipe[0], err = errPipe[0]
        let maxLine = limits.maxMessageBytes, maxLog = limits.maxLogLineBytes
        Self.thread("stdout") { [self] in readStdout(out, maxLine: maxLine) }
        Self.thread("stderr") { [self] in readStderr(err, maxLine: maxLog, onLog: onLog) }
        Self.thread("wait") { [self] in waitForExit() }
    }

    struct StartError: Error { let message: String }

    // glibc's `pipe2` and `posix_spawn_file_actions_addchdir_np` are not visible to Swift
    // (they need _GNU_SOURCE); looked up once by name.
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let pipe2: Pipe2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addchdir: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addclosefrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private static let pipeLock = NSLock()

    /// Adds to `actions` the closing of every descriptor from 3 up: with glibc's `closefrom`
    /// action (2.34 and later), else each descriptor open now (`/proc/self/fd`; one closed
    /// meanwhile is fine, posix_spawn ignores EBADF on a close).
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addclosefrom, addclosefrom(&actions, 3) == 0 { return }
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap({ Int32($0) }) ?? [] where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// A pipe whose two ends close on exec (atomically with `pipe2`; else under a lock, so at
    /// least our own spawns never inherit another plugin's pipe).
    private static func cloexecPipe(_ fds: inout [Int32]) -> Int32 {
        if let pipe2 { return fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress!, O_CLOEXEC) } }
        return pipeLock.withLock {
            guard pipe(&fds) == 0 else { return -1 }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return 0
        }
    }

    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    private static func thread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let t = Thread(block: body)
        t.name = "phaserunner.plugin.\(name)"
        t.start()
    }

    // MARK: writing

    /// Writes `data` to the plugin's stdin, off the caller's thread (a plugin that does not
    /// read cannot block the runner; killing it ends the write).
    func send(_ data: Data) {
        writes.async { [stdinFD] in
            data.withUnsafeBytes { raw in
                guard var p = raw.baseAddress else { return }
                var left = raw.count
                while left > 0 {
                    let n = write(stdinFD, p, left)
                    if n < 0 { if errno == EINTR { continue }; return }
                    left -= n
                    p += n
                }
            }
        }
    }

    /// Closes the plugin's stdin once everything sent so far is written.
    func closeStdin() {
        writes.async { [stdinFD] in _ = close(stdinFD) }
    }

    // MARK: reading

    private func readStdout(_ fd: Int32, maxLine: Int) {
        defer { close(fd) }
        var partial = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var complete: [Data] = []
            var start = 0
            for i in 0..<n where buffer[i] == UInt8(ascii: "\n") {
                partial.append(contentsOf: buffer[start..<i])
                start = i + 1
                if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
                if !partial.isEmpty { complete.append(partial) }
                partial = Data()
            }
            partial.append(contentsOf: buffer[start..<n])
            let over = partial.count > maxLine || complete.contains { $0.count > maxLine }
            cond.withLock {
                lines.append(contentsOf: complete.filter { $0.count <= maxLine })
                if over { overflowed = true }
                cond.broadcast()
            }
            // Bounded: an over-long message is not read any further.
            if over { return }
        }
        cond.withLock {
            stdoutEnded = true
            cond.broadcast()
        }
    }

    private func readStderr(_ fd: Int32, maxLine: Int, onLog: @Sendable (String) -> Void) {
        defer { close(fd) }
        var partial = Data()
        var truncated = false
        var buffer = [UInt8](repeating: 0, count: 1 << 14)
        func emit() {
            var text = String(decoding: partial, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            if truncated { text += " …(line cut)" }
            partial = Data()
            truncated = false
            cond.withLock {
                recentLog.append(text)
                if recentLog.count > 5 { recentLog.removeFirst() }
            }
            onLog(text)
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            for i in 0..<n {
                let b = buffer[i]
                if b == UInt8(ascii: "\n") { emit() } else if partial.count < maxLine { partial.append(b) } else { truncated = true }
            }
        }
        if !partial.isEmpty { emit() }
    }

    private func waitForExit() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        let ended: Exit = signal == 0 ? .status((status >> 8) & 0xff) : .signal(signal)
        cond.withLock {
            exit = ended
            cond.broadcast()
        }
    }

    /// The next line on stdout, or why there is none, waiting at most until `deadline`.
    func next(until deadline: Date) -> Next {
        cond.withLock {
            while true {
                if !lines.isEmpty { return .line(lines.removeFirst()) }
                if overflowed { return .overflow }
                if stdoutEnded { return .eof }
                if !cond.wait(until: deadline) { return lines.isEmpty ? .timeout : .line(lines.removeFirst()) }
            }
        }
    }

    /// How the process ended, waiting at most until `deadline` (nil: still running).
    func exitStatus(until deadline: Date) -> Exit? {
        cond.withLock {
            while exit == nil {
                if !cond.wait(until: deadline) { break }
            }
            return exit
        }
    }

    /// The last few lines of its log (for error messages).
    var lastLogLines: [String] { cond.withLock { recentLog } }

    /// Kills the plugin and every process in its group (its children), at once.
    func killGroup() {
        _ = kill(-pid, SIGKILL)
    }

    /// Asks the plugin and its group to stop (SIGTERM, so it can clean up), waits at most
    /// `grace` for the plugin to exit, then kills whatever of its group is left (SIGKILL).
    func stopGroup(grace: TimeInterval) {
        _ = kill(-pid, SIGTERM)
        _ = exitStatus(until: Date().addingTimeInterval(grace))
        killGroup()
    }
}
