import Core
import Foundation
import Testing

/// Plugins end to end inside the runner: real plugin scripts (Python 3, /bin/sh) in temp
/// folders, real processes, the standard phases on the shop fixture. Nothing waits for a time:
/// every wait is for a state, bounded by the plugin timeout.
@Suite("Plugins")
struct PluginTests {
    static let shop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shop.prisma")

    /// A Python plugin: answers `describe` with `describe` (a Python dict literal merged into
    /// the defaults) and `execute` by running `execute` (Python statements with `params`,
    /// `send` and `rid` in scope).
    static func python(_ dir: TempDir, name: String = "probe", describe: String = "{}", execute: String) throws -> String {
        let body = execute.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n")
        let script = """
        import json, sys, os, base64
        def send(m):
            sys.stdout.write(json.dumps(m) + "\\n"); sys.stdout.flush()
        for line in sys.stdin:
            req = json.loads(line)
            rid = req.get("id")
            if req["method"] == "describe":
                d = {"name": "\(name)", "order": 13, "description": "a test plugin", "optional": False}
                d.update(\(describe))
                send({"jsonrpc": "2.0", "id": rid, "result": d})
            elif req["method"] == "execute":
                params = req["params"]
        \(body)
        """
        try dir.write("\(name).py", script)
        return "python3 '\(dir.path("\(name).py").path)'"
    }

    static func ok(_ files: String, warnings: String = "[]", message: String = "\"done\"") -> String {
        "send({\"jsonrpc\": \"2.0\", \"id\": rid, \"result\": {\"files\": \(files), \"warnings\": \(warnings), \"message\": \(message)}})"
    }

    struct Outcome {
        let report: RunReport
        let events: [RunEvent]
        var plugin: PhaseReport? { report.phases.first { $0.phase.plugin != nil } }
    }

    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [RunEvent] = []
        func add(_ e: RunEvent) { lock.withLock { list.append(e) } }
        var all: [RunEvent] { lock.withLock { list } }
    }

    /// The standard phases (no standalone project, no cache) on the shop fixture into `out`, with `phase`.
    static func runner(_ phase: PluginPhase, out: URL, skip: Set<String> = []) -> PhaseRunner {
        var config = GeneratorConfig(schemaPath: shop.path, outputDir: out.path, standalone: false, disabledPhases: skip)
        config.cache = .disabled
        let runner = StandardPhases.runner(config: config)
        runner.register(phase)
        return runner
    }

    /// Runs the standard phases (no standalone project, no cache) with the plugin into `out`.
    static func run(_ command: String, out: URL, limits: PluginLimits = PluginLimits(), skip: Set<String> = []) async throws -> Outcome {
        let phase = try await PluginPhase.describe(PluginDeclaration(command: command), limits: limits)
        let runner = Self.runner(phase, out: out, skip: skip)
        let events = Events()
        runner.addObserver(ClosureObserver { events.add($0) })
        let report = await runner.run()
        await runner.drainObservers()
        return Outcome(report: report, events: events.all)
    }

    @Test("a run starts the plugin once: the process described while planning executes; a later run starts it again")
    func startedOncePerRun() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let starts = dir.path("starts")
        let command = try Self.python(dir, execute: """
        print("executing", file=sys.stderr, flush=True)
        send({"jsonrpc": "2.0", "method": "progress", "params": {"done": 1, "total": 1, "message": "one"}})
        \(Self.ok(#"[{"path": "docs/once.md", "content": "once"}]"#))
        """)
        // The script records its own start (before reading anything).
        let script = dir.path("probe.py")
        let body = try String(contentsOf: script, encoding: .utf8)
        try ("import os\nopen(\"\(starts.path)\", \"a\").write(\"%d\\n\" % os.getpid())\n" + body).write(to: script, atomically: true, encoding: .utf8)
        func count() -> Int { ((try? String(contentsOf: starts, encoding: .utf8)) ?? "").split(separator: "\n").count }

        let phase = try await PluginPhase.describe(PluginDeclaration(command: command))
        #expect(count() == 1)
        let runner = Self.runner(phase, out: dir.path("out"))
        let events = Events()
        runner.addObserver(ClosureObserver { events.add($0) })
        let first = await runner.run()
        #expect(first.status == .succeeded, "\(first.phases.compactMap(\.failure))")
        #expect(count() == 1, "the first run executes the plugin started while planning")
        // Its log and progress, sent after planning, belong to its phase.
        await runner.drainObservers()
        #expect(events.all.contains { if case .phaseProgress(let info, 1, 1, "one") = $0 { return info.name == "probe" }; return false })
        let second = await runner.run()
        #expect(second.status == .succeeded)
        #expect(count() == 2, "a later run starts it again")
        #expect(FileManager.default.fileExists(atPath: dir.path("out/docs/once.md").path))
    }

    @Test("a plugin inherits only its stdin, stdout and stderr: not a descriptor of ours made without close-on-exec")
    func onlyStdioInherited() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        // As Foundation's `Pipe` makes them (a `Process`'s pipes, a lock file's handle): no close-on-exec.
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        defer { for fd in fds { close(fd) } }
        var st = stat()
        try #require(fstat(fds[0], &st) == 0)
        let ours = "pipe:[\(st.st_ino)]"
        let command = try Self.python(dir, execute: """
        seen = []
        for fd in os.listdir("/proc/self/fd"):
            try: seen.append(fd + " " + os.readlink("/proc/self/fd/" + fd))
            except OSError: pass
        \(Self.ok(#"[{"path": "docs/fds.txt", "content": "\n".join(seen)}]"#))
        """)
        let outcome = try await Self.run(command, out: dir.path("out"))
        #expect(outcome.report.status == .succeeded, "\(outcome.report.phases.compactMap(\.failure))")
        let seen = try String(contentsOf: dir.path("out/docs/fds.txt"), encoding: .utf8)
        #expect(!seen.contains(ours), "the plugin holds our pipe \(ours): \(seen)")
        #expect(seen.contains("0 pipe:") && seen.contains("1 pipe:") && seen.contains("2 pipe:"), "\(seen)")
    }

    // MARK: shell words

    @Test("commands are split as a shell would: quotes, backslashes, no expansion")
    func shellWords() throws {
        #expect(try ShellWords.split("python3 tools/api-docs.py") == ["python3", "tools/api-docs.py"])
        #expect(try ShellWords.split("  a   'b c'  \"d e\" ") == ["a", "b c", "d e"])
        #expect(try ShellWords.split(#"a\ b c\\d 'x\y' "q\"r\$s\n""#) == ["a b", #"c\d"#, #"x\y"#, #"q"r$s\n"#])
        #expect(try ShellWords.split("x''y \"\" $HOME ~ *") == ["xy", "", "$HOME", "~", "*"])
        #expect(try ShellWords.split("a\\\nb") == ["ab"])
        #expect(try ShellWords.split("") == [])
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("a 'b") }
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("a \"b") }
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("a\\") }
    }

    // MARK: the happy path

    @Test("describe, progress, log, files as content and base64, warnings and message; staged, listed in the manifest")
    func happyPath() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let answer = Self.ok(##"[{"path": "docs/notes.md", "content": "# Notes\n"}, {"path": "./docs//logo.bin", "base64": base64.b64encode(bytes([0, 255, 1])).decode()}]"##, warnings: #"["careful"]"#, message: #""2 files""#)
        let command = try Self.python(dir, execute: """
        json.dump(params, open(os.path.join(os.path.dirname(sys.argv[0]), "params.json"), "w"))
        print("working on it", file=sys.stderr, flush=True)
        send({"jsonrpc": "2.0", "method": "progress", "params": {"done": 1, "total": 2, "message": "half"}})
        send({"jsonrpc": "2.0", "method": "progress", "params": {"done": 2, "total": 2, "message": "all"}})
        \(answer)
        """)
        let out = dir.path("out")
        let o = try await Self.run(command, out: out)
        #expect(o.report.status == .succeeded, "\(o.report.phases.compactMap(\.failure))")
        let p = try #require(o.plugin)
        #expect(p.phase.name == "probe" && p.phase.order == 13 && p.phase.plugin == command)
        #expect(p.status == .succeeded)
        #expect(p.result?.warnings == ["careful"] && p.result?.message == "2 files" && p.result?.filesWritten == 2)
        #expect(FileManager.default.contents(atPath: out.appendingPathComponent("docs/notes.md").path) == Data("# Notes\n".utf8))
        #expect(FileManager.default.contents(atPath: out.appendingPathComponent("docs/logo.bin").path) == Data([0, 255, 1]))
        let manifest = try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8)
        #expect(manifest.contains("docs/notes.md") && manifest.contains("docs/logo.bin"))
        let progress = o.events.compactMap { e -> String? in
            if case .phaseProgress(let info, let done, let total, let m) = e, info.name == "probe" { return "\(done)/\(total) \(m)" }
            return nil
        }
        #expect(progress == ["1/2 half", "2/2 all"])
        #expect(o.events.contains { if case .log(let r) = $0 { return r.phase == "probe" && r.message == "working on it" }; return false })
        // The params: the schema exactly as `inspect --json` renders it, the planned endpoints, the config.
        let params = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.path("params.json"))) as? NSDictionary)
        let compiled = CompiledSchema(sources: try SchemaLoader.load(path: Self.shop.path))
        let inspect = try JSONSerialization.jsonObject(with: Data(SchemaJSON.encode(compiled.model, sources: compiled.sources).utf8)) as? NSDictionary
        #expect(params["schema"] as? NSDictionary == inspect)
        #expect(params["protocolVersion"] as? Int == 1)
        let config = try #require(params["config"] as? [String: Any])
        #expect(config["outputDir"] as? String == out.standardizedFileURL.path && config["standalone"] as? Bool == false)
        let api = try #require(params["api"] as? [String: Any])
        let models = try #require(api["models"] as? [[String: Any]])
        let paths = models.flatMap { ($0["endpoints"] as? [[String: Any]] ?? []).map { "\($0["method"] ?? "") \($0["path"] ?? "") \($0["operation"] ?? "")" } }
        #expect(paths.contains("GET /api/products/:id get"))
        #expect(paths.contains { $0.hasPrefix("PATCH /api/") && $0.contains("/:orderId/:productId update") })
        #expect(paths.contains { $0.hasPrefix("GET /api/") && $0.hasSuffix("/:id/items listItems") || $0.contains("/:id/") })
    }

    @Test("a file the plugin stops producing is removed by the next run")
    func stopsProducing() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let out = dir.path("out")
        let both = try Self.python(dir, name: "both", execute: Self.ok(#"[{"path": "a.md", "content": "a"}, {"path": "b.md", "content": "b"}]"#))
        #expect(try await Self.run(both, out: out).report.status == .succeeded)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("b.md").path))
        let one = try Self.python(dir, name: "one", execute: Self.ok(#"[{"path": "a.md", "content": "a2"}]"#))
        #expect(try await Self.run(one, out: out).report.status == .succeeded)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("b.md").path))
        #expect(FileManager.default.contents(atPath: out.appendingPathComponent("a.md").path) == Data("a2".utf8))
    }

    // MARK: safety

    /// A first good run, then `command`: the run fails with an error naming the plugin and
    /// containing `expected`, and the output folder is byte for byte as the first run left it.
    func expectFailure(_ command: (TempDir) throws -> String, _ expected: String, limits: PluginLimits = PluginLimits(),
                       prepare: (URL) throws -> Void = { _ in }) async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let out = dir.path("out")
        let good = try Self.python(dir, name: "good", execute: Self.ok(#"[{"path": "docs/keep.md", "content": "kept"}]"#))
        #expect(try await Self.run(good, out: out).report.status == .succeeded)
        try prepare(out)
        let before = TempDir.snapshot(out)
        let cmd = try command(dir)
        let o = try await Self.run(cmd, out: out, limits: limits)
        #expect(o.report.status == .failed)
        let failure = try #require(o.plugin?.failure, "the plugin phase did not fail")
        #expect(failure.description.contains("plugin `\(cmd)`"))
        #expect(failure.description.contains(expected), "\(failure)")
        #expect(TempDir.snapshot(out) == before)
    }

    @Test("unsafe paths are refused", arguments: [
        ("/etc/passwd", "it is absolute"), ("../escape.md", "contains `..`"), ("docs/../../x.md", "contains `..`"),
        ("a\\\\b.md", "backslash"), ("./", "names no file"),
    ])
    func unsafePaths(path: String, expected: String) async throws {
        try await expectFailure({ try Self.python($0, execute: Self.ok("[{\"path\": \"\(path)\", \"content\": \"x\"}]")) }, expected)
    }

    @Test("a path through a symbolic link in the output folder is refused")
    func symlinkEscape() async throws {
        let outside = TempDir("outside"); defer { outside.cleanup() }
        try await expectFailure({ try Self.python($0, execute: Self.ok(#"[{"path": "link/x.md", "content": "x"}]"#)) }, "symbolic link",
                                prepare: { out in try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("link"), withDestinationURL: outside.url) })
        #expect(!FileManager.default.fileExists(atPath: outside.path("x.md").path))
    }

    @Test("a path another phase stages is refused, naming that phase")
    func conflict() async throws {
        try await expectFailure({ try Self.python($0, execute: Self.ok(#"[{"path": "openapi.json", "content": "{}"}]"#)) }, "openapi.json is already staged by phase generateOpenAPI")
        try await expectFailure({ try Self.python($0, execute: Self.ok(#"[{"path": "src/manifests/generation.json", "content": "{}"}]"#)) }, "the manifest")
    }

    @Test("a file over the file limit and a message over the message limit are refused")
    func limits() async throws {
        var small = PluginLimits()
        small.maxFileBytes = 1000
        try await expectFailure({ try Self.python($0, execute: Self.ok(#"[{"path": "big.txt", "content": "x" * 1001}]"#)) }, "over the 1000 bytes limit", limits: small)
        try await expectFailure({ try Self.python($0, execute: Self.ok(#"[{"path": "big.bin", "base64": base64.b64encode(b"x" * 1500).decode()}]"#)) }, "over the 1000 bytes limit", limits: small)
        var short = PluginLimits()
        short.maxMessageBytes = 64 << 10
        // The plugin writes 10 MiB on one line: reading stops at the limit, the plugin is killed.
        try await expectFailure({ try Self.python($0, execute: #"sys.stdout.write("x" * (10 << 20)); sys.stdout.flush()"#) }, "sent a message over 64 KiB", limits: short)
        #expect(PluginLimits().maxFileBytes == 64 << 20 && PluginLimits().maxMessageBytes == 256 << 20 && PluginLimits().timeout == .seconds(60))
    }

    @Test("a crash or non-zero exit before answering")
    func crash() async throws {
        try await expectFailure({ try Self.python($0, execute: "print('boom', file=sys.stderr, flush=True); sys.exit(3)") }, "exited with status 3 before answering `execute`; its last log line: boom")
        try await expectFailure({ try Self.python($0, execute: "os.kill(os.getpid(), 9)") }, "was killed by signal 9 before answering `execute`")
    }

    @Test("answers that are not JSON, not JSON-RPC, for the wrong id, or an error")
    func protocolErrors() async throws {
        try await expectFailure({ try Self.python($0, execute: "print('hello', flush=True)") }, "a line that is not JSON: `hello`")
        try await expectFailure({ try Self.python($0, execute: "send({'id': rid, 'result': {'files': []}})") }, "not a JSON-RPC 2.0 message")
        try await expectFailure({ try Self.python($0, execute: "send({'jsonrpc': '2.0', 'id': 7, 'result': {'files': []}})") }, "answered id 7 while `execute` (id 2)")
        try await expectFailure({ try Self.python($0, execute: "send({'jsonrpc': '2.0', 'id': rid, 'error': {'code': 1, 'message': 'no docs today'}})") }, "error 1: no docs today")
        try await expectFailure({ try Self.python($0, execute: "send({'jsonrpc': '2.0', 'id': rid, 'result': {'nofiles': []}})") }, "files is missing")
    }

    @Test("a plugin that never answers is stopped at the timeout, with its children: SIGTERM first, SIGKILL if it stays")
    func timeout() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        var quick = PluginLimits()
        quick.timeout = .seconds(2)
        // One plugin cleans up on SIGTERM (it leaves a marker); the other ignores SIGTERM and is killed.
        // /bin/sh, not Python: it answers `describe` within milliseconds even on a loaded machine,
        // so only `execute` can reach the (short) timeout.
        for ignoresTerm in [false, true] {
            let pids = dir.path("pids-\(ignoresTerm)"), marker = dir.path("terminated-\(ignoresTerm)")
            let onTerm = ignoresTerm ? "trap '' TERM" : "trap 'echo term > \"\(marker.path)\"; exit 0' TERM"
            try await expectFailure({ d in
                try d.write("probe.sh", """
                read line
                echo '{"jsonrpc": "2.0", "id": 1, "result": {"name": "probe", "order": 13, "description": "a test plugin"}}'
                read line
                \(onTerm)
                sleep 600 &
                echo "$$ $!" > "\(pids.path)"
                wait
                """)
                return "sh '\(d.path("probe.sh").path)'"
            }, "did not answer `execute` within 2.0 seconds (timeout); it and its child processes were stopped", limits: quick)
            let ids = try String(contentsOf: pids, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
            #expect(ids.count == 2)
            // Stopped before the failure is reported; wait (bounded) until each has gone.
            for pid in ids { #expect(Self.waitUntilGone(pid), "process \(pid) still runs") }
            #expect(FileManager.default.fileExists(atPath: marker.path) == !ignoresTerm, "SIGTERM reached the plugin first")
        }
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    @Test("a plugin that cannot be started, or speaks another protocol version, is a clear error")
    func cannotStart() async throws {
        let missing = "/nonexistent/plugin --flag"
        await #expect { try await PluginPhase.describe(PluginDeclaration(command: missing)) } throws: { e in
            "\(e)".contains("plugin `\(missing)`: cannot be started: /nonexistent/plugin: No such file or directory")
        }
        await #expect { try await PluginPhase.describe(PluginDeclaration(command: "sh -c 'exit 0' 'unterminated")) } throws: { e in
            "\(e)".contains("cannot be started: unterminated single quote")
        }
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let v2 = try Self.python(dir, describe: "{'protocolVersion': 2}", execute: "pass")
        await #expect { try await PluginPhase.describe(PluginDeclaration(command: v2)) } throws: { e in
            (e as? PluginError)?.kind == .unsupportedVersion && "\(e)".contains("speaks plugin protocol version 2; this phaserunner speaks version 1")
        }
        let silent = try Self.python(dir, name: "silent", execute: "pass")
        try FileManager.default.removeItem(at: dir.path("silent.py"))
        await #expect { try await PluginPhase.describe(PluginDeclaration(command: silent)) } throws: { e in
            "\(e)".contains("exited with status 2 before answering `describe`")
        }
    }

    @Test("an optional plugin that fails does not fail the run; the run commits without its files")
    func optionalFailure() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let out = dir.path("out")
        let command = try Self.python(dir, describe: "{'optional': True}", execute: Self.ok(#"[{"path": "../x", "content": "x"}]"#))
        let o = try await Self.run(command, out: out)
        #expect(o.report.status == .succeeded)
        #expect(o.plugin?.status == .failed)
        #expect(o.plugin?.phase.recovery == .continueRun)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("openapi.json").path))
        #expect(!FileManager.default.fileExists(atPath: dir.path("x").path))
        let crash = try Self.python(dir, name: "crash", describe: "{'optional': True}", execute: "sys.exit(1)")
        #expect(try await Self.run(crash, out: out).report.status == .succeeded)
    }

    @Test("--skip turns a plugin off like any phase; the process described while planning is let go when the run ends")
    func skip() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let out = dir.path("out"), pidFile = dir.path("pid")
        let command = try Self.python(dir, execute: Self.ok(#"[{"path": "p.md", "content": "p"}]"#))
        try Self.recordPID(in: dir.path("probe.py"), to: pidFile)
        let phase = try await PluginPhase.describe(PluginDeclaration(command: command))
        let runner = Self.runner(phase, out: out, skip: ["probe"])
        let report = await runner.run()
        #expect(report.status == .succeeded && report.phases.first { $0.phase.plugin != nil }?.status == .skipped)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("p.md").path))
        // The runner and the phase are still alive (a TUI keeps them for its next run), but the plugin is not.
        let pid = try #require(pid_t(try String(contentsOf: pidFile, encoding: .utf8)))
        #expect(Self.waitUntilGone(pid), "the skipped plugin still idles")
        withExtendedLifetime((runner, phase)) {}
    }

    @Test("cancelling a run stops a plugin that is working: the run ends cancelled at once, not at the plugin's timeout; it and its children are gone")
    func cancelled() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let out = dir.path("out"), pids = dir.path("pids")
        var patient = PluginLimits()
        patient.timeout = .seconds(120)
        let command = try Self.python(dir, execute: """
        import subprocess
        child = subprocess.Popen(["sleep", "600"])
        open("\(pids.path)", "w").write("%d %d" % (os.getpid(), child.pid))
        child.wait()
        """)
        let phase = try await PluginPhase.describe(PluginDeclaration(command: command), limits: patient)
        let runner = Self.runner(phase, out: out)
        let task = Task { await runner.run() }
        // Cancel once the plugin is working on execute.
        var waited = 0
        while !FileManager.default.fileExists(atPath: pids.path), waited < 60_000 { try await Task.sleep(for: .milliseconds(5)); waited += 5 }
        task.cancel()
        let report = await task.value
        #expect(report.status == .cancelled)
        let plugin = try #require(report.phases.first { $0.phase.plugin != nil })
        #expect(plugin.failure == .cancelled, "\(String(describing: plugin.failure))")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing committed")
        for pid in try String(contentsOf: pids, encoding: .utf8).split(separator: " ").compactMap({ pid_t($0) }) {
            #expect(Self.waitUntilGone(pid), "process \(pid) still runs")
        }
    }

    /// Makes a plugin script write its pid to `file` as it starts.
    static func recordPID(in script: URL, to file: URL) throws {
        let body = try String(contentsOf: script, encoding: .utf8)
        try ("import os\nopen(\"\(file.path)\", \"w\").write(\"%d\" % os.getpid())\n" + body).write(to: script, atomically: true, encoding: .utf8)
    }

    /// Waits (bounded: 10 s) until `pid` has exited (or is a zombie of ours, about to be reaped).
    static func waitUntilGone(_ pid: pid_t) -> Bool {
        for _ in 0..<2000 {
            if kill(pid, 0) == -1 && errno == ESRCH || isZombie(pid) { return true }
            usleep(5000)
        }
        return false
    }

    @Test("the JSON report marks plugin phases")
    func reportJSON() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        let command = try Self.python(dir, execute: Self.ok("[]"))
        let o = try await Self.run(command, out: dir.path("out"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(RunReportJSON.render(o.report).utf8)) as? [String: Any])
        let phases = try #require(json["phases"] as? [[String: Any]])
        #expect(phases.last?["plugin"] as? String == command && phases.last?["name"] as? String == "probe")
        #expect(phases.dropLast().allSatisfy { $0["plugin"] == nil })
    }

    @Test("cost of a trivial plugin: spawn to answer (printed, not asserted)")
    func cost() async throws {
        let dir = TempDir("plugin"); defer { dir.cleanup() }
        try dir.write("trivial.sh", """
        read line
        echo '{"jsonrpc":"2.0","id":1,"result":{"name":"trivial","order":13,"description":"d"}}'
        """)
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<15 {
            let start = clock.now
            _ = try await PluginPhase.describe(PluginDeclaration(command: "/bin/sh \(dir.path("trivial.sh").path)"))
            let d = start.duration(to: clock.now).components
            times.append(Double(d.seconds) * 1000 + Double(d.attoseconds) / 1e15)
        }
        times.sort()
        print(String(format: "plugin cost: spawn → describe answer → exit, /bin/sh plugin: median %.2f ms, min %.2f ms, max %.2f ms (15 runs)", times[times.count / 2], times[0], times[times.count - 1]))
    }
}
