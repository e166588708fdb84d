import Crypto
import Foundation

/// Phase 09: `src/manifests/generation.json` — what was generated, from what, with hashes.
/// Relative paths only and no timestamps, so the same input gives the same bytes.
public enum ManifestEmitter {
    public static let path = "src/manifests/generation.json"
    public static let generatorVersion = "0.1.0"

    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func file(plan: ApiPlan, schemaText: String, options: CodeGenerator.Options, files: [GeneratedFile]) -> GeneratedFile {
        let listed = files.filter { $0.path != path }.sorted { $0.path < $1.path }
        let doc: JSONValue = .object([
            ("generator", "phaserunner"),
            ("generatorVersion", .string(generatorVersion)),
            ("schemaSha256", .string(sha256(schemaText))),
            ("options", .object([("standalone", .bool(options.standalone)), ("apiPrefix", .string(options.apiPrefix))])),
            ("models", .array(plan.models.map { .string($0.name) })),
            ("excludedModels", .array(plan.excluded.map { .object([("name", .string($0.model)), ("reason", .string($0.reason))]) })),
            ("totalFiles", .integer(listed.count)),
            ("files", .array(listed.map { f in
                var pairs: [(String, JSONValue)] = [("path", .string(f.path)), ("sha256", .string(sha256(f.contents))),
                                                    ("bytes", .integer(f.bytes)), ("kind", .string(f.kind.rawValue))]
                if let m = f.model { pairs.append(("model", .string(m))) }
                return .object(pairs)
            })),
        ])
        return GeneratedFile(path: path, contents: doc.rendered(), kind: .manifest)
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
