import Foundation

/// A file a phase hands to the output transaction: emitted by this run (its contents in
/// memory), or reused from the phase cache by reference (named by its sha256; its bytes are
/// read only when the output does not already hold them).
public enum StageableFile: Sendable {
    case emitted(GeneratedFile)
    case reused(OutputTransaction.Reference)
    /// Made as bytes rather than text (a document of megabytes: no string is made of it).
    case bytes(path: String, kind: GeneratedFile.Kind, model: String?, data: Data)

    public var path: String {
        switch self {
        case .emitted(let f): f.path
        case .reused(let r): r.path
        case .bytes(let path, _, _, _): path
        }
    }

    public var kind: GeneratedFile.Kind {
        switch self {
        case .emitted(let f): f.kind
        case .reused(let r): r.kind
        case .bytes(_, let kind, _, _): kind
        }
    }

    public var model: String? {
        switch self {
        case .emitted(let f): f.model
        case .reused(let r): r.model
        case .bytes(_, _, let model, _): model
        }
    }

    public var bytes: Int {
        switch self {
        case .emitted(let f): f.bytes
        case .reused(let r): r.bytes
        case .bytes(_, _, _, let data): data.count
        }
    }

    /// The sha256 of the contents (hashed now only for an emitted file whose hash is unknown).
    public var contentFingerprint: Fingerprint {
        switch self {
        case .emitted(let f): f.contentFingerprint
        case .reused(let r): Fingerprint(hex: r.sha256) ?? Fingerprint.of(r.sha256)
        case .bytes(_, _, _, let data): Fingerprint.of(bytes: data)
        }
    }
}

public extension Array where Element == GeneratedFile {
    var stageable: [StageableFile] { map(StageableFile.emitted) }
}

extension GeneratedListing {
    public init(_ files: [StageableFile]) { self.init(entries: files.map { Entry(path: $0.path, model: $0.model) }) }
}
