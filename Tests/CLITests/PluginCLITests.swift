import Foundation
import Testing

/// Plugins through the real binary: the example api-docs plugin on a real-world schema,
/// `phases`, `--skip`, and `phaserunner.json` declarations.
@Suite("phaserunner plugins", .serialized)
struct PluginCLITests {
    static let apiDocs = CLITests.repoRoot.appendingPathComponent("examples/plugins/api-docs/api_docs.py")
    static let schema = CLITests.real.appendingPathComponent("umami-software__umami.prisma")

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("the api-docs example writes docs/api.md for a real schema, listed in the manifest and the report")
    func apiDocsExample() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let command = "python3 '\(Self.apiDocs.path)'"
        let r = try CLITests.run(["generate", Self.schema.path, "--out", out.path, "--json", "--plugin", command])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let phases = try #require(json["phases"] as? [[String: Any]])
        let plugin = try #require(phases.last)
        #expect(plugin["name"] as? String == "apiDocs" && plugin["plugin"] as? String == command && plugin["status"] as? String == "succeeded")
        let doc = try String(contentsOf: out.appendingPathComponent("docs/api.md"), encoding: .utf8)
        #expect(doc.hasPrefix("# API endpoints"))
        #expect(doc.contains("| GET | `/api/users/:id` | get |") || doc.contains("`/api/"))
        #expect(doc.contains("| DELETE |") && doc.contains("| PATCH |"))
        let manifest = try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8)
        #expect(manifest.contains("\"docs/api.md\""))

        // --skip apiDocs: the next run does not produce it, so it is removed.
        let skipped = try CLITests.run(["generate", Self.schema.path, "--out", out.path, "--json", "--plugin", command, "--skip", "apiDocs"])
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("docs/api.md").path))
    }

    static let httpRequests = CLITests.repoRoot.appendingPathComponent("examples/plugins/http-requests/http_requests.mjs")

    @Test("the http-requests example (Node.js) writes a request per endpoint with bodies, beside api-docs")
    func httpRequestsExample() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        // A schema with enums: an enum field's body value is one of its values.
        let schema = CLITests.real.appendingPathComponent("pdovhomilja__nextcrm-app.prisma")
        let node = "node '\(Self.httpRequests.path)'", python = "python3 '\(Self.apiDocs.path)'"
        let r = try CLITests.run(["generate", schema.path, "--out", out.path, "--json", "--plugin", node, "--plugin", python])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let phases = try #require(json["phases"] as? [[String: Any]])
        #expect(phases.suffix(2).map { $0["name"] as? String } == ["apiDocs", "httpRequests"])
        #expect(phases.last?["plugin"] as? String == node && phases.last?["status"] as? String == "succeeded")
        let http = try String(contentsOf: out.appendingPathComponent("requests/api.http"), encoding: .utf8)
        let doc = try String(contentsOf: out.appendingPathComponent("docs/api.md"), encoding: .utf8)
        // One request per endpoint api-docs lists (every table row of every model).
        let endpoints = doc.split(separator: "\n").filter { $0.hasPrefix("| GET") || $0.hasPrefix("| POST") || $0.hasPrefix("| PATCH") || $0.hasPrefix("| PUT") || $0.hasPrefix("| DELETE") }
        #expect(http.components(separatedBy: "\n### ").count - 1 == endpoints.count)
        #expect(http.contains("@baseUrl = http://localhost:3000"))
        #expect(!http.contains("/:"), "path parameters are variables")
        #expect(http.contains("{{id}}"))
        // Every body parses as JSON; a create body of a model with an enum field holds one of its values.
        let bodies = http.components(separatedBy: "Content-Type: application/json\n\n").dropFirst().map { String($0.prefix { $0 != "#" }) }
        #expect(!bodies.isEmpty)
        for body in bodies { #expect((try? JSONSerialization.jsonObject(with: Data(body.utf8))) != nil, "\(body)") }
        #expect(http.contains("\"status\": \"ACTIVE\""))
        let manifest = try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8)
        #expect(manifest.contains("\"requests/api.http\""))
    }

    @Test("phaserunner.json beside the schema declares plugins (run in the schema's folder); phases lists them")
    func configFile() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let tools = dir.appendingPathComponent("tools")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.apiDocs, to: tools.appendingPathComponent("api_docs.py"))
        try FileManager.default.copyItem(at: Self.schema, to: dir.appendingPathComponent("schema.prisma"))
        try #"{"plugins": [{"command": "python3 tools/api_docs.py", "timeoutSeconds": 30}]}"#
            .write(to: dir.appendingPathComponent("phaserunner.json"), atomically: true, encoding: .utf8)
        let phases = try CLITests.run(["phases"], cwd: dir)
        #expect(phases.status == 0, "\(phases.stderr)")
        #expect(phases.stdout.contains("13     apiDocs"))
        #expect(phases.stdout.contains("apiDocs is the plugin `python3 tools/api_docs.py`"))
        let graph = try CLITests.run(["phases", "--json", "--schema", dir.appendingPathComponent("schema.prisma").path])
        #expect(graph.stdout.contains("\"apiDocs\""))
        let r = try CLITests.run(["generate", "schema.prisma", "--out", "out"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/docs/api.md").path))
    }

    @Test("a plugin that cannot be started or described: exit 1 with its command; unknown --skip names stay usage errors")
    func failures() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let r = try CLITests.run(["generate", Self.schema.path, "--out", out.path, "--plugin", "/nonexistent/tool"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("plugin `/nonexistent/tool`: cannot be started"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let unknown = try CLITests.run(["generate", Self.schema.path, "--out", out.path, "--plugin", "python3 '\(Self.apiDocs.path)'", "--skip", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown phase 'nope'") && unknown.stderr.contains("apiDocs"))
    }
}
