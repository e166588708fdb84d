import Foundation
import Testing

/// The `tui` command without a terminal (plain mode) and the options it shares with `generate`.
@Suite("phaserunner tui (plain mode)", .serialized)
struct TUICommandTests {
    static let shop = GenerateCLITests.shop

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func exampleFolders(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix("phaserunner-example-") }
    }

    @Test("generate --skip of a phase that cannot be turned off is a usage error naming it and why")
    func skipUnskippable() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("out").path, "--skip", "writeManifest"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("phase 'writeManifest' cannot be skipped: the next run needs the manifest to know which files it owns"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        let setup = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("out").path, "--skip", "setupOutputDir"])
        #expect(setup.status == 2)
        #expect(setup.stderr.contains("phase 'setupOutputDir' cannot be skipped"))
        // A phase that may be turned off still can.
        let ok = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("out").path, "--skip", "generateOpenAPI", "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test("tui accepts --force and --name and passes them to the run")
    func forceAndName() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try "mine\n".write(to: out.appendingPathComponent("NOTES.md"), atomically: true, encoding: .utf8)
        let refused = try CLITests.run(["tui", Self.shop.path, "--out", out.path, "--plain"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("use --force"))
        let forced = try CLITests.run(["tui", Self.shop.path, "--out", out.path, "--plain", "--force", "--name", "shop-api"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(!forced.stderr.contains("Unknown option"))
        let package = try String(contentsOf: out.appendingPathComponent("package.json"), encoding: .utf8)
        #expect(package.contains("\"name\": \"shop-api\""))
        #expect(try String(contentsOf: out.appendingPathComponent("NOTES.md"), encoding: .utf8) == "mine\n")
    }

    @Test("plain mode: progress on stderr, the summary line on stdout")
    func summaryOnStdout() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let r = try CLITests.run([Self.shop.path, "--out", out.path, "--plain"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("generated "), "\(r.stdout)")
        #expect(r.stdout.contains("into \(out.path)"))
        #expect(r.stdout.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("00 setupOutputDir") && r.stderr.contains("12 writeTests"))
        #expect(!r.stderr.contains("generated "))

        // A failure: the code frame on stderr, the summary on stdout, exit 1.
        let schema = dir.appendingPathComponent("bad.prisma")
        try "model A {\n  id Int @id @default(now())\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        let failed = try CLITests.run([schema.path, "--out", out.path, "--plain"])
        #expect(failed.status == 1)
        #expect(failed.stdout.hasPrefix("failed at phase 02 validateSchema"))
        #expect(failed.stderr.contains("\(schema.path):2:14: error:"))
    }

    @Test("plain mode --json prints the report generate --json prints")
    func jsonReport() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.run(["tui", Self.shop.path, "--out", dir.appendingPathComponent("a").path, "--json", "--no-standalone"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let g = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("b").path, "--json", "--no-standalone"])
        let generated = try #require(try JSONSerialization.jsonObject(with: Data(g.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "succeeded")
        #expect(Set(json.keys) == Set(generated.keys))
        #expect(json["filesWritten"] as? Int == generated["filesWritten"] as? Int)
        let phases = (json["phases"] as? [[String: Any]])?.map { "\($0["name"] ?? "")=\($0["status"] ?? "")" }
        #expect(phases == (generated["phases"] as? [[String: Any]])?.map { "\($0["name"] ?? "")=\($0["status"] ?? "")" })
    }

    @Test("the built-in example's temporary folder is removed when the command ends, also after a failure")
    func exampleFolderRemoved() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.run(["--plain"], environment: ["TMPDIR": dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("generated ") && r.stdout.contains("phaserunner-example-"))
        #expect(Self.exampleFolders(in: dir).isEmpty)

        // A failing run (a foreign folder as output) cleans up too.
        let foreign = dir.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try "x\n".write(to: foreign.appendingPathComponent("file.txt"), atomically: true, encoding: .utf8)
        let failed = try CLITests.run(["--plain", "--out", foreign.path], environment: ["TMPDIR": dir.path])
        #expect(failed.status == 1)
        #expect(Self.exampleFolders(in: dir).isEmpty)

        // A folder left by a process that died without cleaning up (hang-up, crash) is swept by
        // the next run; one of a live process is not. (PID 2^22+1 is above Linux's pid_max.)
        let dead = dir.appendingPathComponent("phaserunner-example-4194305")
        let alive = dir.appendingPathComponent("phaserunner-example-1")
        for d in [dead, alive] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        #expect(try CLITests.run(["--plain"], environment: ["TMPDIR": dir.path]).status == 0)
        #expect(Self.exampleFolders(in: dir) == ["phaserunner-example-1"])
    }

    @Test("SIGTERM in plain mode stops the run and still removes the example's folder")
    func sigtermCleansUp() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.runAndSignal(["--plain"], environment: ["TMPDIR": dir.path], marker: "00 setupOutputDir", in: dir)
        // Either the signal stopped the run (143) or the run had already finished (0):
        // never killed by the signal, and the folder is gone either way.
        #expect(r.reason == .exit)
        #expect([0, 128 + SIGTERM].contains(r.status))
        #expect(Self.exampleFolders(in: dir).isEmpty)
    }
}
