import Foundation

/// An advisory lock on an output folder, so two runs never write into it at once (a
/// `generate` in a terminal and the TUI's re-run on save, three CI jobs sharing a folder).
///
/// The lock is `flock(2)` on `<parent>/.<name>.phaserunner.lock`, a file beside the output
/// that is never deleted (deleting a lock file lets two processes lock two different files).
/// The kernel releases it when its holder exits, however it exits. While held, the file says
/// who holds it (`pid`, start time, command) for the message a second run prints; a holder
/// that ends normally empties it, so a non-empty file found unlocked names a run that ended
/// without releasing it: its lock is taken over, with a notice.
public final class OutputLock: @unchecked Sendable {
    /// Who holds (or last held) the lock.
    public struct Holder: Codable, Sendable, Hashable, CustomStringConvertible {
        public var pid: Int32
        public var started: Date
        public var command: String

        public var description: String {
            "pid \(pid), started \(Self.format(started))"
        }

        static func format(_ date: Date) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "yyyy-MM-dd HH:mm:ss"
            return f.string(from: date)
        }

        static var current: Holder {
            Holder(pid: getpid(), started: Date(), command: CommandLine.arguments.prefix(3).joined(separator: " "))
        }
    }

    private let lock = NSLock()
    private var fd: Int32
    /// An earlier holder that ended without releasing the lock (it was taken over).
    public let tookOver: Holder?

    private init(fd: Int32, tookOver: Holder?) {
        self.fd = fd
        self.tookOver = tookOver
    }

    /// `<parent>/.<name>.phaserunner.lock`.
    public static func url(for outputDir: URL) -> URL {
        let out = outputDir.standardizedFileURL
        return out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).phaserunner.lock")
    }

    /// What a failed attempt found.
    public enum Failure: Error, Sendable, Hashable {
        /// Another run holds the lock (its holder, when the file says).
        case held(by: Holder?, outputDir: String)
        /// The lock file cannot be opened or locked.
        case unavailable(path: String, message: String)

        public var phaseFailure: PhaseFailure {
            switch self {
            case .held(let holder, let dir):
                let who = holder.map { "another phaserunner run (\($0))" } ?? "another phaserunner run"
                return .refused("\(who) is writing to \(dir); wait for it to finish, or pass --wait SECONDS to wait for it")
            case .unavailable(let path, let message):
                return .denied(path: path, message: "cannot lock the output folder: \(message)")
            }
        }
    }

    /// Takes the lock without waiting: nil when another process holds it.
    public static func tryAcquire(outputDir: URL) throws(Failure) -> OutputLock? {
        let (url, fd) = try openFile(outputDir: outputDir)
        guard let lock = try take(fd: fd, url: url) else {
            close(fd)
            return nil
        }
        return lock
    }

    /// Takes the lock, waiting up to `wait` for its holder to finish (trying every 25 ms with
    /// the lock file kept open; a cancelled task stops waiting).
    public static func acquire(outputDir: URL, wait: Duration) async throws -> OutputLock {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        let (url, fd) = try openFile(outputDir: outputDir)
        do {
            while true {
                if let lock = try take(fd: fd, url: url) { return lock }
                if clock.now >= deadline || Task.isCancelled {
                    throw Failure.held(by: holderNamed(outputDir), outputDir: outputDir.standardizedFileURL.path)
                }
                try await Task.sleep(for: .milliseconds(25))
            }
        } catch {
            close(fd)
            throw error
        }
    }

    private static func openFile(outputDir: URL) throws(Failure) -> (URL, Int32) {
        let url = url(for: outputDir)
        var fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        // Another user's lock file: flock needs no write access (the holder is then not recorded).
        if fd < 0, errno == EACCES { fd = open(url.path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .unavailable(path: url.path, message: String(cString: strerror(errno))) }
        return (url, fd)
    }

    /// Locks `fd` if nobody holds it (nil: somebody does; `fd` stays open) and writes who we are.
    private static func take(fd: Int32, url: URL) throws(Failure) -> OutputLock? {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            if code == EWOULDBLOCK || code == EINTR { return nil }
            throw .unavailable(path: url.path, message: String(cString: strerror(code)))
        }
        // Locked: whatever the file still says is a run that ended without releasing it.
        let previous = readHolder(fd: fd)
        let me = Holder.current
        var data = (try? JSONEncoder().encode(me)) ?? Data()
        data.append(0x0A)
        // Written over the old text, then cut to length: the file is never empty on the way.
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(fd, off_t(data.count))
        return OutputLock(fd: fd, tookOver: previous.flatMap { $0.pid == me.pid ? nil : $0 })
    }

    /// Who holds the lock of `outputDir`, for the message of a run that could not take it. A
    /// holder that has just taken the lock may not have written its name yet: the file is read
    /// again for up to 100 ms before the message goes without it.
    /// (A failing run waits, blocking: it is about to stop anyway.)
    static func holderNamed(_ outputDir: URL) -> Holder? {
        for _ in 0..<20 {
            if let holder = holder(of: outputDir) { return holder }
            usleep(5_000)
        }
        return holder(of: outputDir)
    }

    /// Who the lock file of `outputDir` names (nil: nobody, or it cannot be read).
    public static func holder(of outputDir: URL) -> Holder? {
        guard let data = FileManager.default.contents(atPath: url(for: outputDir).path), !data.isEmpty else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: data)
    }

    private static func readHolder(fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return try? JSONDecoder().decode(Holder.self, from: Data(buffer[0..<n]))
    }

    /// Empties the file and lets the lock go. Safe to call more than once.
    public func release() {
        lock.withLock {
            guard fd >= 0 else { return }
            _ = ftruncate(fd, 0)
            _ = flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
