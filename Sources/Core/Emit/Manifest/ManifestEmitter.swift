import Foundation

/// Phase 09: `src/manifests/generation.json` — what was generated, from what, with hashes.
/// Relative paths only and no timestamps, so the same input gives the same bytes.
public enum ManifestEmitter {
    public static let path = "src/manifests/generation.json"
    public static let generatorVersion = "0.1.0"

    public static func sha256(_ text: String) -> String { Fingerprint.of(text).hex }

    /// One file as the manifest lists it.
    public struct Listed: Sendable, Hashable {
        public let path: String
        public let sha256: String
        public let bytes: Int
        public let kind: GeneratedFile.Kind
        public let model: String?
        public init(path: String, sha256: String, bytes: Int, kind: GeneratedFile.Kind, model: String?) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.kind = kind
            self.model = model
        }
        public init(_ f: GeneratedFile) {
            self.init(path: f.path, sha256: ManifestEmitter.sha256(f.contents), bytes: f.bytes, kind: f.kind, model: f.model)
        }
    }

    public static func file(plan: ApiSummary, schemaText: String, options: CodeGenerator.Options, files: [Listed]) -> GeneratedFile {
        let listed = files.filter { $0.path != path }
        // Positions sorted, not the entries (a run of 170,000 files moves far less this way).
        let order = PathOrder.positions(listed.count) { listed[$0].path }
        // Written straight into one buffer, as the `JSONValue` tree of it would render.
        let out = JSONBuffer()
        var doc = JSONObjectStream(out, indent: 0)
        doc.add("generator", "phaserunner")
        doc.add("generatorVersion", .string(generatorVersion))
        doc.add("schemaSha256", .string(sha256(schemaText)))
        doc.add("options", .object([("standalone", .bool(options.standalone)), ("apiPrefix", .string(options.apiPrefix))]))
        doc.add("models", .array(plan.models.map { .string($0) }))
        doc.add("excludedModels", .array(plan.excluded.map { .object([("name", .string($0.model)), ("reason", .string($0.reason))]) }))
        doc.add("totalFiles", .integer(listed.count))
        doc.array("files") { array in
            for i in order {
                let f = listed[i]
                array.object { o in
                    o.add("path", .string(f.path))
                    o.add("sha256", .string(f.sha256))
                    o.add("bytes", .integer(f.bytes))
                    o.add("kind", .string(f.kind.rawValue))
                    if let m = f.model { o.add("model", .string(m)) }
                }
            }
        }
        doc.end()
        out.put(UInt8(ascii: "\n"))
        return GeneratedFile(path: path, contents: out.joined(), kind: .manifest)
    }

    /// The sha256 of each file a manifest lists, by path.
    public static func listedHashes(in contents: String) -> [String: String]? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(contents.utf8)) as? [String: Any],
              let files = obj["files"] as? [[String: Any]] else { return nil }
        var out: [String: String] = [:]
        for f in files { if let p = f["path"] as? String, let h = f["sha256"] as? String { out[p] = h } }
        return out
    }

    /// The paths a manifest lists (used to find files a regeneration no longer produces).
    public static func listedPaths(in contents: String) -> [String]? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(contents.utf8)) as? [String: Any],
              let files = obj["files"] as? [[String: Any]] else { return nil }
        return files.compactMap { $0["path"] as? String }
    }
}
