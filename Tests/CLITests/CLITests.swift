import Foundation
import Testing

/// Drives the real `phaserunner` binary and checks what a script would see.
@Suite("phaserunner command line")
struct CLITests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let real = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test runner lives in the same build products folder as the executable.
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("phaserunner")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/phaserunner")
    }

    static func run(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:], executable: URL? = nil) throws -> Output {
        // stdout and stderr go to files, so a chatty child never blocks on a full pipe.
        let p = Process()
        p.executableURL = executable ?? binary
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        if let cwd { p.currentDirectoryURL = cwd }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cli-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let o = (try? Data(contentsOf: outURL)) ?? Data(), e = (try? Data(contentsOf: errURL)) ?? Data()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A schema with `models` plain models: large enough that a run is still going seconds in.
    static func largeSchema(models: Int) -> String {
        let body = (0..<models).map { "model M\($0) {\n  id Int @id @default(autoincrement())\n  name String\n  note String?\n  at DateTime @default(now())\n}\n" }
        return (["datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"] + body).joined(separator: "\n")
    }

    struct Signalled {
        let status: Int32
        let reason: Process.TerminationReason
        let stderr: String
    }

    /// Runs the binary and sends it `signal` as soon as its stderr shows `marker` (the run has
    /// begun); waits for it to end. If it ends before the marker, no signal is sent.
    static func runAndSignal(_ args: [String], environment: [String: String] = [:], marker: String, signal: Int32 = SIGTERM,
                             in dir: URL) throws -> Signalled {
        let errURL = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let err = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning, Date() < deadline {
            if let text = try? String(contentsOf: errURL, encoding: .utf8), text.contains(marker) { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        if p.isRunning { kill(p.processIdentifier, signal) }
        p.waitUntilExit()
        try? err.close()
        return Signalled(status: p.terminationStatus, reason: p.terminationReason,
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    func temp(_ name: String, _ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("check: valid schema exits 0")
    func checkValid() throws {
        let r = try Self.run(["check", Self.real.appendingPathComponent("umami-software__umami.prisma").path])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("valid"))
    }

    @Test("check: schema errors print path:line:col, the line and a caret, and exit 1")
    func checkInvalid() throws {
        let url = try temp("schema.prisma", "model User {\n  id Int @id\n  posts Post[]\n}\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let r = try Self.run(["check", url.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(url.path):3:9: error: Type \"Post\" is neither a built-in type"))
        #expect(r.stdout.contains("3 |   posts Post[]\n  |         ^^^^"))
    }

    @Test("check --json: every diagnostic (warnings too) with its span; --format github: one annotation per diagnostic, escaped")
    func checkMachineFormats() throws {
        // A relation without its opposite (an error), a model with no unique criteria (an error
        // whose message has several lines), and a view key (a warning): rules of one stage, so
        // all three are reported (Prisma stops at the first stage that has errors).
        let schema = """
        datasource db {
          provider = "postgresql"
          url      = env("DATABASE_URL")
        }

        generator client {
          provider        = "prisma-client-js"
          previewFeatures = ["views"]
        }

        model User {
          id   Int   @id
          best Post?
        }

        model Post {
          id Int @id
        }

        model Loose {
          a Int?
          @@unique([a])
        }

        view Stats {
          id Int @id
        }
        """
        let url = try temp("schema.prisma", schema)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let json = try Self.run(["check", "--json", url.path])
        #expect(json.status == 1)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(list.allSatisfy { Set($0.keys) == ["severity", "message", "file", "line", "column", "endLine", "endColumn"] })
        let best = try #require(list.first { ($0["message"] as? String)?.hasPrefix("Error validating field `best` in model `User`") == true })
        #expect(best["severity"] as? String == "error")
        #expect(best["file"] as? String == url.path)
        // (A field's span runs to the end of its line, newline included.)
        #expect((best["line"] as? Int, best["column"] as? Int, best["endLine"] as? Int, best["endColumn"] as? Int) == (13, 3, 14, 1))
        #expect(list.contains { $0["severity"] as? String == "warning" }, "warnings are listed without --warnings")
        let multiLine = try #require(list.first { ($0["message"] as? String)?.contains("\n") == true })
        #expect(try Self.run(["check", "--format", "json", url.path]).stdout == json.stdout)

        let github = try Self.run(["check", "--format", "github", url.path])
        #expect(github.status == 1)
        let lines = github.stdout.split(separator: "\n")
        #expect(lines.count == list.count, "one line per diagnostic: \(github.stdout)")
        #expect(lines.contains("::error file=\(url.path),line=13,col=3,endLine=14,endColumn=1::Error validating field `best` in model `User`: The relation field `best` on model `User` is missing an opposite relation field on the model `Post`. Either run `prisma format` or add it manually."))
        #expect(lines.contains { $0.hasPrefix("::warning file=") })
        let escaped = ((multiLine["message"] as? String) ?? "").replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A")
        #expect(lines.contains { $0.hasSuffix("::" + escaped) }, "a message of several lines stays one annotation")
        #expect(try Self.run(["check", "--json", "--format", "github", url.path]).status == 2)
    }

    @Test("check: a missing file is a usage error with exit 2")
    func checkMissing() throws {
        let r = try Self.run(["check", "/definitely/not/here.prisma"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("schema not found: /definitely/not/here.prisma"))
    }

    @Test("inspect prints a summary; --json prints stable JSON")
    func inspect() throws {
        let path = Self.real.appendingPathComponent("lukevella__rallly.prisma").path
        let text = try Self.run(["inspect", path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("model Poll"))
        #expect(text.stdout.contains("1:n →"))
        let a = try Self.run(["inspect", "--json", path])
        let b = try Self.run(["inspect", "--json", path])
        #expect(a.status == 0 && a.stdout == b.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any]
        #expect((json?["models"] as? [[String: Any]])?.count == 16)
    }
}
