import Foundation
import Logging

/// A typed key into the `PhaseContext`. The key's name is only for messages and
/// debugging; values are always read and written through the typed key.
public struct ContextKey<Value: Sendable>: Sendable, Hashable {
    public let name: String
    /// The phase expected to produce the value (named in "missing value" errors).
    public let producer: String

    public init(_ name: String, producedBy producer: String) {
        self.name = name
        self.producer = producer
    }
}

/// The state phases share: every value is written and read through a typed key. Phases
/// that run at once touch different keys (the graph orders any two that share one); the
/// lock keeps each access atomic.
///
/// A value restored from the phase cache may be *deferred*: its fingerprint is known (later
/// phases' keys need only that) but the value is loaded, or recomputed by the phase that
/// wrote it, only when a phase that executes reads it (`materialize`).
public final class PhaseContext: @unchecked Sendable {
    /// A value, or how to get it.
    enum Slot: @unchecked Sendable {
        case value(any Sendable)
        case deferred(ValueLoader)
    }

    /// Loads deferred values into a context (every value one loader sets shares one load).
    final class ValueLoader: Sendable {
        let load: @Sendable (PhaseContext) async throws -> Void
        init(load: @escaping @Sendable (PhaseContext) async throws -> Void) { self.load = load }
    }

    private var slots: [String: Slot] = [:]
    private var fingerprints: [String: Fingerprint] = [:]
    private var loading: [ObjectIdentifier: Task<Void, any Error>] = [:]
    private let lock = NSLock()

    public init() {}

    public subscript<Value>(key: ContextKey<Value>) -> Value? {
        get {
            lock.withLock {
                if case .value(let v)? = slots[key.name] { return v as? Value }
                return nil
            }
        }
        set {
            lock.withLock {
                slots[key.name] = newValue.map { .value($0) }
                fingerprints[key.name] = nil
            }
        }
    }

    /// The value, or an error naming the phase that should have produced it and the one that needs it.
    public func require<Value>(_ key: ContextKey<Value>) throws -> Value {
        guard let v = self[key] else {
            throw PhaseFailure.missingContext(key: key.name, producer: key.producer, consumer: PhaseScope.current?.name ?? "")
        }
        return v
    }

    public func contains<Value>(_ key: ContextKey<Value>) -> Bool { self[key] != nil }

    /// Names of the values currently set or restorable (for debugging and the TUI).
    public var keyNames: [String] { lock.withLock { slots.keys.sorted() } }

    /// The slots of these keys (those that are set), for a phase record.
    func values(named names: [String]) -> [String: Slot] {
        lock.withLock { slots.filter { names.contains($0.key) } }
    }

    /// What a phase read and wrote, as it stands now (values by reference; nothing is summarised here).
    func entries(reads: [AnyContextKey], writes: [AnyContextKey]) -> [ContextEntry] {
        lock.withLock {
            func entry(_ key: AnyContextKey, _ access: ContextEntry.Access) -> ContextEntry {
                switch slots[key.name] {
                case .value(let t as OutputTransaction)?:
                    // A live object: its count now, not when an observer gets to it.
                    return ContextEntry(key: key.name, access: access, value: ContextSummary.Staged(files: t.stagedCount))
                case .value(let v)?: return ContextEntry(key: key.name, access: access, value: v)
                case .deferred?: return ContextEntry(key: key.name, access: access, value: nil, deferred: true)
                case nil: return ContextEntry(key: key.name, access: access, value: nil)
                }
            }
            return reads.map { entry($0, .read) } + writes.map { entry($0, .wrote) }
        }
    }

    /// Every slot (copy-on-write: no copy is made until one side changes).
    var allValues: [String: Slot] { lock.withLock { slots } }

    /// Sets recorded slots again (re-running from a phase).
    func restore(_ recorded: [String: Slot]) {
        lock.withLock { slots.merge(recorded) { _, new in new } }
    }

    // MARK: cache support

    /// Sets a value with a fingerprint the phase knows cheaply (e.g. from what it was made
    /// of: equal inputs, equal value), so the cache need not hash the value's content.
    public func set<Value: Sendable>(_ key: ContextKey<Value>, _ value: Value, fingerprint: Fingerprint) {
        set(key.name, value, fingerprint: fingerprint)
    }

    /// Sets a value by name (restoring a cached phase) with its known fingerprint.
    func set(_ name: String, _ value: any Sendable, fingerprint: Fingerprint) {
        lock.withLock {
            slots[name] = .value(value)
            fingerprints[name] = fingerprint
        }
    }

    /// Records a value as deferred: known by fingerprint, loaded on demand.
    func setDeferred(_ name: String, fingerprint: Fingerprint, loader: ValueLoader) {
        lock.withLock {
            slots[name] = .deferred(loader)
            fingerprints[name] = fingerprint
        }
    }

    /// A value's slot by name, if set.
    func slot(_ name: String) -> Slot? { lock.withLock { slots[name] } }

    /// The fingerprint of a value (computed once, then remembered); nil when it is not set or
    /// has no fingerprint.
    func fingerprint(_ name: String) -> Fingerprint? {
        let (known, slot) = lock.withLock { (fingerprints[name], slots[name]) }
        if let known { return known }
        guard case .value(let v)? = slot, let fp = contextFingerprint(of: v) else { return nil }
        lock.withLock { fingerprints[name] = fp }
        return fp
    }

    /// Loads every deferred value among `names` (each loader runs once; phases asking at once
    /// wait for the same load).
    func materialize(_ names: [String]) async throws {
        for name in names {
            let task: Task<Void, any Error>? = lock.withLock {
                guard case .deferred(let loader)? = slots[name] else { return nil }
                let id = ObjectIdentifier(loader)
                if let running = loading[id] { return running }
                let t = Task { try await loader.load(self) }
                loading[id] = t
                return t
            }
            try await task?.value
        }
    }

    /// Names of every deferred value (a phase that declares nothing may read any of them).
    var deferredNames: [String] {
        lock.withLock { slots.compactMap { if case .deferred = $0.value { return $0.key } else { return nil } } }
    }
}

/// The options a run is configured with (`context[.config]`).
public struct GeneratorConfig: Sendable, Hashable {
    /// A `.prisma` file or a folder of them.
    public var schemaPath: String
    public var outputDir: String
    public var standalone: Bool
    /// Phases turned off by name (`--skip`).
    public var disabledPhases: Set<String>
    /// Phases forced on by name even when their condition says no (the TUI's toggles).
    public var enabledPhases: Set<String>
    /// Write into a non-empty folder that has no manifest, and over files no manifest lists.
    public var force: Bool
    /// Make this phase fail on purpose (a debugging aid; never recovered).
    public var failAt: String?
    public var apiPrefix: String
    public var projectName: String?
    /// How many independent phases may run at once (`--jobs`); nil: the number of cores.
    public var jobs: Int?
    /// Where the phase cache lives, or `.disabled` (`--no-cache`).
    public var cache: CacheSetting = .besideOutput
    /// The cache's size bound (least recently used entries are evicted past it).
    public var cacheLimitBytes: Int = CacheSetting.defaultLimitBytes
    /// How long to wait for another run that holds the output folder's lock (`--wait`);
    /// zero: fail at once.
    public var lockWait: Duration = .zero
    /// Keep every staged file's text in memory until the run ends, so that `run(from:)` can
    /// re-run later phases afterwards (the TUI). A headless run, which never re-runs, sets it
    /// false: the text is let go once it is in the staging folder, and read back from there
    /// when needed (a run's peak memory is then about what one phase holds, not all output).
    public var keepsStagedText = true

    public init(schemaPath: String, outputDir: String = "generated", standalone: Bool = true,
                disabledPhases: Set<String> = [], enabledPhases: Set<String> = [], force: Bool = false,
                failAt: String? = nil, apiPrefix: String = "/api", projectName: String? = nil, jobs: Int? = nil,
                cache: CacheSetting = .besideOutput) {
        self.schemaPath = schemaPath
        self.outputDir = outputDir
        self.standalone = standalone
        self.disabledPhases = disabledPhases
        self.enabledPhases = enabledPhases
        self.force = force
        self.failAt = failAt
        self.apiPrefix = apiPrefix
        self.projectName = projectName
        self.jobs = jobs
        self.cache = cache
    }

    /// `--name`, else the nearest package.json's name, else the output folder's name.
    public var resolvedProjectName: String {
        projectName ?? CodeGenerator.projectName(schemaPath: schemaPath, outputDir: outputDir)
    }

    /// `jobs`, or the number of active cores; at least 1.
    public var effectiveJobs: Int { max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount) }

    public var emitOptions: CodeGenerator.Options { .init(standalone: standalone, apiPrefix: apiPrefix) }
}

/// The keys the standard phases read and write (the seed design's context fields).
public extension ContextKey where Value == GeneratorConfig {
    static var config: Self { .init("config", producedBy: "the runner") }
}

public extension ContextKey where Value == Logging.Logger {
    static var logger: Self { .init("logger", producedBy: "the runner") }
}

public extension ContextKey where Value == RunPlan {
    static var runPlan: Self { .init("runPlan", producedBy: "the runner") }
}

public extension ContextKey where Value == URL {
    static var outputDir: Self { .init("outputDir", producedBy: "setupOutputDir") }
}

public extension ContextKey where Value == OutputTransaction {
    static var transaction: Self { .init("transaction", producedBy: "setupOutputDir") }
}

public extension ContextKey where Value == SourceSet {
    static var sources: Self { .init("sources", producedBy: "parseSchema") }
}

public extension ContextKey where Value == ParsedSchema {
    /// The sources' syntax tree (validateSchema resolves it without parsing again).
    static var parsedSchema: Self { .init("parsedSchema", producedBy: "parseSchema") }
}

public extension ContextKey where Value == String {
    static var schemaContent: Self { .init("schemaContent", producedBy: "parseSchema") }
}

public extension ContextKey where Value == CompiledSchema {
    static var compiledSchema: Self { .init("compiledSchema", producedBy: "validateSchema") }
}

public extension ContextKey where Value == SchemaModel {
    static var schema: Self { .init("schema", producedBy: "validateSchema") }
}

public extension ContextKey where Value == [String] {
    static var modelNames: Self { .init("modelNames", producedBy: "validateSchema") }
}

public extension ContextKey where Value == RelationGraph {
    static var relationships: Self { .init("relationships", producedBy: "analyzeRelationships") }
}

public extension ContextKey where Value == Int {
    static var relationshipCount: Self { .init("relationshipCount", producedBy: "analyzeRelationships") }
    static var totalFiles: Self { .init("totalFiles", producedBy: "generateCode") }
}

public extension ContextKey where Value == ApiPlan {
    static var apiPlan: Self { .init("apiPlan", producedBy: "analyzeRelationships") }
}

public extension ContextKey where Value == GeneratedListing {
    static var generatedListing: Self { .init("generatedListing", producedBy: "generateCode") }
}

public extension ContextKey where Value == ApiSummary {
    static var apiSummary: Self { .init("apiSummary", producedBy: "analyzeRelationships") }
}

public extension ContextKey where Value == [StageableFile] {
    /// Emitted now, or reused from the phase cache by reference.
    static var generatedFiles: Self { .init("generatedFiles", producedBy: "generateCode") }
}

