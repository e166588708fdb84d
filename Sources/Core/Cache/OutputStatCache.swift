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
        let header = Array("phaserunner-stat 1\n".utf8)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= header.count, Array(b[0..<header.count]) == header else { return }
            var i = header.count
            // One record per line: sha256 size mtime ctime inode path (the path may hold spaces).
            while i < b.count {
                var fields: [Range<Int>] = []
                var start = i
                while i < b.count, b[i] != 10 {
                    if b[i] == 32, fields.count < 5 {
                        fields.append(start..<i)
                        start = i + 1
                    }
                    i += 1
                }
                fields.append(start..<i)
                i += 1
                func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
                guard fields.count == 6, fields[0].count == 64, let size = Int(text(fields[1])), let mtime = Int(text(fields[2])),
                      let ctime = Int(text(fields[3])), let inode = UInt64(text(fields[4])) else { continue }
                records[text(fields[5])] = Record(size: size, mtime: mtime, ctime: ctime, inode: inode, sha256: text(fields[0]))
            }
        }
    }

    /// The paths the output's manifest lists (and the manifest), remembered at the last commit,
    /// if the manifest at `manifest` is still the file they were read from (by its `lstat`):
    /// parsing a manifest of thousands of files is then not needed.
    static func manifestPaths(statCache url: URL, manifest: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: url.path + ".manifest"), let now = stat(manifest) else { return nil }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first, header == "phaserunner-manifest-paths 1 \(now.size) \(now.mtime) \(now.ctime) \(now.inode)" else { return nil }
        lines.removeFirst()
        if lines.last == "" { lines.removeLast() }
        return Set(lines.map(String.init))
    }

    /// Remembers the paths of a committed manifest (see `manifestPaths`), unless it changed too
    /// recently to be told apart from a later change.
    static func recordManifestPaths(_ paths: Set<String>, manifest: String, statCache url: URL) {
        let racy = Int((Date().timeIntervalSince1970 - 0.1) * 1e9)
        let target = url.path + ".manifest"
        guard let s = stat(manifest), s.ctime < racy, s.mtime < racy, !paths.contains(where: { $0.contains("\n") }) else {
            try? FileManager.default.removeItem(atPath: target)
            return
        }
        let text = "phaserunner-manifest-paths 1 \(s.size) \(s.mtime) \(s.ctime) \(s.inode)\n" + paths.sorted().joined(separator: "\n") + "\n"
        let tmp = target + ".\(getpid()).tmp"
        if (try? Data(text.utf8).write(to: URL(fileURLWithPath: tmp))) != nil, rename(tmp, target) != 0 { try? FileManager.default.removeItem(atPath: tmp) }
    }

    /// The sha256 of the file at `path` (`absolute` on disk) when its current `lstat` matches the record.
    func knownHash(_ path: String, at absolute: String) -> String? {
        guard let r = records[path], let now = Self.stat(absolute) else { return nil }
        return now.size == r.size && now.mtime == r.mtime && now.ctime == r.ctime && now.inode == r.inode ? r.sha256 : nil
    }

    /// Records `files` (path → sha256) as they are now under `outputDir`, and writes the cache
    /// (atomically). Files whose times are too close to now to be told apart from a later
    /// change are left out: they are read again next time.
    static func record(_ files: [String: String], outputDir: URL, to url: URL) {
        var lines = "phaserunner-stat 1\n"
        let racy = Int((Date().timeIntervalSince1970 - 0.1) * 1e9)
        for (path, sha) in files.sorted(by: { $0.key < $1.key }) {
            guard !path.contains("\n"), let s = stat(outputDir.path + "/" + path), s.ctime < racy, s.mtime < racy else { continue }
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

    static func stat(_ path: String) -> (size: Int, mtime: Int, ctime: Int, inode: UInt64)? {
        var st = Glibc.stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int(st.st_size), st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec,
                st.st_ctim.tv_sec * 1_000_000_000 + st.st_ctim.tv_nsec, UInt64(st.st_ino))
    }
}
