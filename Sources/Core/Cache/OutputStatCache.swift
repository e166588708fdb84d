import Foundation

/// What the output's files looked like on disk after the last commit: size, modification
/// and change times, inode and sha256, by path (kept in the cache folder). When a file's
/// `lstat` still matches, its sha256 is known without reading it, as git's index does. The
/// change time (`ctime`) cannot be set back by tools that preserve modification times, and
/// files changed too recently to tell apart ("racy") are never recorded.
struct OutputStatCache: Sendable {
    struct Record: Sendable, Hashable {
        var size: Int
        var mtime: Int
        var ctime: Int
        var inode: UInt64
        var sha256: String
    }

    private(set) var records: [String: Record] = [:]

    init() {}

    /// The file for an output folder inside a cache folder.
    static func location(cacheDir: URL, outputDir: URL) -> URL {
        cacheDir.appendingPathComponent("outputs").appendingPathComponent(Fingerprint.of(outputDir.standardizedFileURL.path).hex)
    }

    /// Reads the records (an unreadable or damaged file is an empty cache).
    init(contentsOf url: URL) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("phaserunner-stat 1\n") else { return }
        for line in text.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, let size = Int(parts[1]), let mtime = Int(parts[2]), let ctime = Int(parts[3]),
                  let inode = UInt64(parts[4]), parts[0].utf8.count == 64 else { continue }
            records[String(parts[5])] = Record(size: size, mtime: mtime, ctime: ctime, inode: inode, sha256: String(parts[0]))
        }
    }

    /// The sha256 of the file at `path` when its current `lstat` matches the record.
    func knownHash(_ path: String, at url: URL) -> String? {
        guard let r = records[path], let now = Self.stat(url) else { return nil }
        return now.size == r.size && now.mtime == r.mtime && now.ctime == r.ctime && now.inode == r.inode ? r.sha256 : nil
    }

    /// Records `files` (path → sha256) as they are now under `outputDir`, and writes the cache
    /// (atomically). Files whose times are too close to now to be told apart from a later
    /// change are left out: they are read again next time.
    static func record(_ files: [String: String], outputDir: URL, to url: URL) {
        var lines = "phaserunner-stat 1\n"
        let racy = Int((Date().timeIntervalSince1970 - 0.1) * 1e9)
        for (path, sha) in files.sorted(by: { $0.key < $1.key }) {
            guard !path.contains("\n"), let s = stat(outputDir.appendingPathComponent(path)), s.ctime < racy, s.mtime < racy else { continue }
            lines += "\(sha) \(s.size) \(s.mtime) \(s.ctime) \(s.inode) \(path)\n"
        }
        let fm = FileManager.default
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(lines.utf8).write(to: tmp)
            if rename(tmp.path, url.path) != 0 { try? fm.removeItem(at: tmp) }
        } catch {
            try? fm.removeItem(at: tmp)
        }
    }

    static func stat(_ url: URL) -> (size: Int, mtime: Int, ctime: Int, inode: UInt64)? {
        var st = Glibc.stat()
        guard lstat(url.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int(st.st_size), st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec,
                st.st_ctim.tv_sec * 1_000_000_000 + st.st_ctim.tv_nsec, UInt64(st.st_ino))
    }
}
