import Foundation

/// What one cached phase left behind, stored under its key: the values it wrote, the files it
/// staged (by content address), its result and what executing it took. Entries never hold
/// file contents themselves: files are blobs, shared between entries.
struct CacheEntry: Codable, Sendable, Equatable {
    static let format = 1

    var format = Self.format
    var key: Fingerprint
    /// The phase (or `phase/part` for a per-model piece).
    var phase: String
    var values: [StoredValue] = []
    var files: [FileRef] = []
    var result: StoredResult?
    /// How long executing took, in nanoseconds (the time a hit saves).
    var durationNs: Int64 = 0

    /// A staged or written file: everything but its bytes, which live in the blob `blob`.
    struct FileRef: Codable, Sendable, Equatable {
        var path: String
        var kind: GeneratedFile.Kind
        var model: String?
        var blob: Fingerprint
        var bytes: Int

        init(path: String, kind: GeneratedFile.Kind, model: String?, blob: Fingerprint, bytes: Int) {
            self.path = path
            self.kind = kind
            self.model = model
            self.blob = blob
            self.bytes = bytes
        }

        // Positional (`[path, kind, blob, bytes, model?]`): entries list thousands of files, and
        // keyed objects cost most of the time of decoding them.
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            path = try c.decode(String.self)
            kind = try c.decode(GeneratedFile.Kind.self)
            guard let blob = Fingerprint(hex: try c.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a sha256")
            }
            self.blob = blob
            bytes = try c.decode(Int.self)
            model = c.isAtEnd ? nil : try c.decode(String.self)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(path)
            try c.encode(kind)
            try c.encode(blob.hex)
            try c.encode(bytes)
            if let model { try c.encode(model) }
        }
    }

    /// A written context value, by name.
    struct StoredValue: Codable, Sendable, Equatable {
        var name: String
        var fingerprint: Fingerprint
        var encoding: Encoding

        enum Encoding: Codable, Sendable, Equatable {
            case int(Int)
            case string(String)
            case strings([String])
            case apiSummary(ApiSummary)
            case listing(GeneratedListing)
            /// Generated files, loaded from their blobs when a phase that runs needs them.
            case files([FileRef])
            /// Not stored (an in-memory model): when a phase that runs needs it, the phase that
            /// wrote it is executed again, which gives a value with the same fingerprint.
            case recompute
        }
    }

    /// `PhaseResult` as stored.
    struct StoredResult: Codable, Sendable, Equatable {
        var filesWritten: Int
        var bytes: Int
        var warnings: [String]
        var counters: [Counter]
        var message: String?
        struct Counter: Codable, Sendable, Equatable {
            var name: String
            var value: Int
        }

        init(_ r: PhaseResult) {
            filesWritten = r.filesWritten
            bytes = r.bytes
            warnings = r.warnings
            counters = r.counters.map { Counter(name: $0.name, value: $0.value) }
            message = r.message
        }

        var phaseResult: PhaseResult {
            PhaseResult(filesWritten: filesWritten, bytes: bytes, warnings: warnings,
                        counters: counters.map { .init($0.name, $0.value) }, message: message)
        }
    }
}

/// Hits, misses and the time hits saved, for one run (the report's `cache` object).
public struct CacheStats: Sendable, Hashable, Codable {
    public var hits = 0
    public var misses = 0
    /// What the cached phases took when they last executed, minus what restoring them took.
    public var savedNs: Int64 = 0
    /// Entries found damaged (checksum, truncation, foreign format) and ignored.
    public var corrupt = 0
    /// Per-model pieces reused inside phases that ran (e.g. generateCode's models).
    public var partHits = 0
    public var partMisses = 0

    public init() {}

    public var savedMs: Double { Double(savedNs) / 1_000_000 }
    public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
}
