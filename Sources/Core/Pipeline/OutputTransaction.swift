import Foundation

/// Every file a run produces goes through one transaction. Files are staged in a
/// work folder beside the output directory and the output only changes at
/// `commit()`, after every phase succeeded. A journal makes the commit recoverable:
/// a run killed at any moment leaves the previous generation or the new one, whole
/// (the next run finishes or undoes an interrupted commit before anything else).
///
/// Layout: `<parent>/.<name>.phaserunner/{staging/, backup/, journal.json}`.
public final class OutputTransaction: @unchecked Sendable {
    public let outputDir: URL
    /// `outputDir.path`, for building paths without `URL`'s cost in per-file loops.
    private let outputPath: String
    let workDir: URL
    let force: Bool
    /// Paths the previous run's manifest listed (files phaserunner owns).
    public private(set) var previousManifestPaths: Set<String>
    /// The output folder was missing or empty when the transaction opened: staging compares
    /// nothing with it (a first generation), and the commit checks again.
    private let outputWasEmpty: Bool
    private let staging: StagingWriter

    private struct Staged {
        var path: String
        var kind: GeneratedFile.Kind
        var model: String?
        /// sha256 of the bytes (hex), computed once, when staged.
        var sha256: String
        var bytes: Int
        /// Nil for a file staged by reference whose bytes the output already has.
        var contents: String?
        /// Where the bytes of a file staged by reference come from, if the output changes.
        var load: (@Sendable () -> Data?)?
        /// Same bytes as the file already in the output directory.
        var unchanged: Bool
        var onDisk: Bool
        /// The output directory has no file at this path yet.
        var isNew = false
        /// Copied from an earlier run's transaction: compare with the disk again at commit.
        var restored = false
        /// Staged from a `Reference` (its bytes are in the phase cache).
        var byReference = false
        /// The output's file matched its stat-cache record when staged (its record stays true).
        var statVerified = false

        var listing: ManifestEmitter.Listed { .init(path: path, sha256: sha256, bytes: bytes, kind: kind, model: model) }

        /// The file's bytes: from memory when kept, else from the output (unchanged) or from
        /// staging (written there); nil for a file staged by reference whose bytes are gone.
        func contentBytes(outputPath: String, stagingRoot: String) -> Data? {
            let fm = FileManager.default
            return contents.map { Data($0.utf8) } ?? load?()
                ?? (unchanged ? fm.contents(atPath: outputPath + "/" + path) : nil)
                ?? (onDisk ? fm.contents(atPath: stagingRoot + "/" + path) : nil)
        }
    }

    /// Every staged file in staging order (a path staged again keeps its place).
    private var stagedList: [Staged] = []
    /// Position in `stagedList` by path.
    private var stagedPosition: [String: Int] = [:]
    /// Which phase staged which paths (from `PhaseScope`), in staging order.
    private var stagedBy: [String: [String]] = [:]
    /// Paths only one phase may stage (a plugin's files), by that phase.
    private var claims: [String: String] = [:]
    private var sealers: [(phase: String, seal: @Sendable ([ManifestEmitter.Listed]) -> GeneratedFile)] = []
    /// How the output's files looked after the last commit (nil without a cache folder).
    private let statCache: OutputStatCache
    private let statCacheURL: URL?
    /// Test seam: stop the commit after this many file moves, as if the process were killed.
    var simulatedCrashAfterMoves: Int?
    struct SimulatedCrash: Error {}
    private let lock = NSLock()
    private let fm = FileManager.default
    /// Whether staged files keep their text in memory (see `init`).
    private let keepsText: Bool

    static let manifestPath = ManifestEmitter.path

    var stagingDir: URL { workDir.appendingPathComponent("staging") }
    var backupDir: URL { workDir.appendingPathComponent("backup") }
    var journalURL: URL { workDir.appendingPathComponent("journal.json") }

    static func workDir(for outputDir: URL) -> URL {
        let out = outputDir.standardizedFileURL
        return out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).phaserunner")
    }

    /// The output folder's lock, held from setupOutputDir until the commit or the rollback
    /// (nil: taken when the commit starts, as for a re-run from a phase).
    private var outputLock: OutputLock?

    /// Opens a transaction on `outputDir`, refusing a non-empty folder that no manifest
    /// describes unless `force`. Call `recover(outputDir:)` first, holding `lock`.
    /// `keepsText`: hold each staged file's text (or bytes) until the commit, so a transaction
    /// `restarted` from this one can write them again; without it a file written to staging is
    /// read back from there when its bytes are needed.
    public init(outputDir: URL, force: Bool, statCache: URL? = nil, lock: OutputLock? = nil, keepsText: Bool = true) throws {
        outputLock = lock
        self.keepsText = keepsText
        self.outputDir = outputDir.standardizedFileURL
        outputPath = outputDir.standardizedFileURL.path
        self.workDir = Self.workDir(for: outputDir)
        self.force = force
        self.statCacheURL = statCache
        self.statCache = statCache.map { OutputStatCache(contentsOf: $0) } ?? OutputStatCache()
        staging = StagingWriter(root: Self.workDir(for: outputDir).appendingPathComponent("staging").path)
        let manifest = self.outputDir.appendingPathComponent(Self.manifestPath)
        outputWasEmpty = Self.isEmptyFolder(outputPath)
        if fm.fileExists(atPath: manifest.path) {
            let remembered = statCache.flatMap { OutputStatCache.manifestPaths(statCache: $0, manifest: manifest.path) }
            guard let paths = remembered ?? Self.manifestPaths(in: self.outputDir) else {
                throw PhaseFailure.refused("\(manifest.path) is not a phaserunner manifest; move it away or use --force")
            }
            previousManifestPaths = paths
        } else if !force, let entries = try? fm.contentsOfDirectory(atPath: self.outputDir.path), !entries.isEmpty {
            throw PhaseFailure.refused("\(self.outputDir.path) is not empty and has no phaserunner manifest (\(Self.manifestPath)); choose an empty folder or use --force")
        } else {
            previousManifestPaths = []
        }
        try? fm.removeItem(at: stagingDir)
    }

    /// The staging folder's copy of `path` when it holds exactly the bytes whose sha256 is
    /// `sha256` (nil otherwise): the phase cache links its blob to it instead of copying.
    func stagedCopy(of path: String, sha256: String) -> String? {
        let entry = lock.withLock { stagedEntryLocked(path) }
        guard let entry, entry.onDisk, !entry.unchanged, entry.sha256 == sha256 else { return nil }
        return staging.root + "/" + path
    }

    /// Whether `path` is missing or a folder with nothing in it (one `opendir`, no listing).
    static func isEmptyFolder(_ path: String) -> Bool {
        guard let dir = opendir(path) else { return errno == ENOENT }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { return false }
        }
        return true
    }

    /// The files the manifest in `outputDir` lists (plus the manifest itself), or nil without one.
    static func manifestPaths(in outputDir: URL) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: outputDir.appendingPathComponent(manifestPath).path),
              let paths = ManifestEmitter.listedPaths(in: String(decoding: data, as: UTF8.self)) else { return nil }
        return Set(paths).union([manifestPath])
    }

    /// A transaction for re-running from a phase: it starts with the files the phases before
    /// it staged (compared with the disk again at commit) and their sealers.
    private init(restarting other: OutputTransaction, keeping paths: [String], sealersOf phases: Set<String>) {
        outputDir = other.outputDir
        outputPath = other.outputPath
        workDir = other.workDir
        force = other.force
        keepsText = other.keepsText
        staging = StagingWriter(root: other.staging.root)
        outputWasEmpty = Self.isEmptyFolder(other.outputPath)
        statCacheURL = other.statCacheURL
        statCache = other.statCacheURL.map { OutputStatCache(contentsOf: $0) } ?? OutputStatCache()
        // The output may have changed since (the earlier run committed): read its manifest again.
        previousManifestPaths = Self.manifestPaths(in: other.outputDir) ?? other.previousManifestPaths
        other.lock.withLock {
            for path in paths {
                guard var entry = other.stagedEntryLocked(path), stagedPosition[path] == nil else { continue }
                entry.onDisk = false
                entry.restored = true
                stagedPosition[path] = stagedList.count
                stagedList.append(entry)
            }
            for (phase, list) in other.stagedBy { stagedBy[phase] = list.filter { stagedPosition[$0] != nil } }
            sealers = other.sealers.filter { phases.contains($0.phase) }
        }
    }

    /// A new transaction on the same output holding what the given phases staged.
    func restarted(keeping paths: [String], sealersOf phases: Set<String>) -> OutputTransaction {
        OutputTransaction(restarting: self, keeping: paths, sealersOf: phases)
    }

    /// The paths a phase staged (through `PhaseScope`), in staging order.
    func stagedPaths(by phase: String) -> [String] {
        lock.withLock { stagedBy[phase] ?? [] }
    }

    /// What a phase staged, as the manifest lists it (sha256 computed once, when staged), with
    /// a way to get each file's bytes: for the phase cache, which needs the bytes only of files
    /// it does not hold yet.
    /// Files staged by reference (from the phase cache) have no such way: the cache holds them.
    func listings(stagedBy phase: String) -> [(listed: ManifestEmitter.Listed, bytes: (() -> Data?)?)] {
        let entries = lock.withLock { (stagedBy[phase] ?? []).compactMap { stagedEntryLocked($0) } }
        let (outputPath, stagingRoot) = (outputPath, staging.root)
        return entries.map { e in (e.listing, e.byReference ? nil : { e.contentBytes(outputPath: outputPath, stagingRoot: stagingRoot) }) }
    }

    /// Every file staged so far, in staging order.
    public var stagedFiles: [GeneratedFile] {
        lock.withLock { stagedList }.compactMap(file)
    }

    /// How many files are staged so far.
    public var stagedCount: Int { lock.withLock { stagedList.count } }

    /// The entry staged at `path`. Called under `lock`.
    private func stagedEntryLocked(_ path: String) -> Staged? {
        stagedPosition[path].map { stagedList[$0] }
    }

    /// A staged file with its bytes (a file staged by reference has them in the output).
    private func file(_ e: Staged) -> GeneratedFile? {
        let contents = e.contents ?? e.contentBytes(outputPath: outputPath, stagingRoot: staging.root).map { String(decoding: $0, as: UTF8.self) }
        return contents.map { GeneratedFile(path: e.path, contents: $0, kind: e.kind, model: e.model) }
    }

    /// Stages a file. Returns false when the output already has these exact bytes.
    @discardableResult
    public func stage(_ file: GeneratedFile) throws -> Bool {
        try checkClaims([file.path])
        let entry = try prepare(file)
        register([entry])
        return !entry.unchanged
    }

    /// What staging many files found, compared with the output directory.
    public struct StageCounts: Sendable, Hashable {
        public var new = 0
        public var changed = 0
        public var unchanged = 0
    }

    /// Stages many files, doing the file I/O on all cores; the staging order stays the input order.
    /// Returns how many are new, changed and unchanged. `progress(done)` may be called from any thread.
    public func stage(_ files: [GeneratedFile], progress: @Sendable (Int) -> Void = { _ in }) throws -> StageCounts {
        try checkClaims(files.map(\.path))
        return try stageAll(files.count, progress: progress) { try prepare(files[$0]) }
    }

    /// Stages emitted and reused files alike (see `stage(_:)` and `stage(references:)`).
    public func stage(_ files: [StageableFile], progress: @Sendable (Int) -> Void = { _ in }) throws -> StageCounts {
        try checkClaims(files.map(\.path))
        return try stageAll(files.count, progress: progress) { i in
            switch files[i] {
            case .emitted(let f): try prepare(f)
            case .reused(let r): try prepare(r)
            case .bytes(let path, let kind, let model, let data): try prepare(path: path, kind: kind, model: model, data: data)
            }
        }
    }

    /// Prepares `count` files on all cores, then registers them in order and counts them.
    private func stageAll(_ count: Int, progress: @Sendable (Int) -> Void = { _ in },
                          prepare: @Sendable (Int) throws -> Staged) throws -> StageCounts {
        let results = ResultSlots<Result<Staged, any Error>>(count: count)
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            results[i] = Result { try prepare(i) }
            progress(done.increment())
        }
        // Every file is prepared before any is registered: a failure stages none of them.
        var entries: [Staged] = []
        entries.reserveCapacity(count)
        for i in 0..<count {
            guard let r = results[i] else { continue }
            entries.append(try r.get())
        }
        register(entries)
        var counts = StageCounts()
        for entry in entries {
            if entry.unchanged { counts.unchanged += 1 } else if entry.isNew { counts.new += 1 } else { counts.changed += 1 }
        }
        return counts
    }

    /// A file known by its sha256 (from the phase cache): staged without its bytes when the
    /// output already has them, else with the bytes `load` gives.
    public struct Reference: Sendable {
        public let path: String
        public let kind: GeneratedFile.Kind
        public let model: String?
        public let sha256: String
        public let bytes: Int
        public let load: @Sendable () -> Data?
        public init(path: String, kind: GeneratedFile.Kind, model: String?, sha256: String, bytes: Int, load: @escaping @Sendable () -> Data?) {
            self.path = path
            self.kind = kind
            self.model = model
            self.sha256 = sha256
            self.bytes = bytes
            self.load = load
        }
    }

    /// The bytes of a file staged by reference could not be loaded.
    public struct MissingBytes: Error, Sendable { public let path: String }

    /// Stages files by reference: those the output already has (by the recorded `lstat` and
    /// sha256) are neither read nor copied. Throws `MissingBytes` when a changed file's bytes
    /// cannot be loaded.
    public func stage(references: [Reference]) throws -> StageCounts {
        try checkClaims(references.map(\.path))
        return try stageAll(references.count) { try prepare(references[$0]) }
    }

    private func prepare(_ ref: Reference) throws -> Staged {
        try Self.checkPath(ref.path)
        if statCache.match(ref.path, at: outputPath + "/" + ref.path, sha256: ref.sha256) == .same {
            return Staged(path: ref.path, kind: ref.kind, model: ref.model, sha256: ref.sha256, bytes: ref.bytes, contents: nil,
                          load: ref.load, unchanged: true, onDisk: false, byReference: true, statVerified: true)
        }
        guard let data = ref.load() else { throw MissingBytes(path: ref.path) }
        // Hashed again: the bytes are trusted for what they are, not for what the reference says.
        var entry = try prepare(Incoming(path: ref.path, kind: ref.kind, model: ref.model, knownSHA256: nil, contents: nil, load: ref.load), bytes: data,
                                inMemory: false)
        entry.byReference = entry.sha256 == ref.sha256
        return entry
    }

    /// The phase that claimed `path` (`stage(claiming:)`), else the one that staged it ("" when
    /// outside any phase); nil when none has. Called under `lock`.
    private func ownerLocked(_ path: String) -> String? {
        if let owner = claims[path] { return owner }
        guard stagedPosition[path] != nil else { return nil }
        return stagedBy.first { $0.value.contains(path) }?.key ?? ""
    }

    /// Stages files that belong to the running phase alone (a plugin's): refuses, staging
    /// none of them, when another phase already staged one of the paths; once staged, no other
    /// phase may stage them either. A failure stages nothing and leaves no claim behind.
    public func stage(claiming files: [StageableFile]) throws -> StageCounts {
        let phase = PhaseScope.current?.name ?? ""
        let paths = files.map(\.path)
        try lock.withLock {
            for path in paths {
                if let owner = ownerLocked(path), owner != phase { throw ClaimConflict(path: path, owner: owner) }
            }
            for path in paths { claims[path] = phase }
        }
        do {
            return try stage(files)
        } catch {
            lock.withLock { for path in paths where claims[path] == phase { claims[path] = nil } }
            throw error
        }
    }

    /// A path another phase staged or claimed first.
    public struct ClaimConflict: Error, Sendable, Hashable, CustomStringConvertible {
        public let path: String
        /// The phase that has it ("" when it was staged outside any phase).
        public let owner: String
        public var description: String { "\(path) is already staged by \(owner.isEmpty ? "another phase" : "phase \(owner)")" }
    }

    /// Throws when another phase than the running one claimed one of `paths` (checked on the
    /// caller's thread, where the running phase is known, before any byte is written to staging).
    private func checkClaims(_ paths: @autoclosure () -> [String]) throws {
        let phase = PhaseScope.current?.name ?? ""
        let taken: (String, String)? = lock.withLock {
            if claims.isEmpty { return nil }
            for path in paths() { if let owner = claims[path], owner != phase { return (path, owner) } }
            return nil
        }
        guard let (path, owner) = taken else { return }
        throw PhaseFailure.refused("\(path) belongs to phase \(owner), which staged it first; no other phase may stage it")
    }

    /// Registers staged files in order, under one lock; a path staged before keeps its place.
    private func register(_ entries: [Staged]) {
        let phase = PhaseScope.current?.name ?? ""
        lock.withLock {
            stagedList.reserveCapacity(stagedList.count + entries.count)
            for entry in entries {
                if let i = stagedPosition[entry.path] {
                    stagedList[i] = entry
                } else {
                    stagedPosition[entry.path] = stagedList.count
                    stagedList.append(entry)
                    stagedBy[phase, default: []].append(entry.path)
                }
            }
        }
    }

    /// Compares with the output and writes changed bytes into staging (thread-safe). The
    /// output's file is not read when its recorded `lstat` says it has these bytes.
    private func prepare(_ file: GeneratedFile) throws -> Staged {
        try Self.checkPath(file.path)
        // The contents' UTF-8 read in place: no copy of what may be megabytes.
        var contents = file.contents
        return try contents.withUTF8 { utf8 in
            let bytes = utf8.baseAddress.map { Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: utf8.count, deallocator: .none) } ?? Data()
            return try prepare(Incoming(path: file.path, kind: file.kind, model: file.model, knownSHA256: file.knownSHA256, contents: file.contents, load: nil),
                               bytes: bytes, inMemory: true)
        }
    }

    /// A file about to be staged: what it is, and how its bytes can be had again later (its
    /// contents in memory, or `load`).
    private struct Incoming {
        let path: String
        let kind: GeneratedFile.Kind
        let model: String?
        let knownSHA256: String?
        let contents: String?
        let load: (@Sendable () -> Data?)?
    }

    /// `prepare` with the file's bytes (valid only during the call). `inMemory`: the file's
    /// `contents` or `load` hold its bytes in memory (not a reference into the phase cache), and
    /// are let go once the bytes are in staging unless the transaction `keepsText`.
    private func prepare(_ file: Incoming, bytes: Data, inMemory: Bool) throws -> Staged {
        let dest = outputPath + "/" + file.path
        let sha = file.knownSHA256 ?? Fingerprint.of(bytes: bytes).hex
        func entry(unchanged: Bool, onDisk: Bool, isNew: Bool = false) -> Staged {
            let release = inMemory && !keepsText && onDisk
            return Staged(path: file.path, kind: file.kind, model: file.model, sha256: sha, bytes: bytes.count,
                          contents: release ? nil : file.contents, load: release ? nil : file.load,
                          unchanged: unchanged, onDisk: onDisk, isNew: isNew)
        }
        if outputWasEmpty {
            // Nothing to compare with: straight into staging (the commit checks the output again).
            try bytes.withUnsafeBytes { try staging.write($0, to: file.path) }
            return entry(unchanged: false, onDisk: true, isNew: true)
        }
        let recorded = statCache.match(file.path, at: dest, sha256: sha)
        if recorded == .same {
            var e = entry(unchanged: true, onDisk: false)
            e.statVerified = true
            return e
        }
        var unchanged = false
        // A file recorded with other bytes is not read (a hook is: the user may have edited it).
        let existingBytes = recorded == .differs && file.kind != .hook ? nil : fm.contents(atPath: dest)
        if recorded == .differs, existingBytes == nil, !force, !previousManifestPaths.contains(file.path) {
            throw PhaseFailure.refused("\(dest) exists and was not generated by phaserunner (no manifest lists it); refusing to overwrite it without --force")
        }
        if let existing = existingBytes {
            unchanged = existing == bytes
            if !unchanged, file.kind == .hook, userEdited(file.path, existing) {
                // The user's version of a hook file: keep it.
                return entry(unchanged: true, onDisk: false)
            }
            if !unchanged, !force, !previousManifestPaths.contains(file.path) {
                throw PhaseFailure.refused("\(dest) exists and was not generated by phaserunner (no manifest lists it); refusing to overwrite it without --force")
            }
        }
        var onDisk = false
        if !unchanged {
            try bytes.withUnsafeBytes { try staging.write($0, to: file.path) }
            onDisk = true
        }
        return entry(unchanged: unchanged, onDisk: onDisk, isNew: existingBytes == nil && recorded != .differs)
    }

    /// Bytes already made (not text), staged like a file.
    private func prepare(path: String, kind: GeneratedFile.Kind, model: String?, data: Data) throws -> Staged {
        try Self.checkPath(path)
        return try prepare(Incoming(path: path, kind: kind, model: model, knownSHA256: nil, contents: nil, load: { data }), bytes: data,
                           inMemory: true)
    }

    /// A hook file differs from what the previous run generated (or no manifest listed it).
    private func userEdited(_ path: String, _ existing: Data) -> Bool {
        guard let data = fm.contents(atPath: outputDir.appendingPathComponent(Self.manifestPath).path),
              let hashes = ManifestEmitter.listedHashes(in: String(decoding: data, as: UTF8.self)),
              let generated = hashes[path] else { return true }
        return ManifestEmitter.sha256(String(decoding: existing, as: UTF8.self)) != generated
    }

    /// Registers a file computed at commit time from every staged file (the manifest).
    public func addSealer(_ sealer: @escaping @Sendable ([ManifestEmitter.Listed]) -> GeneratedFile) {
        let phase = PhaseScope.current?.name ?? ""
        lock.withLock { sealers.append((phase, sealer)) }
    }

    /// Refuses a path that is absolute, empty, has a `..` part or a backslash (one pass over its
    /// bytes: every staged file's path goes through here).
    static func checkPath(_ path: String) throws {
        var safe = path.utf8.first != UInt8(ascii: "/")
        var hasPart = false
        var partLength = 0, partDots = 0
        for b in path.utf8 where safe {
            switch b {
            case UInt8(ascii: "\\"): safe = false
            case UInt8(ascii: "/"):
                if partLength == 2, partDots == 2 { safe = false }
                partLength = 0; partDots = 0
            default:
                hasPart = true
                partLength += 1
                if b == UInt8(ascii: ".") { partDots += 1 }
            }
        }
        if partLength == 2, partDots == 2 { safe = false }
        if !safe || !hasPart {
            throw PhaseFailure.refused("generated path \(path) must be relative and stay inside the output directory")
        }
    }

    private struct Journal: Codable {
        struct Write: Codable {
            let path: String
            let existed: Bool
        }
        var state: String
        var writes: [Write]
        var deletes: [String]
        /// Whether the output directory existed before this commit.
        var outputExisted: Bool
        /// A first generation: the staging folder is renamed to be the output, in one step (no
        /// list of writes; see `recover`).
        var wholeFolder: Bool? = nil
    }

    private func writeJournal(_ j: Journal) throws {
        let data = try JSONEncoder().encode(j)
        try fm.createDirectory(at: workDir, withIntermediateDirectories: true)
        let tmp = workDir.appendingPathComponent("journal.tmp")
        try data.write(to: tmp)
        let h = try FileHandle(forWritingTo: tmp)
        try h.synchronize()
        try h.close()
        if fm.fileExists(atPath: journalURL.path) { try fm.removeItem(at: journalURL) }
        try fm.moveItem(at: tmp, to: journalURL)
    }

    /// Applies the staged files to the output directory. Unchanged files are not touched;
    /// files the previous manifest listed and this run did not produce are removed.
    public func commit() throws -> CommitSummary {
        // Never commit without the folder's lock (a re-run from a phase takes it only now).
        if lock.withLock({ outputLock }) == nil {
            let acquired: OutputLock?
            do { acquired = try OutputLock.tryAcquire(outputDir: outputDir) } catch { throw error.phaseFailure }
            guard let taken = acquired else {
                throw OutputLock.Failure.held(by: OutputLock.holderNamed(outputDir), outputDir: outputPath).phaseFailure
            }
            lock.withLock { outputLock = taken }
        }
        defer { releaseLock() }
        for sealer in lock.withLock({ sealers }) {
            // A sealer sees every file staged before it (the earlier sealers' too).
            try stage(sealer.seal(lock.withLock { stagedList }.map(\.listing)))
        }
        // This commit's view of the staged files (shared storage: copied only if a restored
        // file's entry is updated below).
        var entries = lock.withLock { stagedList }
        // What this run produced, to find files the previous manifest listed and it did not.
        let produced = previousManifestPaths.isEmpty ? [] : Set(entries.map(\.path))
        var summary = CommitSummary()
        var writes: [Journal.Write] = []
        var written = [Bool](repeating: false, count: entries.count) // by position in `entries`
        // Still empty (the usual first generation): no file to compare, back up or check.
        let outputEmpty = Self.isEmptyFolder(outputPath)
        for i in entries.indices {
            // A restored file is compared with the output; the entry is updated in place.
            if entries[i].restored {
                var e = entries[i]
                defer { entries[i] = e }
                if let known = statCache.knownHash(e.path, at: outputPath + "/" + e.path) {
                    e.unchanged = known == e.sha256
                    e.statVerified = e.unchanged
                } else {
                    let current = fm.contents(atPath: outputPath + "/" + e.path)
                    e.unchanged = current.map { Fingerprint.of(bytes: $0).hex == e.sha256 } ?? false
                    if !e.unchanged, e.kind == .hook, let current, userEdited(e.path, current) { e.unchanged = true }
                }
            }
            if entries[i].unchanged { summary.unchanged += 1; continue }
            let e = entries[i]
            if !e.onDisk {
                // Kept from an earlier run (re-running from a phase): write it into staging now.
                guard let data = e.contents.map({ Data($0.utf8) }) ?? e.load?() else {
                    throw PhaseFailure.io(path: e.path, message: "the bytes of this file are no longer available (re-run the whole generation)")
                }
                let target = stagingDir.appendingPathComponent(e.path)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: target)
            }
            let existed = !outputEmpty && fm.fileExists(atPath: outputPath + "/" + e.path)
            if existed, outputWasEmpty, !e.restored, !force, !previousManifestPaths.contains(e.path) {
                // Appeared in the output folder during the run (staging compared nothing).
                throw PhaseFailure.refused("\(outputPath)/\(e.path) exists and was not generated by phaserunner (no manifest lists it); refusing to overwrite it without --force")
            }
            writes.append(.init(path: e.path, existed: existed))
            written[i] = true
        }
        let deletes = previousManifestPaths.subtracting(produced).sorted()
            .filter { fm.fileExists(atPath: outputPath + "/" + $0) }
        summary.written = writes.count
        summary.deleted = deletes.count
        // Before anything changes: every path must be a plain file (or missing) under plain folders.
        if !outputEmpty { try checkPaths(writes: writes.map(\.path), deletes: deletes) }
        // Record the files' stats again unless nothing was written and every file was known.
        let allKnown = writes.isEmpty && deletes.isEmpty && entries.allSatisfy { $0.kind == .hook || statCache.isSettled($0.path, sha256: $0.sha256) }
        defer { if !allKnown { recordStats(entries, written: written) } }
        if writes.isEmpty && deletes.isEmpty {
            try? fm.removeItem(at: workDir)
            return summary
        }
        let outputExisted = fm.fileExists(atPath: outputDir.path)
        // An output folder that is a symbolic link (the user's choice) stays one: its target
        // is filled file by file below instead of the link being replaced by the staging folder.
        var rootStat = stat()
        let outputIsLink = lstat(outputPath, &rootStat) == 0 && rootStat.st_mode & S_IFMT == S_IFLNK
        if outputEmpty, deletes.isEmpty, summary.unchanged == 0, !outputIsLink {
            // A first generation: the staging folder becomes the output in one rename.
            do {
                try writeJournal(Journal(state: "prepared", writes: [], deletes: [], outputExisted: outputExisted, wholeFolder: true))
                if outputExisted { try fm.removeItem(at: outputDir) }
                try fm.createDirectory(at: outputDir.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: stagingDir, to: outputDir)
                try writeJournal(Journal(state: "committed", writes: [], deletes: [], outputExisted: outputExisted, wholeFolder: true))
            } catch {
                _ = try? Self.recover(outputDir: outputDir)
                throw PhaseFailure.fileSystem(path: outputDir.path, error, prefix: "commit failed and was rolled back: ")
            }
            try? fm.removeItem(at: workDir)
            return summary
        }
        do {
            try writeJournal(Journal(state: "prepared", writes: writes, deletes: deletes, outputExisted: outputExisted))
            try fm.createDirectory(at: outputDir, withIntermediateDirectories: true)
            var moves = 0
            func moved() throws {
                moves += 1
                if let limit = simulatedCrashAfterMoves, moves >= limit { throw SimulatedCrash() }
            }
            for w in writes {
                let dest = outputDir.appendingPathComponent(w.path)
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                if w.existed { try moveReplacing(dest, to: backupDir.appendingPathComponent(w.path)) }
                try fm.moveItem(at: stagingDir.appendingPathComponent(w.path), to: dest)
                try moved()
            }
            for d in deletes {
                try moveReplacing(outputDir.appendingPathComponent(d), to: backupDir.appendingPathComponent(d))
                try moved()
            }
            try writeJournal(Journal(state: "committed", writes: writes, deletes: deletes, outputExisted: outputExisted))
        } catch is SimulatedCrash {
            throw SimulatedCrash() // leave everything as a killed process would
        } catch {
            // Put the previous generation back, then report.
            _ = try? Self.recover(outputDir: outputDir)
            throw PhaseFailure.fileSystem(path: outputDir.path, error, prefix: "commit failed and was rolled back: ")
        }
        Self.removeEmptyFolders(deletes, in: outputDir)
        try? fm.removeItem(at: workDir)
        return summary
    }

    /// Refuses a commit that would replace a folder with a file, need a folder where a file is,
    /// or write or delete through a symbolic link (which can lead outside the output folder):
    /// one line naming the path, before anything is changed. A symbolic link at a file's own
    /// path is fine: it is replaced (or removed) itself, never what it points to.
    private func checkPaths(writes: [String], deletes: [String]) throws {
        var folders: Set<String> = []
        func kind(_ relative: String) -> mode_t? {
            var st = stat()
            guard lstat(outputPath + "/" + relative, &st) == 0 else { return nil }
            return st.st_mode & S_IFMT
        }
        func refuse(_ relative: String, _ why: String) -> PhaseFailure {
            .refused("\(outputPath)/\(relative) \(why); move it away and run again (nothing was changed)")
        }
        func checkFolders(of path: String, writing: Bool) throws {
            var prefix = ""
            for part in path.split(separator: "/").dropLast() {
                prefix += prefix.isEmpty ? String(part) : "/" + part
                guard folders.insert(prefix).inserted else { continue }
                switch kind(prefix) {
                case nil, S_IFDIR: continue
                case S_IFLNK:
                    throw refuse(prefix, "is a symbolic link, and phaserunner never \(writing ? "writes" : "deletes") through one (for \(path))")
                default:
                    throw refuse(prefix, "is a file, where phaserunner needs a folder (for \(path))")
                }
            }
        }
        for path in writes {
            try checkFolders(of: path, writing: true)
            if kind(path) == S_IFDIR { throw refuse(path, "is a folder, where phaserunner writes a file") }
        }
        for path in deletes {
            try checkFolders(of: path, writing: false)
            if kind(path) == S_IFDIR { throw refuse(path, "is a folder, where phaserunner generated a file it now removes") }
        }
    }

    /// Remembers how the committed files look on disk, so the next run need not read them. A
    /// settled record of a file this run found unchanged by its `lstat` is kept as it was.
    /// `written[i]`: whether the commit wrote `entries[i]`.
    private func recordStats(_ entries: [Staged], written: [Bool]) {
        guard let statCacheURL else { return }
        var files: [(path: String, sha256: String, kept: OutputStatCache.Record?)] = []
        files.reserveCapacity(entries.count)
        for (e, written) in zip(entries, written) where e.kind != .hook {
            let previous = e.statVerified && !written ? statCache.records[e.path] : nil
            files.append((e.path, e.sha256, previous.flatMap { $0.racy || $0.sha256 != e.sha256 ? nil : $0 }))
        }
        OutputStatCache.record(files, outputDir: outputDir, to: statCacheURL)
        guard let manifest = entries.first(where: { $0.path == Self.manifestPath }) else {
            try? fm.removeItem(atPath: statCacheURL.path + ".manifest")
            return
        }
        OutputStatCache.recordManifestPaths(entries.map(\.path), manifest: outputPath + "/" + Self.manifestPath,
                                            sha256: manifest.sha256, statCache: statCacheURL)
    }

    /// Drops everything staged; the output directory is left as it was.
    public func rollback() {
        try? fm.removeItem(at: stagingDir)
        if !fm.fileExists(atPath: journalURL.path) { try? fm.removeItem(at: workDir) }
        releaseLock()
    }

    private func releaseLock() {
        let held = lock.withLock { () -> OutputLock? in
            defer { outputLock = nil }
            return outputLock
        }
        held?.release()
    }

    private func moveReplacing(_ src: URL, to dest: URL) throws {
        try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
        try fm.moveItem(at: src, to: dest)
    }

    static func removeEmptyFolders(_ deleted: [String], in outputDir: URL) {
        let fm = FileManager.default
        var folders = Set<String>()
        for d in deleted {
            var parts = d.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        for folder in folders.sorted(by: { $0.count > $1.count }) {
            let url = outputDir.appendingPathComponent(folder)
            if let items = try? fm.contentsOfDirectory(atPath: url.path), items.isEmpty { try? fm.removeItem(at: url) }
        }
    }

    public enum Recovery: Sendable, Hashable {
        /// A commit was interrupted after it finished writing: the new generation stays.
        case completed
        /// A commit was interrupted midway: the previous generation was put back.
        case undone
        /// Only leftovers of an unfinished run were removed (the output was never touched).
        case cleaned
    }

    /// Finishes or undoes an interrupted commit. Returns what it did, or nil if there was nothing to do.
    @discardableResult
    public static func recover(outputDir: URL) throws -> Recovery? {
        let fm = FileManager.default
        let work = workDir(for: outputDir)
        guard fm.fileExists(atPath: work.path) else { return nil }
        let journalURL = work.appendingPathComponent("journal.json")
        guard let data = fm.contents(atPath: journalURL.path), let journal = try? JSONDecoder().decode(Journal.self, from: data) else {
            try fm.removeItem(at: work)
            return .cleaned
        }
        let out = outputDir.standardizedFileURL
        let backup = work.appendingPathComponent("backup")
        if journal.state == "committed" {
            try fm.removeItem(at: work)
            return .completed
        }
        if journal.wholeFolder == true {
            // A first generation: once the staging folder was renamed, the output is the new
            // generation, whole (finish it); before, the output is as it was (an empty folder
            // removed just before the rename is made again).
            let staging = work.appendingPathComponent("staging")
            if fm.fileExists(atPath: staging.path) {
                if journal.outputExisted, !fm.fileExists(atPath: outputDir.path) {
                    try fm.createDirectory(at: outputDir, withIntermediateDirectories: true)
                }
                try fm.removeItem(at: work)
                return .undone
            }
            try fm.removeItem(at: work)
            return .completed
        }
        for w in journal.writes {
            let dest = out.appendingPathComponent(w.path)
            let saved = backup.appendingPathComponent(w.path)
            if fm.fileExists(atPath: saved.path) {
                if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
                try fm.moveItem(at: saved, to: dest)
            } else if !w.existed, fm.fileExists(atPath: dest.path) {
                try fm.removeItem(at: dest)
            }
        }
        removeEmptyFolders(journal.writes.filter { !$0.existed }.map(\.path), in: out)
        if !journal.outputExisted, let items = try? fm.contentsOfDirectory(atPath: out.path), items.isEmpty {
            try? fm.removeItem(at: out)
        }
        for d in journal.deletes {
            let dest = out.appendingPathComponent(d)
            let saved = backup.appendingPathComponent(d)
            if fm.fileExists(atPath: saved.path), !fm.fileExists(atPath: dest.path) {
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: saved, to: dest)
            }
        }
        try fm.removeItem(at: work)
        return .undone
    }
}

/// Fixed slots filled from concurrent iterations (each index written once).
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { slots[i] } }
        set { lock.withLock { slots[i] = newValue } }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
