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
public final class PhaseContext: @unchecked Sendable {
    private var values: [String: any Sendable] = [:]
    private let lock = NSLock()

    public init() {}

    public subscript<Value>(key: ContextKey<Value>) -> Value? {
        get { lock.withLock { values[key.name] as? Value } }
        set { lock.withLock { values[key.name] = newValue } }
    }

    /// The value, or an error naming the phase that should have produced it and the one that needs it.
    public func require<Value>(_ key: ContextKey<Value>) throws -> Value {
        guard let v = self[key] else {
            throw PhaseFailure.missingContext(key: key.name, producer: key.producer, consumer: PhaseScope.current?.name ?? "")
        }
        return v
    }

    public func contains<Value>(_ key: ContextKey<Value>) -> Bool { self[key] != nil }

    /// Names of the values currently set (for debugging and the TUI).
    public var keyNames: [String] { lock.withLock { values.keys.sorted() } }

    /// The values of these keys (those that are set), for a phase record.
    func values(named names: [String]) -> [String: any Sendable] {
        lock.withLock { values.filter { names.contains($0.key) } }
    }

    /// Every value (copy-on-write: no copy is made until one side changes).
    var allValues: [String: any Sendable] { lock.withLock { values } }

    /// Sets recorded values again (re-running from a phase).
    func restore(_ recorded: [String: any Sendable]) {
        lock.withLock { values.merge(recorded) { _, new in new } }
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

    public init(schemaPath: String, outputDir: String = "generated", standalone: Bool = true,
                disabledPhases: Set<String> = [], enabledPhases: Set<String> = [], force: Bool = false,
                failAt: String? = nil, apiPrefix: String = "/api", projectName: String? = nil, jobs: Int? = nil) {
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

public extension ContextKey where Value == [GeneratedFile] {
    static var generatedFiles: Self { .init("generatedFiles", producedBy: "generateCode") }
}

