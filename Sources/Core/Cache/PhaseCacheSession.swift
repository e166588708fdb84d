import Foundation

/// The phase cache during one run: computes keys, restores hits into the context and the
/// output transaction, stores what executed phases left, and counts hits and misses. Any
/// cache problem is a miss: it costs time, never correctness.
final class PhaseCacheSession: @unchecked Sendable {
    let store: CacheStore
    /// The phase that writes each context value (to recompute a deferred value).
    private let producers: [String: any GenerationPhase]
    private var stats = CacheStats()
    /// Phases that used per-model pieces in this run.
    private var partPhases: Set<String> = []
    private var addedBytes = 0
    private let lock = NSLock()

    init(store: CacheStore, phases: [any GenerationPhase]) {
        self.store = store
        var producers: [String: any GenerationPhase] = [:]
        for p in phases { for w in p.writes { producers[w.name] = p } }
        self.producers = producers
    }

    var currentStats: CacheStats { lock.withLock { stats } }

    /// The phase's key, or nil when a value it reads has no fingerprint (then it executes).
    func key(for phase: any GenerationPhase, version: String, context: PhaseContext) -> Fingerprint? {
        var inputs: [(String, Fingerprint)] = []
        for read in phase.reads where read.name != "logger" && read.name != "runPlan" {
            guard let fp = context.fingerprint(read.name) else { return nil }
            inputs.append((read.name, fp))
        }
        return PhaseCacheKey.make(phase: phase, version: version, inputs: inputs)
    }

    // MARK: hits

    /// Restores the entry stored under `key`: written values (loaded or deferred) and staged
    /// files, re-staged through the transaction. Nil on a miss or a damaged entry, before
    /// anything was changed.
    func restore(_ key: Fingerprint, phase: any GenerationPhase, context: PhaseContext) throws -> (PhaseResult, saved: Int64)? {
        let started = ContinuousClock.now
        let entry: CacheEntry
        switch store.entry(key) {
        case .hit(let e): entry = e
        case .miss:
            count { $0.misses += 1 }
            return nil
        case .corrupt:
            count { $0.misses += 1; $0.corrupt += 1 }
            return nil
        }
        // Blobs are checked when their bytes are needed (a file the output lacks): a missing
        // or damaged one then makes this a miss.
        guard let stored = entry.result else {
            count { $0.misses += 1; $0.corrupt += 1 }
            return nil
        }
        var result = stored.phaseResult
        if !entry.files.isEmpty {
            // Staged by reference: files the output already has are neither read nor copied;
            // the others are loaded from their blobs, checked. A damaged blob is a miss (all
            // of them are checked and removed, so executing the phase rewrites every one).
            let transaction = try context.require(.transaction)
            let references = entry.files.map { ref in
                OutputTransaction.Reference(path: ref.path, kind: ref.kind, model: ref.model, sha256: ref.blob.hex, bytes: ref.bytes,
                                            load: { [store] in store.blob(ref.blob) })
            }
            let counts: OutputTransaction.StageCounts
            do {
                counts = try transaction.stage(references: references)
            } catch is OutputTransaction.MissingBytes {
                for ref in entry.files { _ = store.blob(ref.blob) }
                count { $0.misses += 1; $0.corrupt += 1 }
                return nil
            }
            var staged = StageFiles.result(counts, files: entry.files.count, bytes: entry.files.reduce(0) { $0 + $1.bytes })
            staged.counters += result.counters.filter { !StageFiles.counterNames.contains($0.name) }
            staged.warnings = result.warnings
            result = staged
        }
        for value in entry.values { restoreValue(value, into: context) }
        let took = started.duration(to: .now)
        let saved = max(0, entry.durationNs - Self.nanoseconds(took))
        count { $0.hits += 1; $0.savedNs += saved }
        return (result, saved)
    }

    private func restoreValue(_ value: CacheEntry.StoredValue, into context: PhaseContext) {
        switch value.encoding {
        case .int(let v): context.set(value.name, v, fingerprint: value.fingerprint)
        case .string(let v): context.set(value.name, v, fingerprint: value.fingerprint)
        case .strings(let v): context.set(value.name, v, fingerprint: value.fingerprint)
        case .apiSummary(let v): context.set(value.name, v, fingerprint: value.fingerprint)
        case .listing(let v): context.set(value.name, v, fingerprint: value.fingerprint)
        case .files(let refs):
            let name = value.name, fp = value.fingerprint
            let recompute = recomputeLoader(for: name)
            context.setDeferred(name, fingerprint: fp, loader: .init { [store] ctx in
                guard let files = store.files(refs) else {
                    // Damaged blobs (now removed): compute the value again.
                    guard let recompute else { throw PhaseFailure.other("the cached value \(name) is damaged and no phase writes it") }
                    try await recompute.load(ctx)
                    return
                }
                ctx.set(name, files.stageable, fingerprint: fp)
            })
        case .recompute:
            if let loader = recomputeLoader(for: value.name) {
                context.setDeferred(value.name, fingerprint: value.fingerprint, loader: loader)
            }
        }
    }

    /// Executes the phase that writes `name` again (after loading what it reads), outside the
    /// scheduler: its values come out the same as when it was cached.
    private func recomputeLoader(for name: String) -> PhaseContext.ValueLoader? {
        guard let producer = producers[name] else { return nil }
        let parts = PartCache(session: producer.caching.isCached ? self : nil, phase: producer.name)
        return .init { ctx in
            try await ctx.materialize(producer.reads.map(\.name))
            _ = try await PhaseScope.$current.withValue(PhaseScope(name: producer.name, progress: .none, parts: parts)) {
                try await producer.execute(ctx)
            }
        }
    }

    // MARK: storing

    /// Stores what an executed phase left: its written values and staged files. A phase that
    /// staged files and wrote a value that can be neither stored nor safely recomputed is not
    /// stored.
    func store(_ key: Fingerprint, phase: any GenerationPhase, context: PhaseContext, result: PhaseResult, duration: Duration) {
        // Bytes are produced only for blobs the store does not hold yet.
        var blobs: [Fingerprint: () -> Data?] = [:]
        let stagedFiles = context[.transaction]?.listings(stagedBy: phase.name) ?? []
        var entry = CacheEntry(key: key, phase: phase.name)
        for (listed, bytes) in stagedFiles {
            guard let id = Fingerprint(hex: listed.sha256) else { return }
            // Nil for a file staged from the cache: the store holds its blob already.
            if let bytes { blobs[id] = bytes }
            entry.files.append(.init(path: listed.path, kind: listed.kind, model: listed.model, blob: id, bytes: listed.bytes))
        }
        for w in phase.writes {
            guard case .value(let v)? = context.slot(w.name), let fp = context.fingerprint(w.name) else { return }
            let encoding: CacheEntry.StoredValue.Encoding
            switch v {
            case let x as Int: encoding = .int(x)
            case let x as String: encoding = .string(x)
            case let x as [String]: encoding = .strings(x)
            case let x as ApiSummary: encoding = .apiSummary(x)
            // A listing made with per-model pieces is made again just as cheaply (from them).
            case let x as GeneratedListing: encoding = usedParts(phase.name) && stagedFiles.isEmpty ? .recompute : .listing(x)
            // Made of per-model pieces: executing the phase again rebuilds them from the cache,
            // so the entry need not name every file.
            case let x as [StageableFile]: encoding = usedParts(phase.name) && stagedFiles.isEmpty ? .recompute : .files(x.map { Self.reference($0, blobs: &blobs) })
            default:
                guard stagedFiles.isEmpty else { return }
                encoding = .recompute
            }
            entry.values.append(.init(name: w.name, fingerprint: fp, encoding: encoding))
        }
        entry.result = .init(result)
        entry.durationNs = Self.nanoseconds(duration)
        later(entry, blobs: blobs)
    }

    // MARK: storing when the files are staged

    /// Entries and their blobs, stored by `flush` once their files are staged: a blob is then
    /// a hard link to the staged file instead of a second copy of its bytes.
    private var pending: [(entry: CacheEntry, blobs: [Fingerprint: () -> Data?])] = []

    private func later(_ entry: CacheEntry, blobs: [Fingerprint: () -> Data?]) {
        lock.withLock { pending.append((entry, blobs)) }
    }

    /// Stores what is pending, on all cores. `staged(path, sha256)` gives the staged copy of an
    /// output file holding exactly those bytes (nil: none; the bytes are written instead).
    func flush(staged: @Sendable (String, String) -> String? = { _, _ in nil }) {
        let items = lock.withLock { () -> [(entry: CacheEntry, blobs: [Fingerprint: () -> Data?])] in
            defer { pending.removeAll() }
            return pending
        }
        guard !items.isEmpty else { return }
        let added = ResultSlots<Int>(count: items.count)
        // The byte closures only read what they captured (file contents): safe from any thread.
        struct Items: @unchecked Sendable { let all: [(entry: CacheEntry, blobs: [Fingerprint: () -> Data?])] }
        let box = Items(all: items)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            let (entry, blobs) = box.all[i]
            var linkable: [Fingerprint: String] = [:]
            // Never a hook: the user owns that file, and a damaged blob must not reach it.
            for ref in entry.allFiles where blobs[ref.blob] != nil && ref.kind != .hook {
                if let path = staged(ref.path, ref.blob.hex) { linkable[ref.blob] = path }
            }
            added[i] = store.store(entry, blobs: blobs, linkable: linkable)
        }
        let total = (0..<items.count).reduce(0) { $0 + (added[$1] ?? 0) }
        lock.withLock { addedBytes += total }
    }

    // MARK: per-model pieces

    private func usedParts(_ phase: String) -> Bool { lock.withLock { partPhases.contains(phase) } }

    /// Files for one piece of a phase (one model's files): reused by reference when
    /// `fingerprint` was seen before (their bytes are read only if the output lacks them), else
    /// computed and stored.
    func part(_ phase: String, _ part: String, fingerprint: Fingerprint, compute: @escaping @Sendable () -> [GeneratedFile]) -> [StageableFile] {
        let key = PhaseCacheKey.part(phase, part, fingerprint: fingerprint)
        if let entry = lookUpPart(phase, key) {
            count { $0.partHits += 1 }
            return entry.files.map { ref in
                .reused(OutputTransaction.Reference(path: ref.path, kind: ref.kind, model: ref.model, sha256: ref.blob.hex, bytes: ref.bytes,
                                                    load: { [store] in
                    // A damaged blob (now removed) costs the piece being emitted again.
                    store.blob(ref.blob) ?? compute().first { $0.path == ref.path }.map { Data($0.contents.utf8) }
                }))
            }
        }
        let started = ContinuousClock.now
        let files = compute()
        var blobs: [Fingerprint: () -> Data?] = [:]
        var entry = CacheEntry(key: key, phase: "\(phase)/\(part)")
        entry.files = files.map { Self.reference($0, blobs: &blobs) }
        storePart(entry, started: started, blobs: blobs)
        // Hashed once: staging reuses the sha256 the blobs are named by.
        return zip(files, entry.files).map { file, ref in
            .emitted(GeneratedFile(path: file.path, contents: file.contents, kind: file.kind, model: file.model, knownSHA256: ref.blob.hex))
        }
    }

    /// Bytes for one piece of a phase (an intermediate result, such as one model's part of a
    /// document): from the cache when `fingerprint` was seen before (checked with its entry),
    /// else computed and stored.
    func part(_ phase: String, _ part: String, fingerprint: Fingerprint, compute: () -> [Data]) -> [Data] {
        let key = PhaseCacheKey.part(phase, part, fingerprint: fingerprint)
        if let entry = lookUpPart(phase, key) {
            if let inline = entry.inline, let pieces = Self.unframe(inline) {
                count { $0.partHits += 1 }
                return pieces
            }
            count { $0.corrupt += 1 }
        }
        let started = ContinuousClock.now
        let pieces = compute()
        var entry = CacheEntry(key: key, phase: "\(phase)/\(part)")
        // Kept in the entry itself (one file to read on a hit, checked with it).
        entry.inline = Self.frame(pieces)
        storePart(entry, started: started, blobs: [:])
        return pieces
    }

    /// The entry of a piece of `phase` (nil on a miss; a damaged one is counted).
    private func lookUpPart(_ phase: String, _ key: Fingerprint) -> CacheEntry? {
        lock.withLock { _ = partPhases.insert(phase) }
        switch store.entry(key) {
        case .hit(let entry): return entry
        case .corrupt: count { $0.corrupt += 1 }
        case .miss: break
        }
        return nil
    }

    /// Stores a piece computed since `started`, and counts the miss.
    private func storePart(_ entry: CacheEntry, started: ContinuousClock.Instant, blobs: [Fingerprint: () -> Data?]) {
        var entry = entry
        entry.result = .init(.empty)
        entry.durationNs = Self.nanoseconds(started.duration(to: .now))
        later(entry, blobs: blobs)
        lock.withLock { stats.partMisses += 1 }
    }

    /// Byte strings as one: each as its length (8 bytes, little-endian) then its bytes.
    static func frame(_ pieces: [Data]) -> Data {
        var out = Data(capacity: pieces.reduce(0) { $0 + 8 + $1.count })
        for p in pieces {
            withUnsafeBytes(of: UInt64(p.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(p)
        }
        return out
    }

    /// `frame`'s byte strings back (slices of `data`, not copies); nil when `data` is not made that way.
    static func unframe(_ data: Data) -> [Data]? {
        let ranges: [Range<Int>]? = data.withUnsafeBytes { raw in
            var out: [Range<Int>] = []
            var i = 0
            while i < raw.count {
                guard raw.count - i >= 8 else { return nil }
                var length: UInt64 = 0
                for k in 0..<8 { length |= UInt64(raw[i + k]) << (8 * UInt64(k)) }
                i += 8
                guard length <= UInt64(raw.count - i) else { return nil }
                out.append(i..<(i + Int(length)))
                i += Int(length)
            }
            return out
        }
        return ranges?.map { data[(data.startIndex + $0.lowerBound)..<(data.startIndex + $0.upperBound)] }
    }

    /// Accounts the bytes this run added (evicting past the limit) and records its figures.
    func finish(outputDir: String) {
        flush()
        let (added, s) = lock.withLock { (addedBytes, stats) }
        store.account(addedBytes: added)
        store.recordLastRun(.init(finished: Date(), outputDir: outputDir, stats: s))
    }

    /// A file as an entry names it, with how to get its bytes should the store lack the blob.
    private static func reference(_ file: GeneratedFile, blobs: inout [Fingerprint: () -> Data?]) -> CacheEntry.FileRef {
        reference(.emitted(file), blobs: &blobs)
    }

    private static func reference(_ file: StageableFile, blobs: inout [Fingerprint: () -> Data?]) -> CacheEntry.FileRef {
        let id = file.contentFingerprint
        switch file {
        case .emitted(let f): blobs[id] = { Data(f.contents.utf8) }
        case .reused(let r): blobs[id] = r.load
        case .bytes(_, _, _, let data): blobs[id] = { data }
        }
        return .init(path: file.path, kind: file.kind, model: file.model, blob: id, bytes: file.bytes)
    }

    private func count(_ change: (inout CacheStats) -> Void) { lock.withLock { change(&stats) } }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let c = d.components
        return c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
    }
}

/// Per-model pieces of the running phase, from the cache (`context.parts`): phases that run
/// reuse the pieces whose inputs did not change.
public struct PartCache: Sendable {
    let session: PhaseCacheSession?
    let phase: String

    /// The files for `part`, reused when `fingerprint` was seen before.
    public func files(_ part: String, fingerprint: Fingerprint, compute: @escaping @Sendable () -> [GeneratedFile]) -> [StageableFile] {
        guard let session else { return compute().stageable }
        return session.part(phase, part, fingerprint: fingerprint, compute: compute)
    }

    /// Intermediate bytes for `part` (never staged as files), reused when `fingerprint` was
    /// seen before.
    public func data(_ part: String, fingerprint: Fingerprint, compute: () -> [Data]) -> [Data] {
        guard let session else { return compute() }
        return session.part(phase, part, fingerprint: fingerprint, compute: compute)
    }

    public static let none = PartCache(session: nil, phase: "")
    /// Whether pieces are cached (computing their fingerprints is worth it).
    public var isActive: Bool { session != nil }
}
