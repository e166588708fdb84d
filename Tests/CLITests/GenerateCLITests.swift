import Foundation
import Testing

@Suite("phaserunner generate", .serialized)
struct GenerateCLITests {
    static let shop = CLITests.repoRoot.appendingPathComponent("Tests/CoreTests/Fixtures/shop.prisma")

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func snapshot(_ dir: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let base = dir.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) ?? FileManager.default.enumerator(atPath: "/dev/null")! {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
            if !isDir.boolValue { out[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = FileManager.default.contents(atPath: url.path) }
        }
        return out
    }

    @Test("--json prints the report with every phase; progress lines go to stderr")
    func jsonReport() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.run(["generate", Self.shop.path, "--out", dir.appendingPathComponent("out").path, "--json", "--no-standalone"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "succeeded")
        #expect(json["totalMs"] is Double || json["totalMs"] is Int)
        #expect((json["filesWritten"] as? Int ?? 0) > 100)
        let phases = try #require(json["phases"] as? [[String: Any]])
        #expect(phases.map { $0["name"] as? String } == ["setupOutputDir", "parseSchema", "validateSchema", "analyzeRelationships", "generateCode", "writeFiles", "writeInfrastructure", "generateBarrels", "generateOpenAPI", "writeManifest", "generateTsConfig", "writeStandalone", "writeTests"])
        #expect(phases.map { $0["status"] as? String }.suffix(2) == ["skipped", "skipped"])
        #expect(phases.allSatisfy { $0["order"] is Int && $0["durationMs"] != nil && $0["filesWritten"] is Int })
    }

    @Test("a failing schema: exit 1, the failed phase and its diagnostics in the report")
    func failingSchema() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("schema.prisma")
        try "model A {\n  id Int @id @default(now())\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["generate", schema.path, "--out", dir.appendingPathComponent("out").path, "--json"])
        #expect(r.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "failed")
        let phases = try #require(json["phases"] as? [[String: Any]])
        let failed = try #require(phases.first { $0["status"] as? String == "failed" })
        #expect(failed["name"] as? String == "validateSchema")
        let error = try #require(failed["error"] as? [String: Any])
        let diag = try #require((error["diagnostics"] as? [[String: Any]])?.first)
        #expect(diag["line"] as? Int == 2 && diag["column"] as? Int == 14)
        // Phases that need the schema never start; src/base, which does not, may have run beside it.
        #expect(phases.dropFirst(3).allSatisfy { ["notRun", "succeeded"].contains($0["status"] as? String ?? "") })
        #expect(phases.filter { ["analyzeRelationships", "generateCode", "writeFiles"].contains($0["name"] as? String ?? "") }
            .allSatisfy { $0["status"] as? String == "notRun" })
        // Without --json: the code frame on stderr.
        let plain = try CLITests.run(["generate", schema.path, "--out", dir.appendingPathComponent("out").path])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("\(schema.path):2:14: error:"))
        #expect(plain.stderr.contains("2 |   id Int @id @default(now())"))
        #expect(plain.stdout.contains("failed at phase 02 validateSchema"))
    }

    @Test("usage errors exit 2; phases lists the table; a schema is discovered like Prisma does")
    func usageAndDiscovery() throws {
        #expect(try CLITests.run(["generate", "--skip", "nope"]).status == 2)
        let table = try CLITests.run(["phases"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("11     writeStandalone        standalone mode only"))
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let none = try CLITests.run(["generate"], cwd: dir)
        #expect(none.status == 2)
        #expect(none.stderr.contains("no schema given"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("prisma"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.shop, to: dir.appendingPathComponent("prisma/schema.prisma"))
        let found = try CLITests.run(["generate", "--quiet", "--no-standalone"], cwd: dir)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("generated/openapi.json").path))
    }

    @Test("an output folder in a read-only parent (mode 0555, an unprivileged user) fails at setupOutputDir naming the parent")
    func unwritableParent() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        let schema = dir.appendingPathComponent("schema.prisma")
        try FileManager.default.copyItem(at: Self.shop, to: schema)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: schema.path)
        let parent = dir.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: parent.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent.path) }
        let args = ["generate", schema.path, "--out", parent.appendingPathComponent("out").path, "--json"]
        // Mode 0555 does not stop root: run the binary as nobody then.
        let r: CLITests.Output
        if getuid() == 0 {
            let setpriv = "/usr/bin/setpriv"
            try #require(FileManager.default.isExecutableFile(atPath: setpriv), "root needs setpriv to run the binary unprivileged")
            r = try CLITests.run(["--reuid=65534", "--regid=65534", "--clear-groups", CLITests.binary.path] + args, executable: URL(fileURLWithPath: setpriv))
        } else {
            r = try CLITests.run(args)
        }
        #expect(r.status == 1, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout) \(r.stderr)")
        let phases = try #require(json["phases"] as? [[String: Any]])
        let failed = try #require(phases.first { $0["status"] as? String == "failed" })
        #expect(failed["name"] as? String == "setupOutputDir")
        #expect(failed["attempts"] == nil) // one attempt: a refusal is not retried
        let message = (failed["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.hasPrefix("\(parent.path): folder is not writable"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("out").path))
    }

    /// A schema big enough that writing it takes a while.
    static func bigSchema(models: Int) -> String {
        var s = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
        for i in 0..<models {
            s += "model M\(i) {\n  id Int @id @default(autoincrement())\n  name String\n  note String?\n  createdAt DateTime @default(now())\n}\n"
        }
        return s
    }

    @Test("kill -9 during writeFiles leaves the previous generation whole; the next run cleans up")
    func killDuringWrite() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        #expect(try CLITests.run(["generate", Self.shop.path, "--out", out.path, "--quiet"]).status == 0)
        let before = Self.snapshot(out)
        let big = dir.appendingPathComponent("big.prisma")
        try Self.bigSchema(models: 1500).write(to: big, atomically: true, encoding: .utf8)

        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["generate", big.path, "--out", out.path, "--verbose"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var seen = ""
        var killed = false
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            // Progress lines of phase 05 look like "   05 writeFiles … 120/7531 src/…".
            if let line = seen.split(separator: "\n").last(where: { $0.contains("05 writeFiles") }),
               let frac = line.split(separator: " ").first(where: { $0.contains("/") && $0.first?.isNumber == true }),
               let done = Int(frac.split(separator: "/")[0]), done > 200 {
                kill(p.processIdentifier, SIGKILL)
                killed = true
                break
            }
        }
        p.waitUntilExit()
        #expect(killed, "never saw phase 05 progress: \(seen.suffix(500))")
        #expect(p.terminationReason == .uncaughtSignal)
        #expect(Self.snapshot(out) == before)
        // The next run removes the half-staged leftovers and generates normally.
        let again = try CLITests.run(["generate", Self.shop.path, "--out", out.path, "--verbose"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("removed leftovers of an unfinished run"))
        #expect(Self.snapshot(out) == before)
    }

    @Test("SIGTERM during generate: the run stops, the output folder is left as it was, exit 143")
    func sigtermStopsGenerate() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        // Thousands of models: the run is still going when the signal arrives.
        let schema = dir.appendingPathComponent("schema.prisma")
        try CLITests.largeSchema(models: 3000).write(to: schema, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try CLITests.runAndSignal(["generate", schema.path, "--out", out.path], marker: "setupOutputDir", in: dir)
        // Stopped by the signal (143, nothing written), or finished before it arrived (0):
        // never killed by it.
        #expect(r.reason == .exit)
        #expect([0, 128 + SIGTERM].contains(r.status), "\(r.stderr.suffix(800))")
        if r.status != 0 {
            #expect(r.stderr.contains("interrupted: running phases finish"))
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("src").path))
        }
    }
}
