import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the cache lives and how big it may grow (`--cache-dir`, `PHASERUNNER_CACHE_DIR`,
/// `--no-cache`).
public enum CacheSetting: Sendable, Hashable {
    /// Beside the output's staging folder: `<parent>/.<output>.phaserunner-cache`.
    case besideOutput
    case directory(String)
    /// Neither read nor written.
    case disabled

    /// The folder for an output directory (nil when disabled).
    public func directory(outputDir: String) -> URL? {
        switch self {
        case .disabled: return nil
        case .directory(let path): return URL(fileURLWithPath: path).standardizedFileURL
        case .besideOutput:
            let out = URL(fileURLWithPath: outputDir).standardizedFileURL
            return out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).phaserunner-cache")
        }
    }

    /// `--no-cache` wins, then `--cache-dir`, then `PHASERUNNER_CACHE_DIR`, then beside the output.
    public static func from(noCache: Bool, cacheDir: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> CacheSetting {
        if noCache { return .disabled }
        if let dir = cacheDir, !dir.isEmpty { return .directory(dir) }
        if let dir = environment["PHASERUNNER_CACHE_DIR"], !dir.isEmpty { return .directory(dir) }
        return .besideOutput
    }

    public static let defaultLimitBytes = 512 * 1024 * 1024
}

/// A content-addressed store on disk, safe to share between runs at once:
///
///     objects/ab/abcdef…   blobs, named by the sha256 of their bytes (checked on every read)
///     entries/12/1234…     one entry per key: "<sha256 of the rest>\n<entry>" (checked on every read;
///                          see `CacheEntryCodec`)
///     tmp/                 files being written, renamed into place when whole
///     size                 bytes stored so far (updated under `lock`)
///     last-run.json        the last run's hits and misses (`phaserunner cache info`)
///
/// Every write goes to `tmp/` and is renamed into place, so a reader sees a whole file or
/// none; a damaged file is a miss (and is removed), never a wrong result. Least recently used
/// entries are evicted when the size passes the limit.
public final class CacheStore: @unchecked Sendable {
    public let directory: URL
    public let limitBytes: Int
    /// Blobs younger than this survive eviction even when no entry names them yet (a run
    /// running beside this one may be about to store the entry that does).
    let unreferencedGrace: TimeInterval
    private let fm = FileManager.default

    public init(directory: URL, limitBytes: Int = CacheSetting.defaultLimitBytes, unreferencedGrace: TimeInterval = 60) {
        self.directory = directory
        self.limitBytes = limitBytes
        self.unreferencedGrace = unreferencedGrace
    }

    var objects: URL { directory.appendingPathComponent("objects") }
    private var objectsPath: String { directory.path + "/objects" }
    var entries: URL { directory.appendingPathComponent("entries") }
    var tmp: URL { directory.appendingPathComponent("tmp") }
    var sizeFile: URL { directory.appendingPathComponent("size") }
    var lockFile: URL { directory.appendingPathComponent("lock") }
    var lastRunFile: URL { directory.appendingPathComponent("last-run.json") }

    func blobURL(_ id: Fingerprint) -> URL { objects.appendingPathComponent(String(id.hex.prefix(2))).appendingPathComponent(id.hex) }
    func entryURL(_ key: Fingerprint) -> URL { entries.appendingPathComponent(String(key.hex.prefix(2))).appendingPathComponent(key.hex) }

    // MARK: reading

    /// A generated file's bytes by their sha256 (hex), when the cache still holds them: what a
    /// file was in an earlier generation (the TUI diffs a changed file against it).
    public func contents(sha256 hex: String) -> Data? {
        Fingerprint(hex: hex).flatMap(blob)
    }

    enum Lookup {
        case hit(CacheEntry)
        case miss
        /// Present but damaged or foreign: removed.
        case corrupt
    }

    /// The entry stored under `key`, checked: checksum, format and key must all match.
    func entry(_ key: Fingerprint) -> Lookup {
        let path = entryURL(key).path
        guard let (data, mtime) = Self.read(path) else { return .miss }
        guard let entry = Self.decodeEntry(data), entry.key == key, entry.format == CacheEntry.format else {
            unlink(path)
            return .corrupt
        }
        // Least recently used goes by modification time, to the minute: an entry used within
        // the last minute is not touched again (one system call less per hit).
        if mtime < Int(Date().timeIntervalSince1970 * 1e9) - Self.touchGranularityNs { touch(path) }
        return .hit(entry)
    }

    static let touchGranularityNs = 60_000_000_000

    static func decodeEntry(_ data: Data) -> CacheEntry? {
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let sum = String(decoding: data[data.startIndex..<newline], as: UTF8.self)
        let body = data[data.index(after: newline)...]
        guard Fingerprint.of(bytes: body).hex == sum else { return nil }
        return CacheEntryCodec.decode(Data(body))
    }

    static func encodeEntry(_ entry: CacheEntry) -> Data? {
        guard let body = CacheEntryCodec.encode(entry) else { return nil }
        var data = Data(Fingerprint.of(bytes: body).hex.utf8)
        data.append(UInt8(ascii: "\n"))
        data.append(body)
        return data
    }

    /// The blob named `id`, checked (a damaged one is removed and reads as missing).
    func blob(_ id: Fingerprint) -> Data? {
        let path = objectsPath + "/" + id.hex.prefix(2) + "/" + id.hex
        guard let (data, _) = Self.read(path) else { return nil }
        guard Fingerprint.of(bytes: data) == id else {
            unlink(path)
            return nil
        }
        return data
    }

    /// A whole regular file and its modification time (ns), read with plain system calls (the
    /// cache reads hundreds of small files per run).
    static func read(_ path: String) -> (Data, mtime: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        var data = Data(count: size)
        let got = data.withUnsafeMutableBytes { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            var done = 0
            while done < size {
                let n = Glibc.read(fd, base + done, size - done)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            return done
        }
        guard got == size else { return nil }
        return (data, st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec)
    }

    /// The files these references name, read from their blobs (each checked); nil when any
    /// is missing or damaged (every damaged one is removed, so a rerun rewrites them all).
    func files(_ refs: [CacheEntry.FileRef]) -> [GeneratedFile]? {
        var files: [GeneratedFile] = []
        files.reserveCapacity(refs.count)
        for ref in refs {
            guard let data = blob(ref.blob) else { continue }
            files.append(GeneratedFile(path: ref.path, contents: String(decoding: data, as: UTF8.self), kind: ref.kind, model: ref.model,
                                       knownSHA256: ref.blob.hex))
        }
        return files.count == refs.count ? files : nil
    }

    /// Marks a file as used now (least-recently-used eviction goes by modification time).
    private func touch(_ path: String) { utimes(path, nil) }

    // MARK: writing

    /// Stores blobs (skipping those present with the right size; a damaged blob of the right
    /// size is found and removed when it is read) and then the entry, each written whole
    /// into `tmp/` and renamed into place. Returns the bytes added. Errors are swallowed: a
    /// cache that cannot be written costs time, never the run.
    /// `linkable`: files already holding a blob's exact bytes (a staged file, by blob): such a
    /// blob is a hard link to that file, one system call instead of writing the bytes again
    /// (a blob is checked on every read, so a file edited in place later costs a miss, never
    /// a wrong result). Where linking is not possible (another file system), bytes are written.
    @discardableResult
    func store(_ entry: CacheEntry, blobs: [Fingerprint: () -> Data?], linkable: [Fingerprint: String] = [:]) -> Int {
        var added = 0
        let sizes = Dictionary(entry.allFiles.map { ($0.blob, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        for (id, bytes) in blobs {
            let folder = objectsPath + "/" + id.hex.prefix(2)
            let target = folder + "/" + id.hex
            if let source = linkable[id], (try? ensureFolder(folder)) != nil, link(source, target) == 0 {
                added += sizes[id] ?? 0
                continue
            }
            // Already stored (linking found it there, or there was nothing to link): kept when whole in size.
            if fileSize(target) == sizes[id] { continue }
            guard let data = bytes() else { continue }
            if write(data, to: blobURL(id)) { added += data.count }
        }
        guard let data = Self.encodeEntry(entry) else { return added }
        if write(data, to: entryURL(entry.key)) { added += data.count }
        return added
    }

    private func fileSize(_ path: String) -> Int? {
        var st = Glibc.stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Folders known to exist (creating them again for every blob costs two system calls).
    private var madeFolders: Set<String> = []
    private let foldersLock = NSLock()

    private func ensureFolder(_ path: String) throws {
        if foldersLock.withLock({ madeFolders.contains(path) }) { return }
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        foldersLock.withLock { _ = madeFolders.insert(path) }
    }

    private func write(_ data: Data, to url: URL) -> Bool {
        let target = url.path
        let staging = tmp.path + "/\(getpid())-\(UUID().uuidString)"
        do {
            try ensureFolder(tmp.path)
            try ensureFolder(String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)]))
            try data.write(to: URL(fileURLWithPath: staging))
            if rename(staging, target) != 0 {
                try? fm.removeItem(atPath: staging)
                return false
            }
            return true
        } catch {
            try? fm.removeItem(atPath: staging)
            return false
        }
    }

    // MARK: size, eviction, statistics

    /// Runs `body` holding the cache's lock file (one process at a time across processes).
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        try? fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { _ = flock(fd, LOCK_EX) }
        defer {
            if fd >= 0 {
                _ = flock(fd, LOCK_UN)
                close(fd)
            }
        }
        return try body()
    }

    /// Adds to the recorded size and evicts least recently used entries past the limit.
    func account(addedBytes: Int) {
        guard addedBytes > 0 else { return }
        withLock {
            var size = (fm.contents(atPath: sizeFile.path).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0) + addedBytes
            if size > limitBytes { size = evictLocked(target: limitBytes * 8 / 10) }
            _ = write(Data(String(size).utf8), to: sizeFile)
        }
    }

    private struct Item {
        let path: String
        /// The file's name (a blob's is its sha256).
        let name: String
        let size: Int
        let used: Date
    }

    /// Every regular file under `root` with its size and mtime: a walk with readdir and lstat
    /// (a store holds hundreds of thousands of files; URL resource values cost ten times more).
    private func items(under root: URL) -> [Item] {
        var out: [Item] = []
        var folders = [root.path]
        while let folder = folders.popLast() {
            guard let dir = opendir(folder) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = folder + "/" + name
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: folders.append(path)
                case S_IFREG:
                    let used = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
                    out.append(Item(path: path, name: name, size: Int(st.st_size), used: used))
                default: continue
                }
            }
        }
        return out
    }

    /// Removes the least recently used entries until the store is at most `target` bytes,
    /// then every blob no remaining entry names (except recent ones, see `unreferencedGrace`)
    /// and leftovers of interrupted writes. Returns the size left. Called under the lock.
    private func evictLocked(target: Int) -> Int {
        var entryItems = items(under: entries).sorted { $0.used > $1.used }
        let blobItems = items(under: objects)
        let blobSizes = Dictionary(blobItems.map { ($0.name, $0.size) }, uniquingKeysWith: { a, _ in a })
        var kept: Set<String> = []
        var size = 0
        var keep = 0
        for item in entryItems {
            guard let data = fm.contents(atPath: item.path), let entry = Self.decodeEntry(data) else { break }
            var cost = item.size
            // A set: one entry can name a hundred thousand files (the phase of a huge schema).
            var names: Set<String> = []
            for f in entry.allFiles {
                let hex = f.blob.hex
                guard !kept.contains(hex), names.insert(hex).inserted else { continue }
                cost += blobSizes[hex] ?? 0
            }
            if size + cost > target { break }
            size += cost
            kept.formUnion(names)
            keep += 1
        }
        for item in entryItems.dropFirst(keep) { unlink(item.path) }
        entryItems.removeAll()
        let recent = Date().addingTimeInterval(-unreferencedGrace)
        for item in blobItems where !kept.contains(item.name) {
            if item.used > recent { size += item.size; continue }
            unlink(item.path)
        }
        for item in items(under: tmp) where item.used < Date().addingTimeInterval(-3600) { unlink(item.path) }
        return size
    }

    /// What `phaserunner cache info` prints.
    public struct Info: Sendable {
        public var directory: String
        public var entries: Int
        public var blobs: Int
        public var bytes: Int
        public var limitBytes: Int
        public var lastRun: LastRun?
    }

    /// The last run's figures, as recorded at its end.
    public struct LastRun: Sendable, Codable {
        public var finished: Date
        public var outputDir: String
        public var stats: CacheStats
    }

    public func info() -> Info {
        let e = items(under: entries)
        let b = items(under: objects)
        let last = fm.contents(atPath: lastRunFile.path).flatMap { data -> LastRun? in
            let d = JSONDecoder()
            d.dateDecodingStrategy = .iso8601
            return try? d.decode(LastRun.self, from: data)
        }
        return Info(directory: directory.path, entries: e.count, blobs: b.count,
                    bytes: (e + b).reduce(0) { $0 + $1.size }, limitBytes: limitBytes, lastRun: last)
    }

    func recordLastRun(_ run: LastRun) {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        if let data = try? e.encode(run) { _ = write(data, to: lastRunFile) }
    }

    /// Removes every entry and blob (`phaserunner cache clean`). Returns the bytes freed.
    @discardableResult
    public func clean() throws -> Int {
        try withLock {
            let freed = info().bytes
            for sub in [objects, entries, tmp] where fm.fileExists(atPath: sub.path) { try fm.removeItem(at: sub) }
            foldersLock.withLock { madeFolders.removeAll() }
            try? fm.removeItem(at: sizeFile)
            try? fm.removeItem(at: lastRunFile)
            return freed
        }
    }
}
