import Foundation

/// Whether a phase's results may come from the cache.
public enum PhaseCaching: Sendable, Hashable, CustomStringConvertible {
    /// Keyed by what it reads: `version` changes whenever the phase would write different
    /// values or files for the same inputs.
    case cached(version: String)
    /// Always executed, and why (side effects, or inputs no fingerprint covers).
    case uncached(String)

    public var description: String {
        switch self {
        case .cached(let v): return "cached (version \(v))"
        case .uncached(let why): return "never cached: \(why)"
        }
    }

    public var isCached: Bool { if case .cached = self { return true } else { return false } }
}

/// What every key also holds: the generator's version and this build of it (the executable's
/// size and modification time), so a rebuilt phaserunner never trusts entries an earlier
/// build wrote, even when nobody bumped a version.
enum BuildIdentity {
    static let current: String = {
        var id = "phaserunner \(ManifestEmitter.generatorVersion)"
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
        if let attrs = try? FileManager.default.attributesOfItem(atPath: exe) {
            let size = (attrs[.size] as? NSNumber)?.int64Value ?? 0
            let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            id += " \(exe) \(size) \(mtime)"
        }
        return id
    }()
}

/// A phase's cache key: its name and version, the build, and the fingerprint of every value it
/// reads (the output transaction it stages into is where its files go, not an input).
struct PhaseCacheKey {
    static func make(phase: any GenerationPhase, version: String, inputs: [(String, Fingerprint)]) -> Fingerprint {
        var f = Fingerprinter("phaserunner.phase-cache.v\(CacheEntry.format)")
        f.add(BuildIdentity.current)
        f.add(phase.name)
        f.add(version)
        for (name, fp) in inputs.sorted(by: { $0.0 < $1.0 }) {
            f.add(name)
            f.add(fp)
        }
        return f.finalize()
    }

    /// A per-model piece inside a phase (`generateCode/Book`).
    static func part(_ phase: String, _ part: String, fingerprint: Fingerprint) -> Fingerprint {
        var f = Fingerprinter("phaserunner.part-cache.v\(CacheEntry.format)")
        f.add(BuildIdentity.current)
        f.add(phase)
        f.add(part)
        f.add(fingerprint)
        return f.finalize()
    }
}

extension OutputTransaction: ContextFingerprintable {
    /// The transaction is where a phase's files go, not something that changes them.
    public var contextFingerprint: Fingerprint { "the output transaction".contextFingerprint }
}
