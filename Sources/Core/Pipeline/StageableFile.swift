import Foundation

/// A file a phase hands to the output transaction: emitted by this run (its contents in
/// memory), or reused from the phase cache by reference (named by its sha256; its bytes are
/// read only when the output does not already hold them).
public enum StageableFile: Sendable {
    case emitted(GeneratedFile)
    case reused(OutputTransaction.Reference)

    public var path: String {
        switch self {
        case .emitted(let f): f.path
        case .reused(let r): r.path
        }
    }

    public var kind: GeneratedFile.Kind {
        switch self {
        case .emitted(let f): f.kind
        case .reused(let r): r.kind
        }
    }

    public var model: String? {
        switch self {
        case .emitted(let f): f.model
        case .reused(let r): r.model
        }
    }

    public var bytes: Int {
        switch self {
        case .emitted(let f): f.bytes
        case .reused(let r): r.bytes
        }
    }

    /// The sha256 of the contents (hashed now only for an emitted file whose hash is unknown).
    public var contentFingerprint: Fingerprint {
        switch self {
        case .emitted(let f): f.contentFingerprint
        case .reused(let r): Fingerprint(hex: r.sha256) ?? Fingerprint.of(r.sha256)
        }
    }

    /// The file with its contents (a reused file's bytes are loaded); nil when they cannot be.
    public func loaded() -> GeneratedFile? {
        switch self {
        case .emitted(let f): return f
        case .reused(let r):
            guard let data = r.load() else { return nil }
            return GeneratedFile(path: r.path, contents: String(decoding: data, as: UTF8.self), kind: r.kind, model: r.model, knownSHA256: r.sha256)
        }
    }
}

public extension Array where Element == GeneratedFile {
    var stageable: [StageableFile] { map(StageableFile.emitted) }
}

extension GeneratedListing {
    public init(_ files: [StageableFile]) { self.init(entries: files.map { Entry(path: $0.path, model: $0.model) }) }
}
