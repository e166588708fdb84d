import Foundation

/// What the output's files looked like on disk after the last commit: size, modification
/// and change times, inode and sha256, by path (kept in the cache folder). When a file's
/// `lstat` still matches, its sha256 is known without reading it, as git's index does. The
/// change time (`ctime`) cannot be set back by tools that preserve modification times. A file
/// changed too recently to be told apart from a later change within the same clock tick
/// ("racy", as git calls it) is recorded as such: its bytes are hashed again before its record
/// is trusted.
struct OutputStatCache: Sendable {
    struct Record: Sendable, Hashable {
        var size: Int
        var mtime: Int
        var ctime: Int
        var inode: UInt64
        var sha256: String
        /// Recorded within the racy window: the `lstat` alone does not prove the bytes.
        var racy: Bool
    }

    static let header = "phaserunner-stat 2\n"
    /// How close to the time of recording a change may be and still be told apart.
    static let racyWindowNs = 100_000_000

    static func racyLimit() -> Int { Int(Date().timeIntervalSince1970 * 1e9) - racyWindowNs }

    private(set) var records: [String: Record] = [:]

    init() {}

    /// The file for an output folder inside a cache folder.
    static func location(cacheDir: URL, outputDir: URL) -> URL {
        cacheDir.appendingPathComponent("outputs").appendingPathComponent(Fingerprint.of(outputDir.standardizedFileURL.path).hex)
    }

    /// Reads the records (an unreadable or damaged file is an empty cache).
    init(contentsOf url: URL) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return }
        let header = Array(Self.header.utf8)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= header.count, Array(b[0..<header.count]) == header else { return }
            var i = header.count
            // One record per line: sha256 size mtime ctime inode racy path (the path may hold spaces).
            while i < b.count {
                var fields: [Range<Int>] = []
                var start = i
                while i < b.count, b[i] != 10 {
                    if b[i] == 32, fields.count < 6 {
                        fields.append(start..<i)
                        start = i + 1
                    }
                    i += 1
                }
                fields.append(start..<i)
                i += 1
                func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
                guard fields.count == 7, fields[0].count == 64, let size = Int(text(fields[1])), let mtime = Int(text(fields[2])),
                      let ctime = Int(text(fields[3])), let inode = UInt64(text(fields[4])), fields[5].count == 1 else { continue }
                records[text(fields[6])] = Record(size: size, mtime: mtime, ctime: ctime, inode: inode, sha256: text(fields[0]),
                                                  racy: b[fields[5].lowerBound] == UInt8(ascii: "r"))
            }
        }
    }

    /// The paths the output's manifest lists (and the manifest), remembered at the last commit,
    /// if the manifest at `manifest` is still the file they were read from (by its `lstat`, and
    /// by its sha256 when it was recorded within the racy window): parsing a manifest of
    /// thousands of files is then not needed.
    static func manifestPaths(statCache url: URL, manifest: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: url.path + ".manifest"), let now = stat(manifest) else { return nil }
        // Split on the raw bytes (thousands of lines; `String.split` is slow).
        let lines: [String] = data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var out: [String] = []
            var start = 0
            for i in 0..<b.count where b[i] == 10 {
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
                start = i + 1
            }
            if start < b.count { out.append(String(decoding: UnsafeBufferPointer(rebasing: b[start...]), as: UTF8.self)) }
            return out
        }
        guard let header = lines.first else { return nil }
        let fields = header.split(separator: " ")
        guard fields.count == 8, fields[0] == "phaserunner-manifest-paths", fields[1] == "2",
              fields[2...5] == ["\(now.size)", "\(now.mtime)", "\(now.ctime)", "\(now.inode)"] else { return nil }
        if fields[6] == "racy" {
            guard let bytes = FileManager.default.contents(atPath: manifest), Fingerprint.of(bytes: bytes).hex == fields[7] else { return nil }
        }
        return Set(lines.dropFirst())
    }

    /// Remembers the paths of a committed manifest whose sha256 is `sha256` (see `manifestPaths`).
    static func recordManifestPaths(_ paths: [String], manifest: String, sha256: String, statCache url: URL) {
        let target = url.path + ".manifest"
        guard let s = stat(manifest), !paths.contains(where: { $0.utf8.contains(10) }) else {
            try? FileManager.default.removeItem(atPath: target)
            return
        }
        let racy = s.ctime >= racyLimit() || s.mtime >= racyLimit()
        var out = Array("phaserunner-manifest-paths 2 \(s.size) \(s.mtime) \(s.ctime) \(s.inode) \(racy ? "racy" : "settled") \(sha256)\n".utf8)
        out.reserveCapacity(out.count + paths.count * 48)
        for p in paths {
            out.append(contentsOf: p.utf8)
            out.append(10)
        }
        let tmp = target + ".\(getpid()).tmp"
        if (try? Data(out).write(to: URL(fileURLWithPath: tmp))) != nil, rename(tmp, target) != 0 { try? FileManager.default.removeItem(atPath: tmp) }
    }

    /// The sha256 of the file at `path` (`absolute` on disk) when its current `lstat` matches the
    /// record (and, for a racy record, its bytes still hash to it).
    func knownHash(_ path: String, at absolute: String) -> String? {
        guard let r = records[path], let now = Self.stat(absolute),
              now.size == r.size && now.mtime == r.mtime && now.ctime == r.ctime && now.inode == r.inode else { return nil }
        if r.racy {
            guard let bytes = FileManager.default.contents(atPath: absolute), Fingerprint.of(bytes: bytes).hex == r.sha256 else { return nil }
        }
        return r.sha256
    }

    /// What the record says of the file at `path` against bytes whose sha256 is `sha256`.
    enum Match {
        /// The file holds these bytes.
        case same
        /// The file is as recorded (a racy record: or changed since), and the record is of other
        /// bytes: the file does not hold these (a racy file might, by chance; writing it again
        /// is then harmless).
        case differs
        /// No record matches the file's `lstat`: read it to know.
        case unknown
    }

    func match(_ path: String, at absolute: String, sha256: String) -> Match {
        guard let r = records[path], let now = Self.stat(absolute),
              now.size == r.size && now.mtime == r.mtime && now.ctime == r.ctime && now.inode == r.inode else { return .unknown }
        if r.sha256 != sha256 { return .differs }
        if r.racy {
            guard let bytes = FileManager.default.contents(atPath: absolute), Fingerprint.of(bytes: bytes).hex == sha256 else { return .unknown }
        }
        return .same
    }

    /// Whether `path`'s record names `sha256` and needs no hashing to be trusted.
    func isSettled(_ path: String, sha256: String) -> Bool {
        guard let r = records[path] else { return false }
        return r.sha256 == sha256 && !r.racy
    }

    /// Records `files` (path, sha256 and a record to keep as it is, if any) as they are now
    /// under `outputDir`, and writes the cache (atomically). Files whose times are too close to
    /// now to be told apart from a later change are marked racy: their bytes are hashed again
    /// before the record is trusted.
    static func record(_ files: [(path: String, sha256: String, kept: Record?)], outputDir: URL, to url: URL) {
        var out: [UInt8] = Array(header.utf8)
        out.reserveCapacity(files.count * 140)
        let racy = racyLimit()
        let base = outputDir.path + "/"
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        func put(_ n: some BinaryInteger) { Self.appendDecimal(UInt64(clamping: n), to: &out) }
        for (path, sha, kept) in files where !path.utf8.contains(10) {
            let r: Record
            if let kept {
                r = kept
            } else {
                guard let s = stat(base + path) else { continue }
                r = Record(size: s.size, mtime: s.mtime, ctime: s.ctime, inode: s.inode, sha256: sha, racy: s.ctime >= racy || s.mtime >= racy)
            }
            put(sha); out.append(32)
            put(r.size); out.append(32)
            put(r.mtime); out.append(32)
            put(r.ctime); out.append(32)
            put(r.inode); out.append(32)
            out.append(r.racy ? UInt8(ascii: "r") : UInt8(ascii: "s")); out.append(32)
            put(path); out.append(10)
        }
        let fm = FileManager.default
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(out).write(to: tmp)
            if rename(tmp.path, url.path) != 0 { try? fm.removeItem(at: tmp) }
        } catch {
            try? fm.removeItem(at: tmp)
        }
    }

    /// `n` in decimal, appended without making a string.
    static func appendDecimal(_ n: UInt64, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = n
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            out.append(contentsOf: buf[(20 - count)...])
        }
    }

    static func stat(_ path: String) -> (size: Int, mtime: Int, ctime: Int, inode: UInt64)? {
        var st = Glibc.stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int(st.st_size), st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec,
                st.st_ctim.tv_sec * 1_000_000_000 + st.st_ctim.tv_nsec, UInt64(st.st_ino))
    }
}
