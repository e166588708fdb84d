import Foundation
import Core

/// Locates the shared, read-only test corpora beside the repository root.
enum Corpus {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let psl = shared.appendingPathComponent("corpus/psl")
    static let real = shared.appendingPathComponent("corpus/real")

    static var realSchemas: [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: real, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "prisma" }.sorted { $0.path < $1.path }
    }

    struct Expectation {
        struct Diagnostic: Equatable {
            let severity: String
            let message: String
            let line: Int
            let column: Int
        }
        let path: String
        let outcome: String
        /// What Prisma reports, in its order (warnings first, then errors).
        let diagnostics: [Diagnostic]
        var errors: [Diagnostic] { diagnostics.filter { $0.severity == "error" } }
        var warnings: [Diagnostic] { diagnostics.filter { $0.severity == "warning" } }
        var firstErrorLine: Int? { errors.first?.line }
        var shouldReject: Bool { outcome.hasPrefix("invalid") }
        var shouldAccept: Bool { outcome.hasPrefix("valid") }
    }

    static func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: psl.appendingPathComponent("EXPECTATIONS.jsonl"), encoding: .utf8)
        var out: [Expectation] = []
        for line in text.split(separator: "\n") {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let path = obj["path"] as? String, let outcome = obj["outcome"] as? String else { continue }
            let diags = (obj["diagnostics"] as? [[String: Any]] ?? []).map {
                Expectation.Diagnostic(severity: $0["severity"] as? String ?? "", message: $0["message"] as? String ?? "",
                                       line: $0["line"] as? Int ?? 0, column: $0["column"] as? Int ?? 0)
            }
            out.append(Expectation(path: path, outcome: outcome, diagnostics: diags))
        }
        return out
    }

    static func compile(_ url: URL) throws -> CompiledSchema {
        CompiledSchema(sources: try SchemaLoader.load(path: url.path))
    }
}
