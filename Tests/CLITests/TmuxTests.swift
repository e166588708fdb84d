import Foundation
import Testing

/// Drives the real binary in tmux: keys in with send-keys, screens out with capture-pane.
struct Tmux {
    let socket = "phaserunner-e2e-\(UUID().uuidString.prefix(8))"
    let session = "t"
    let rcFile: URL

    init() {
        rcFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).rc")
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    @discardableResult
    func tmux(_ args: [String]) -> String {
        // posix_spawn + waitpid rather than Process: the server a new-session forks keeps
        // inherited descriptors, and Foundation's Process then never sees the client exit.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: out) }
        let argv = ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + args
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ) == 0 else { return "" }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    }

    /// Starts `phaserunner <args>` in a detached session; the pane stays open after it exits.
    func start(_ args: [String], width: Int = 120, height: Int = 40, cwd: URL? = nil, env: [String: String] = [:]) {
        let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        var command = "\(CLITests.binary.path) \(quoted); echo EXIT=$? > \(rcFile.path); sleep 120"
        if let cwd { command = "cd '\(cwd.path)' && " + command }
        var envArgs: [String] = ["-e", "LANG=C.UTF-8", "-e", "TERM=tmux-256color", "-e", "SWIFT_BACKTRACE=interactive=no", "-e", "CI=", "-e", "EDITOR=true"]
        for (k, v) in env { envArgs += ["-e", "\(k)=\(v)"] }
        tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height)] + envArgs + [command])
    }

    func screen() -> String { tmux(["capture-pane", "-t", session, "-p"]) }

    func keys(_ keys: String...) { tmux(["send-keys", "-t", session] + keys) }

    /// Waits until the screen contains `text` (or the timeout passes); returns the last screen.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 30) -> (Bool, String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if last.contains(text) { return (true, last) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return (false, last)
    }

    /// Waits until `predicate` holds for a captured screen (captures can catch a frame half drawn).
    @discardableResult
    func waitUntil(timeout: TimeInterval = 30, _ predicate: (String) -> Bool) -> (Bool, String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if predicate(last) { return (true, last) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return (false, last)
    }

    func exitStatus(timeout: TimeInterval = 10) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = try? String(contentsOf: rcFile, encoding: .utf8) { return s.trimmingCharacters(in: .whitespacesAndNewlines) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    /// alternate screen off, cursor visible: the terminal was given back.
    func terminalRestored() -> Bool {
        tmux(["display", "-p", "-t", session, "#{alternate_on} #{cursor_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0 1"
    }

    func panePID() -> Int32? {
        Int32(tmux(["display", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func kill() {
        tmux(["kill-server"])
        try? FileManager.default.removeItem(at: rcFile)
    }
}

@Suite("TUI end to end (tmux)", .serialized)
struct TmuxTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("tmux is installed (CI installs it)")
    func tmuxPresent() {
        #expect(Tmux.available, "tmux is missing: apt-get install tmux")
    }

    @Test("startup on the built-in example: 13 phases succeed; panes switch; q quits and restores the terminal")
    func startup() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = Tmux(); defer { t.kill() }
        t.start([])
        // 13 checked phases plus the header's "✓ succeeded".
        let (ok, screen) = t.waitUntil { $0.contains("succeeded in") && $0.components(separatedBy: "✓").count - 1 >= 14 }
        #expect(ok, "\(screen)")
        #expect(screen.contains("phaserunner-example-"))
        for name in ["setupOutputDir", "parseSchema", "validateSchema", "analyzeRelationships", "generateCode", "writeFiles",
                     "writeInfrastructure", "generateBarrels", "generateOpenAPI", "writeManifest", "generateTsConfig", "writeStandalone", "writeTests"] {
            #expect(screen.contains(name), "\(name) missing")
        }
        t.keys("2")
        #expect(t.waitFor("Output ").0)
        t.keys("3")
        let (schemaOK, schemaScreen) = t.waitFor("model OrderLine")
        #expect(schemaOK, "\(schemaScreen)")
        t.keys("Enter")
        #expect(t.waitFor("@id @default(autoincrement(").0)
        t.keys("?")
        #expect(t.waitFor("Keys (any key closes)").0)
        t.keys("Escape", "q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("a failing schema: the failed phase and its error pane; after q the error is on the normal screen, exit 1")
    func failingSchema() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("schema.prisma")
        try "model User {\n  id Int @id\n  posts Post[]\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        let t = Tmux(); defer { t.kill() }
        t.start(["tui", schema.path, "--out", dir.appendingPathComponent("out").path])
        let (ok, screen) = t.waitUntil { $0.contains("FAILED after") && $0.contains("3 |   posts Post[]") && $0.contains("not run") }
        #expect(ok, "\(screen)")
        #expect(screen.contains("✗ 02 validateSchema") || screen.contains("›✗ 02 validateSchema"))
        #expect(screen.contains("schema.prisma:3:9"))
        #expect(screen.contains("3 |   posts Post[]"))
        #expect(screen.contains("not run"))
        // e hands the terminal to $EDITOR (here `true`, which exits at once) and re-runs after it.
        t.keys("e")
        let (rerun, rerunScreen) = t.waitFor("run #2")
        #expect(rerun, "\(rerunScreen)")
        #expect(t.waitFor("FAILED after").0)
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=1")
        #expect(t.terminalRestored())
        let after = t.screen()
        #expect(after.contains("failed at phase 02 validateSchema"), "\(after)")
        #expect(after.contains("schema.prisma:3:9: error: Type \"Post\""))
    }

    @Test("toggling standalone and re-running skips the standalone phases; saving the schema re-runs")
    func toggleAndRerun() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let schema = dir.appendingPathComponent("schema.prisma")
        try "model User {\n  id Int @id\n  name String\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        let t = Tmux(); defer { t.kill() }
        t.start(["tui", schema.path, "--out", dir.appendingPathComponent("out").path])
        #expect(t.waitFor("succeeded in").0)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/package.json").path))
        t.keys("s")
        #expect(t.waitFor("standalone mode off").0)
        t.keys("r")
        #expect(t.waitFor("run #2").0)
        let (done, after) = t.waitUntil { $0.contains("skipped;") && $0.contains("no standalone") && $0.contains("writeStandalone") }
        #expect(done, "\(after)")
        #expect(after.contains("no standalone"))
        #expect(after.contains("writeStandalone") && after.contains("skipped"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/package.json").path))
        // Saving the schema re-runs by itself.
        Thread.sleep(forTimeInterval: 1.1)
        try "model User {\n  id Int @id\n  name String\n  email String @unique\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        #expect(t.waitFor("run #3").0)
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
    }

    @Test("resize re-lays out; below 60×15 a 'too small' screen; SIGTERM restores the terminal")
    func resizeAndSignal() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = Tmux(); defer { t.kill() }
        t.start([], width: 120, height: 40)
        #expect(t.waitFor("succeeded in").0)
        t.tmux(["resize-window", "-t", t.session, "-x", "80", "-y", "24"])
        let (ok80, s80) = t.waitUntil { $0.contains("Toggles") && $0.split(separator: "\n").allSatisfy { $0.count <= 80 } }
        #expect(ok80)
        #expect(s80.split(separator: "\n").allSatisfy { $0.count <= 80 })
        t.tmux(["resize-window", "-t", t.session, "-x", "50", "-y", "12"])
        #expect(t.waitFor("Terminal too small: 50×12").0)
        t.tmux(["resize-window", "-t", t.session, "-x", "100", "-y", "30"])
        #expect(t.waitFor("writeTests").0)
        // SIGTERM to phaserunner (the pane's shell's child).
        let pgrep = Process()
        pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        pgrep.arguments = ["-TERM", "-P", String(t.panePID() ?? 0), "phaserunner"]
        try pgrep.run()
        pgrep.waitUntilExit()
        #expect(t.exitStatus() != nil)
        #expect(t.terminalRestored())
    }

    @Test("without a terminal (or with CI set) the same run is reported as plain lines")
    func plainMode() throws {
        let dir = try tempDir(); defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLITests.run(["tui", "--out", dir.appendingPathComponent("out").path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("✓ 00 setupOutputDir") || r.stderr.contains("+ 00 setupOutputDir"))
        #expect(r.stderr.contains("generated "))
    }
}
