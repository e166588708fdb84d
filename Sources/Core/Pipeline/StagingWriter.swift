import Foundation

/// Writes files into the staging folder from many threads at once, with the fewest system
/// calls: each folder is made once (`mkdir`, remembered), each file is `open`, `write`,
/// `close`. Foundation's `Data.write(to:)` and `createDirectory(withIntermediateDirectories:)`
/// cost several `stat`s and allocations per file, which dominated staging thousands of files.
final class StagingWriter: @unchecked Sendable {
    let root: String
    private var made: Set<String> = []
    private let lock = NSLock()

    init(root: String) { self.root = root }

    /// Writes `bytes` to `root/relative` (creating its folders), replacing any file there.
    func write(_ bytes: UnsafeRawBufferPointer, to relative: String) throws {
        let path = root + "/" + relative
        let folder = Self.parent(of: relative)
        try makeFolder(folder)
        var fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        if fd < 0, errno == ENOENT {
            // The staging folder was removed since (a rollback): make the folders again.
            lock.withLock { made.removeAll() }
            try makeFolder(folder)
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        }
        guard fd >= 0 else { throw Self.error(errno, path) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress.map { $0 + done }, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, path)
            }
            done += n
        }
    }

    /// The folder holding `relative` ("" for the root).
    private static func parent(of relative: String) -> String {
        relative.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(relative[..<$0]) } ?? ""
    }

    /// Makes `root/relative` and the folders above it that this writer has not made yet.
    private func makeFolder(_ relative: String) throws {
        if lock.withLock({ made.contains(relative) }) { return }
        let path = relative.isEmpty ? root : root + "/" + relative
        if relative.isEmpty {
            // The root, once per writer: its parents may be missing too.
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw PhaseFailure.fileSystem(path: path, error)
            }
        } else {
            try makeFolder(Self.parent(of: relative))
            if mkdir(path, 0o777) != 0 {
                let code = errno
                var st = stat()
                // Already there (another thread, or an earlier run's folder) is fine if it is a folder.
                guard code == EEXIST, stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { throw Self.error(code, path) }
            }
        }
        lock.withLock { _ = made.insert(relative) }
    }

    /// A file-system error as Foundation reports one: the POSIX domain (so refusals are told
    /// from transient failures), the path and the system's message.
    static func error(_ code: Int32, _ path: String) -> PhaseFailure {
        let error = NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [
            NSFilePathErrorKey: path,
            NSLocalizedDescriptionKey: String(cString: strerror(code)),
        ])
        return PhaseFailure.fileSystem(path: path, error)
    }
}
