import Foundation
import Testing

/// Drives the real binary in tmux: keys in with send-keys, screens out with capture-pane.
///
/// Every wait is for a state on the screen (or on disk), never for a time; the deadlines are
/// generous because CI machines are loaded, and a wait returns as soon as its state appears.
/// Nothing outlives a test: `timeout` bounds the binary, the pane closes a bounded time after it,
/// and `kill()` (run from a `defer`) ends the pane's processes, the server, its socket and the folder.
final class Tmux {
    /// How long a wait may take on a loaded machine.
    static let patience: TimeInterval = 120
    /// Seconds the binary may run before `timeout` stops it (SIGTERM, then SIGKILL 5 s later).
    static let lifetime = 300
    /// Seconds the pane stays readable after the binary exited (kill() closes it sooner).
    static let hold = 60
    /// Printed in the pane after the binary exited: once it shows, tmux has drawn all the binary wrote.
    static let exitMarker = "[pane: phaserunner exited]"

    let socket = "phaserunner-e2e-\(UUID().uuidString.prefix(8))"
    let session = "t"
    /// The test's own folder: schemas, the exit status, and the pane's TMPDIR (the built-in
    /// example's folder lands here), removed by `kill()`.
    let dir: URL
    var rcFile: URL { dir.appendingPathComponent("exit-status") }
    private(set) var serverPID: pid_t?
    private(set) var panePID: pid_t?
    private(set) var socketPath: String?

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-e2e-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") && FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout")
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    func tmux(_ args: [String]) -> String {
        // posix_spawn + waitpid rather than Process: the server a new-session forks keeps
        // inherited descriptors, and Foundation's Process then never sees the client exit.
        let out = dir.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: out) }
        let argv = ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + args
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nor should the server keep the test runner's other descriptors (its output pipes among
        // them). (A descriptor closed meanwhile is fine: posix_spawn ignores EBADF on a close.)
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap({ Int32($0) }) ?? [] where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        // The calling thread's signal mask is inherited, and test threads block signals: a server
        // started with SIGTERM blocked ignores kill-server (it signals itself) and outlives the test.
        // So: nothing blocked, every signal at its default action.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, &attributes, &cargs, environ) == 0 else { return "" }
        // A client talking to a wedged server must not hang the test run.
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(Self.patience)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                Processes.send(SIGKILL, to: pid)
                waitpid(pid, &status, 0)
                break
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    }

    /// Starts `phaserunner <args>` in a detached session. The pane stays readable for `hold`
    /// seconds after the binary exited; its exit status goes to `rcFile`.
    func start(_ args: [String], width: Int = 120, height: Int = 40, cwd: URL? = nil, env: [String: String] = [:]) {
        let quoted = args.map(Self.quote).joined(separator: " ")
        let rc = Self.quote(rcFile.path), rcNew = Self.quote(rcFile.path + ".new")
        // --foreground keeps the binary in the pane's foreground process group: it owns the
        // terminal and gets the hang-up when the pane goes. The status is renamed into place
        // so it is never read half-written. Should the test never get to kill(), the pane ends
        // `hold` seconds later, the server with it, and the pane removes the server's socket
        // (the first field of $TMUX), which tmux leaves behind.
        var command = "timeout --foreground -k 5 \(Self.lifetime) \(Self.quote(CLITests.binary.path)) \(quoted); s=$?; "
            + "echo EXIT=$s > \(rcNew) && mv \(rcNew) \(rc); echo '\(Self.exitMarker)'; sleep \(Self.hold); rm -f \"${TMUX%%,*}\""
        if let cwd { command = "cd \(Self.quote(cwd.path)) && " + command }
        var envArgs: [String] = ["-e", "LANG=C.UTF-8", "-e", "TERM=tmux-256color", "-e", "SWIFT_BACKTRACE=interactive=no", "-e", "CI=",
                                 "-e", "EDITOR=true", "-e", "TMPDIR=\(dir.path)"]
        for (k, v) in env { envArgs += ["-e", "\(k)=\(v)"] }
        tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height)] + envArgs + [command])
        let info = tmux(["display", "-p", "-t", session, "#{pid} #{pane_pid} #{socket_path}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 2).map(String.init)
        if info.count == 3 {
            serverPID = pid_t(info[0])
            panePID = pid_t(info[1])
            socketPath = info[2]
        }
    }

    func screen() -> String { tmux(["capture-pane", "-t", session, "-p"]) }
    /// The screen and the lines scrolled off above it.
    func history() -> String { tmux(["capture-pane", "-t", session, "-p", "-S", "-5000"]) }

    /// The built-in example's temporary folders in the test's TMPDIR.
    var exampleFolders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix("phaserunner-example-") }
    }

    func keys(_ keys: String...) { tmux(["send-keys", "-t", session] + keys) }

    /// A press and release of the first button at a cell (0-based), in the X10 encoding the
    /// program's terminal type (tmux-256color) declares for the mouse.
    func click(x: Int, y: Int) {
        func event(_ button: Int) -> String {
            "\u{1b}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
        }
        tmux(["send-keys", "-t", session, "-l", event(0)])
        tmux(["send-keys", "-t", session, "-l", event(3)])
    }

    /// One notch of the wheel at a cell.
    func wheel(down: Bool, x: Int, y: Int) {
        let button = down ? 65 : 64
        tmux(["send-keys", "-t", session, "-l", "\u{1b}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))])
    }

    /// Where `text` first appears on the screen (column and row, 0-based), at or right of `fromX`.
    static func locate(_ text: String, in screen: String, fromX: Int = 0) -> (x: Int, y: Int)? {
        for (y, line) in screen.components(separatedBy: "\n").enumerated() {
            let chars = Array(line)
            guard chars.count > fromX else { continue }
            let tail = String(chars[fromX...])
            if let r = tail.range(of: text) { return (fromX + tail.distance(from: tail.startIndex, to: r.lowerBound), y) }
        }
        return nil
    }

    /// Waits until `predicate` holds for two captures in a row (a capture can catch a frame
    /// half drawn); returns whether it did and the last screen.
    @discardableResult
    func waitUntil(timeout: TimeInterval = Tmux.patience, _ predicate: (String) -> Bool) -> (Bool, String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = "", streak = 0
        repeat {
            last = screen()
            streak = predicate(last) ? streak + 1 : 0
            if streak >= 2 { return (true, last) }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return (false, last)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = Tmux.patience) -> (Bool, String) {
        waitUntil(timeout: timeout) { $0.contains(text) }
    }

    /// Waits until run `n` has finished with `status` ("succeeded", "failed", "cancelled").
    @discardableResult
    func waitForFinishedRun(_ n: Int, _ status: String = "succeeded", and more: (String) -> Bool = { _ in true }) -> (Bool, String) {
        waitUntil { Self.showsFinishedRun($0, n, status) && more($0) }
    }

    /// The header (first line) shows "<glyph> <status> in <time>" once a run has finished and
    /// "<spinner> running k/13 <time>" while one runs; the tab line (second) shows "run #n"
    /// from the second run on. So run `n` has finished when both agree.
    static func showsFinishedRun(_ screen: String, _ n: Int, _ status: String) -> Bool {
        let lines = screen.components(separatedBy: "\n")
        guard lines.count > 1 else { return false }
        let header = lines[0], tabs = lines[1].split(separator: " ")
        guard header.contains(" \(status) in "), !header.contains(" running ") else { return false }
        let shown = zip(tabs, tabs.dropFirst()).first { $0.0 == "run" }.flatMap { Int($0.1.dropFirst()) } ?? 1
        return shown == n
    }

    /// Waits for the binary to exit and for the pane to show everything it wrote before; returns
    /// "EXIT=<status>" (nil if it did not exit in time).
    /// Whether the binary has exited (its status is written).
    var hasExited: Bool {
        (try? String(contentsOf: rcFile, encoding: .utf8)).map { $0.hasPrefix("EXIT=") && $0.hasSuffix("\n") } ?? false
    }

    func exitStatus(timeout: TimeInterval = Tmux.patience) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: String?
        while status == nil, Date() < deadline {
            if let s = try? String(contentsOf: rcFile, encoding: .utf8), s.hasPrefix("EXIT="), s.hasSuffix("\n") {
                status = s.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let status else { return nil }
        waitFor(Self.exitMarker, timeout: max(1, deadline.timeIntervalSinceNow))
        return status
    }

    /// alternate screen off, cursor visible: the terminal was given back.
    func terminalRestored() -> Bool {
        tmux(["display", "-p", "-t", session, "#{alternate_on} #{cursor_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0 1"
    }

    /// The phaserunner process running in the pane (under the shell and `timeout`).
    func appPID(timeout: TimeInterval = Tmux.patience) -> pid_t? {
        guard let pane = panePID else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let app = Processes.tree(pane).first(where: { $0.name == "phaserunner" && $0.isAlive }) { return app.pid }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    /// Ends everything the test started, whatever state it is in: the pane's processes (by
    /// session, so a reparented one is found too), the server, its socket and the folder.
    func kill() {
        if let pane = panePID {
            let all = Processes.list()
            let ownSession = getsid(0), me = getpid()
            let doomed = Set(all.filter { $0.session == pane }.map(\.pid) + Processes.tree(pane, in: all).map(\.pid))
            for pid in doomed where pid != me && pid != ownSession { Processes.send(SIGKILL, to: pid) }
        }
        tmux(["kill-server"])
        if let server = serverPID {
            let deadline = Date().addingTimeInterval(10)
            while Processes.isAlive(server, named: "tmux"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if Processes.isAlive(server, named: "tmux") { Processes.send(SIGKILL, to: server) }
        }
        // tmux leaves its socket behind after kill-server.
        if let socketPath { unlink(socketPath) }
        try? FileManager.default.removeItem(at: dir)
    }

    /// Writes `text` to `url` in one rename, with a modification date two seconds past the old
    /// one: the schema watcher compares modification dates, so it sees exactly one change
    /// whatever the file system's timestamp granularity (no need to sleep past a second).
    static func save(_ text: String, to url: URL) throws {
        let fm = FileManager.default
        let old = try fm.attributesOfItem(atPath: url.path)[.modificationDate] as? Date ?? Date()
        let staged = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).new")
        try text.write(to: staged, atomically: false, encoding: .utf8)
        try fm.setAttributes([.modificationDate: old.addingTimeInterval(2)], ofItemAtPath: staged.path)
        guard rename(staged.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
    }
}

/// The process table, from /proc (Linux, like the tmux tests).
enum Processes {
    struct Entry {
        var pid: pid_t
        var ppid: pid_t
        var session: pid_t
        var state: Character
        var name: String
        /// Zombies have exited; only their parent has not reaped them yet.
        var isAlive: Bool { state != "Z" && state != "X" }
    }

    static func entry(_ pid: pid_t) -> Entry? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        // "pid (name) state ppid pgrp session …"; the name may hold spaces and parentheses.
        let stat = String(decoding: data, as: UTF8.self)
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let state = fields[0].first, let ppid = pid_t(fields[1]), let session = pid_t(fields[3]) else { return nil }
        return Entry(pid: pid, ppid: ppid, session: session, state: state, name: String(stat[stat.index(after: open)..<close]))
    }

    static func list() -> [Entry] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0).flatMap(entry) }
    }

    /// `root` and every process below it.
    static func tree(_ root: pid_t, in all: [Entry] = list()) -> [Entry] {
        var found = all.filter { $0.pid == root }
        var frontier: Set<pid_t> = [root]
        while !frontier.isEmpty {
            let children = all.filter { frontier.contains($0.ppid) && $0.pid != root }
            found += children
            frontier = Set(children.map(\.pid))
        }
        return found
    }

    static func isAlive(_ pid: pid_t, named prefix: String? = nil) -> Bool {
        guard let e = entry(pid), e.isAlive else { return false }
        return prefix.map { e.name.hasPrefix($0) } ?? true
    }

    static func send(_ signal: Int32, to pid: pid_t) {
        guard pid > 1 else { return }
        _ = kill(pid, signal)
    }
}

@Suite("TUI end to end (tmux)", .serialized)
struct TmuxTests {
    @Test("tmux and timeout are installed (scripts/test.sh installs tmux)")
    func tmuxPresent() {
        #expect(Tmux.available, "tmux or timeout is missing: apt-get install tmux coreutils")
    }

    @Test("startup on the built-in example: 13 phases succeed; panes switch; q quits and restores the terminal")
    func startup() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        t.start([])
        // 13 checked phases plus the header's "✓ succeeded".
        let (ok, screen) = t.waitForFinishedRun(1) { $0.components(separatedBy: "✓").count - 1 >= 14 }
        #expect(ok, "\(screen)")
        // The example generates into a fresh folder under TMPDIR (the test's folder); the header
        // ends with that path, its start elided when the line is too long.
        let examples = (try? FileManager.default.contentsOfDirectory(atPath: t.dir.path))?.filter { $0.hasPrefix("phaserunner-example-") } ?? []
        #expect(examples.count == 1, "\(examples)")
        let header = screen.components(separatedBy: "\n").first ?? ""
        let shown = header.components(separatedBy: "→ ").last.map { tail in String(tail.drop { c in c == "…" }).trimmingCharacters(in: .whitespaces) } ?? ""
        let generated = t.dir.appendingPathComponent(examples.first ?? "?").appendingPathComponent("generated").path
        #expect(shown.hasSuffix("/generated") && generated.hasSuffix(shown), "header: \(header)")
        for name in ["setupOutputDir", "parseSchema", "validateSchema", "analyzeRelationships", "generateCode", "writeFiles",
                     "writeInfrastructure", "generateBarrels", "generateOpenAPI", "writeManifest", "generateTsConfig", "writeStandalone", "writeTests"] {
            #expect(screen.contains(name), "\(name) missing")
        }
        t.keys("2")
        // The output pane's title (right of the checklist): "Output <n> files".
        let (outputOK, outputScreen) = t.waitUntil { $0.contains("│ Output ") && $0.contains(" files") }
        #expect(outputOK, "\(outputScreen)")
        t.keys("3")
        let (schemaOK, schemaScreen) = t.waitFor("model OrderLine")
        #expect(schemaOK, "\(schemaScreen)")
        t.keys("Enter")
        let (fieldsOK, fieldsScreen) = t.waitFor("@id @default(autoincrement(")
        #expect(fieldsOK, "\(fieldsScreen)")
        t.keys("?")
        let (helpOK, helpScreen) = t.waitFor("Keys (any key closes")
        #expect(helpOK, "\(helpScreen)")
        t.keys("Escape")
        let (closedOK, closedScreen) = t.waitUntil { !$0.contains("Keys (any key closes") && $0.contains("@id @default(autoincrement(") }
        #expect(closedOK, "\(closedScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
        // Quitting removes the example's temporary folder.
        #expect(t.exampleFolders.isEmpty, "\(t.exampleFolders)")
    }

    @Test("schema explorer: a model's endpoints and generated files; Enter on an endpoint opens its router in the Output pane")
    func modelEndpointsToFile() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        t.start([])
        let (ran, ranScreen) = t.waitForFinishedRun(1)
        #expect(ran, "\(ranScreen)")
        t.keys("3")
        #expect(t.waitFor("model OrderLine").0)
        t.keys("Enter")
        // The example's User: its endpoints under the fields, then the files the run wrote.
        let (shown, shownScreen) = t.waitUntil { $0.contains("Endpoints (") && $0.contains("GET    /api/users/:id") }
        #expect(shown, "\(shownScreen)")
        // Ten fields, then the first endpoint.
        for _ in 0..<10 { t.keys("j") }
        t.keys("Enter")
        let (opened, openedScreen) = t.waitUntil { $0.contains("│ Output ") && $0.contains("user.routes.ts") && $0.contains("Router") }
        #expect(opened, "\(openedScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("a plugin phase (the api-docs example) runs in the checklist after the 13 phases; its detail shows its description, how it runs and its log")
    func pluginPhase() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        let plugin = CLITests.repoRoot.appendingPathComponent("examples/plugins/api-docs/api_docs.py")
        let schema = CLITests.real.appendingPathComponent("lukevella__rallly.prisma")
        t.start(["tui", schema.path, "--out", t.dir.appendingPathComponent("out").path, "--plugin", "python3 \(plugin.path)"])
        // 14 checked phases plus the header's "✓ succeeded".
        let (ok, screen) = t.waitForFinishedRun(1) { $0.components(separatedBy: "✓").count - 1 >= 15 && $0.contains("13 apiDocs") }
        #expect(ok, "\(screen)")
        #expect(screen.contains("14/14"), "the checklist counts the plugin: \(screen)")
        // Select it (the last row) and read its detail.
        t.keys("End")
        let (detail, detailScreen) = t.waitUntil { $0.contains("│ 13 apiDocs") && $0.contains("runs: always (plugin)") && $0.contains("[info] api-docs:") }
        #expect(detail, "\(detailScreen)")
        #expect(detailScreen.contains("docs/api.md"), "\(detailScreen)")
        #expect(FileManager.default.fileExists(atPath: t.dir.appendingPathComponent("out/docs/api.md").path))
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("a failing schema: the failed phase and its error pane; after q the error is on the normal screen, exit 1")
    func failingSchema() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        let schema = t.dir.appendingPathComponent("schema.prisma")
        try "model User {\n  id Int @id\n  posts Post[]\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        t.start(["tui", schema.path, "--out", t.dir.appendingPathComponent("out").path])
        let (ok, screen) = t.waitForFinishedRun(1, "failed") { $0.contains("FAILED after") && $0.contains("3 |   posts Post[]") && $0.contains("not run") }
        #expect(ok, "\(screen)")
        #expect(screen.contains("✗ 02 validateSchema") || screen.contains("›✗ 02 validateSchema"))
        #expect(screen.contains("schema.prisma:3:9"))
        #expect(screen.contains("3 |   posts Post[]"))
        #expect(screen.contains("not run"))
        // The inspector: what the failed phase was given, and what it did not get to write.
        let (inspected, inspectorScreen) = t.waitUntil { $0.contains("read   parsedSchema") && $0.contains("1 declaration") && $0.contains("writes schema") }
        #expect(inspected, "\(inspectorScreen)")
        // e hands the terminal to $EDITOR (here `true`, which exits at once) and re-runs after it.
        // q must wait until that second run has finished: during a run it asks first.
        t.keys("e")
        let (rerun, rerunScreen) = t.waitForFinishedRun(2, "failed") { $0.contains("FAILED after") }
        #expect(rerun, "\(rerunScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=1")
        #expect(t.terminalRestored())
        let after = t.screen()
        #expect(after.contains("failed at phase 02 validateSchema"), "\(after)")
        #expect(after.contains("schema.prisma:3:9: error: Type \"Post\""))
    }

    @Test("q q during a run: 'cancelling…' is shown, the run stops, exit 1, 'run cancelled' on the normal screen, nothing written")
    func quitDuringRun() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        // Large enough that the run is still going when the keys arrive (the test waits for the
        // header to say so), small enough that on a loaded machine the phase running when the
        // run is cancelled ends well within the 30 s the UI waits (a run stops between phases).
        let schema = t.dir.appendingPathComponent("schema.prisma")
        try CLITests.largeSchema(models: 1500).write(to: schema, atomically: true, encoding: .utf8)
        let out = t.dir.appendingPathComponent("out")
        t.start(["tui", schema.path, "--out", out.path])
        let (running, runningScreen) = t.waitUntil { $0.split(separator: "\n").first?.contains("running") == true }
        #expect(running, "\(runningScreen)")
        t.keys("q")
        let (asked, askedScreen) = t.waitFor("q again to cancel")
        #expect(asked, "\(askedScreen)")
        t.keys("q")
        // "cancelling: …" shows while the running phases finish. On a busy machine that frame can
        // be gone before two captures in a row see it (the run stops, the UI ends), so wait for
        // it or for the exit; what must hold at the end is asserted below either way.
        let (cancelling, cancellingScreen) = t.waitUntil { $0.contains("cancelling: running phases finish") || t.hasExited }
        #expect(cancelling, "\(cancellingScreen)")
        #expect(t.exitStatus() == "EXIT=1")
        #expect(t.terminalRestored())
        let after = t.screen()
        #expect(after.contains("run cancelled; the output folder was not changed"), "\(after)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("src").path))
    }

    @Test("a large schema (odoo, 168 models): after the run, t draws the timeline (a bar for every phase, the axis, the legend); t again goes back")
    func timeline() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let odoo = CLITests.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma")
        try #require(FileManager.default.fileExists(atPath: odoo.path), "missing \(odoo.path)")
        let t = try Tmux(); defer { t.kill() }
        t.start(["tui", odoo.path, "--out", t.dir.appendingPathComponent("out").path, "--jobs", "2"], width: 120, height: 40)
        let (done, doneScreen) = t.waitForFinishedRun(1)
        #expect(done, "\(doneScreen)")
        t.keys("t")
        // Whether or not the phases overlapped (the runner may run them one by one), every phase
        // that ran has a bar on its checklist row, and the axis and the figures are drawn.
        func barRows(_ screen: String) -> [String] {
            screen.components(separatedBy: "\n").dropFirst(3).prefix(13).map { line in
                line.components(separatedBy: "│").dropFirst().joined(separator: "│")
            }
        }
        let (drawn, screen) = t.waitUntil { screen in
            screen.contains("Timeline of the last run") && screen.contains("jobs ") && screen.contains(" phases ")
                && barRows(screen).allSatisfy { $0.contains("█") || $0.contains("▒") }
        }
        #expect(drawn, "\(screen)")
        let rows = barRows(screen)
        #expect(rows.count == 13)
        for (i, row) in rows.enumerated() { #expect(row.hasPrefix(String(format: " %02d ", i)), "\(row)") }
        #expect(screen.contains("on the critical path") || screen.contains("a phase, from its start to its end"), "\(screen)")
        #expect(screen.components(separatedBy: "\n").contains { $0.contains("│    0 ─") }, "\(screen)")
        t.keys("t")
        let (back, backScreen) = t.waitUntil { !$0.contains("Timeline of the last run") && $0.contains("runs: ") }
        #expect(back, "\(backScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("a missing $EDITOR is reported and does not re-run")
    func missingEditor() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        let schema = t.dir.appendingPathComponent("schema.prisma")
        try "model User {\n  id Int @id\n  posts Post[]\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        t.start(["tui", schema.path, "--out", t.dir.appendingPathComponent("out").path], env: ["EDITOR": "/nonexistent/ed"])
        let (failed, failedScreen) = t.waitForFinishedRun(1, "failed")
        #expect(failed, "\(failedScreen)")
        t.keys("e")
        let (said, saidScreen) = t.waitFor("could not start the editor")
        #expect(said, "\(saidScreen)")
        #expect(!saidScreen.contains("run #2"))
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=1")
    }

    @Test("toggling standalone and re-running skips the standalone phases; saving the schema re-runs")
    func toggleAndRerun() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        let schema = t.dir.appendingPathComponent("schema.prisma")
        let out = t.dir.appendingPathComponent("out")
        try "model User {\n  id Int @id\n  name String\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        t.start(["tui", schema.path, "--out", out.path])
        let (first, firstScreen) = t.waitForFinishedRun(1)
        #expect(first, "\(firstScreen)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("package.json").path))
        t.keys("s")
        // The header shows the last run's mode and the pending change beside it.
        let (toggled, toggledScreen) = t.waitUntil { $0.contains("standalone mode off") && $0.contains("standalone (off next run)") }
        #expect(toggled, "\(toggledScreen)")
        t.keys("r")
        let (done, after) = t.waitForFinishedRun(2) { $0.contains("no standalone") && $0.contains("writeStandalone") && $0.contains("skipped") }
        #expect(done, "\(after)")
        #expect(after.contains("writeStandalone") && after.contains("skipped"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("package.json").path))
        // Saving the schema re-runs by itself; q must wait until that third run has finished.
        try Tmux.save("model User {\n  id Int @id\n  name String\n  email String @unique\n}\n", to: schema)
        let (third, thirdScreen) = t.waitForFinishedRun(3)
        #expect(third, "\(thirdScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("a diff after a schema edit: the changed file is marked ~ and opens as its diff against the previous generation; d shows the full text")
    func diffAfterEdit() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        let schema = t.dir.appendingPathComponent("schema.prisma")
        try "model User {\n  id Int @id\n  name String\n}\n".write(to: schema, atomically: true, encoding: .utf8)
        t.start(["tui", schema.path, "--out", t.dir.appendingPathComponent("out").path])
        #expect(t.waitForFinishedRun(1).0)
        // Saving the schema re-runs by itself.
        try Tmux.save("model User {\n  id Int @id\n  name String\n  nickname String?\n}\n", to: schema)
        let (second, secondScreen) = t.waitForFinishedRun(2)
        #expect(second, "\(secondScreen)")
        // The read DTO changed: filter the tree down to it and select it (the last row).
        t.keys("2", "/")
        t.keys("-l", "user.read.dto")
        t.keys("Enter", "End")
        let (diff, diffScreen) = t.waitUntil { $0.contains("read.dto.ts  +2 -0 vs previous") && $0.contains("@@ -") && $0.contains("+  nickname: string | null;") }
        #expect(diff, "\(diffScreen)")
        t.keys("d")
        let (full, fullScreen) = t.waitUntil { !$0.contains("vs previous") && $0.contains("nickname: string | null;") && !$0.contains("+  nickname") }
        #expect(full, "\(fullScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("a real crash (SIGSEGV, SIGABRT) restores the terminal and the crash report is printed on it",
          arguments: [("segv", "EXIT=139", "Bad pointer dereference"), ("abort", "EXIT=134", "Aborted")])
    func crash(_ kind: String, _ status: String, _ report: String) throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        t.start([], env: ["PHASERUNNER_DEBUG_CRASH": kind])
        #expect(t.waitForFinishedRun(1).0)
        // The hidden debug key (only with PHASERUNNER_DEBUG_CRASH set) crashes for real.
        t.keys("!")
        #expect(t.exitStatus() == status)
        #expect(t.terminalRestored())
        let (printed, after) = t.waitUntil { _ in t.history().contains("Program crashed: \(report)") }
        #expect(printed, "\(t.history().suffix(3000))\n\(after)")
    }

    @Test("mouse: a click selects a pane's tab, a phase, a schema entity, a file of the tree; the wheel moves the selection")
    func mouse() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        t.start([])
        let (ran, screen) = t.waitForFinishedRun(1)
        #expect(ran, "\(screen)")
        // A phase of the checklist: its detail.
        let phase = try #require(Tmux.locate("05 writeFiles", in: screen))
        t.click(x: phase.x, y: phase.y)
        #expect(t.waitUntil { $0.contains("│ 05 writeFiles") && $0.contains("›✓ 05 writeFiles") }.0)
        // The Schema tab, then an entity of the list.
        let tab = try #require(Tmux.locate("3 Schema", in: screen))
        t.click(x: tab.x, y: tab.y)
        let (schema, schemaScreen) = t.waitFor("model OrderLine")
        #expect(schema, "\(schemaScreen)")
        let entity = try #require(Tmux.locate("model Review", in: schemaScreen, fromX: 40))
        t.click(x: entity.x, y: entity.y)
        let (selected, selectedScreen) = t.waitUntil { Tmux.locate("model Review", in: $0, fromX: entity.x + 14) != nil && $0.contains("Endpoints (") }
        #expect(selected, "\(selectedScreen)")
        // The Output tab, then a file of the tree: its preview.
        let output = try #require(Tmux.locate("2 Output", in: screen))
        t.click(x: output.x, y: output.y)
        let (tree, treeScreen) = t.waitFor("errors.ts")
        #expect(tree, "\(treeScreen)")
        let file = try #require(Tmux.locate("errors.ts", in: treeScreen, fromX: 40))
        t.click(x: file.x, y: file.y)
        let (previewed, previewScreen) = t.waitFor("src/base/errors.ts")
        #expect(previewed, "\(previewScreen)")
        // The wheel over the tree moves the selection down: the next file is previewed.
        t.wheel(down: true, x: file.x, y: file.y)
        let (moved, movedScreen) = t.waitFor("src/base/index.ts")
        #expect(moved, "\(movedScreen)")
        t.keys("q")
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
    }

    @Test("resize re-lays out; below 60×15 a 'too small' screen; SIGTERM restores the terminal")
    func resizeAndSignal() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux(); defer { t.kill() }
        t.start([], width: 120, height: 40)
        let (first, firstScreen) = t.waitForFinishedRun(1)
        #expect(first, "\(firstScreen)")
        // The checklist is 40 columns wide from 110 columns on, 37 below: the frame moves.
        func frameColumn(_ screen: String) -> Int? {
            let lines = screen.components(separatedBy: "\n")
            return lines.count > 3 ? Array(lines[3]).firstIndex(of: "│") : nil
        }
        #expect(frameColumn(firstScreen) == 40, "\(firstScreen)")
        t.tmux(["resize-window", "-t", t.session, "-x", "80", "-y", "24"])
        let (ok80, s80) = t.waitUntil { frameColumn($0) == 37 && $0.contains("writeTests") && $0.components(separatedBy: "\n").count <= 25 }
        #expect(ok80, "\(s80)")
        #expect(s80.split(separator: "\n").allSatisfy { $0.count <= 80 })
        t.tmux(["resize-window", "-t", t.session, "-x", "50", "-y", "12"])
        let (small, smallScreen) = t.waitFor("Terminal too small: 50×12")
        #expect(small, "\(smallScreen)")
        t.tmux(["resize-window", "-t", t.session, "-x", "100", "-y", "30"])
        let (ok100, s100) = t.waitUntil { !$0.contains("Terminal too small") && $0.contains("writeTests") && frameColumn($0) == 37 }
        #expect(ok100, "\(s100)")
        // SIGTERM to phaserunner (under the pane's shell and `timeout`): a clean quit.
        let app = t.appPID()
        #expect(app != nil)
        if let app { Processes.send(SIGTERM, to: app) }
        #expect(t.exitStatus() == "EXIT=0")
        #expect(t.terminalRestored())
        #expect(t.exampleFolders.isEmpty, "\(t.exampleFolders)")
    }

    @Test("the terminal going away ends the TUI: SIGHUP restores the terminal and exits; so does closing the pane")
    func hangUp() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        do {
            let t = try Tmux(); defer { t.kill() }
            t.start([])
            let (ok, screen) = t.waitForFinishedRun(1)
            #expect(ok, "\(screen)")
            let app = t.appPID()
            #expect(app != nil)
            if let app { Processes.send(SIGHUP, to: app) }
            // Killed by the re-raised SIGHUP (128 + 1) after restoring the terminal.
            #expect(t.exitStatus() == "EXIT=129")
            #expect(t.terminalRestored())
        }
        do {
            // No signal from the test: the server goes, the pane's terminal hangs up.
            let t = try Tmux(); defer { t.kill() }
            t.start([])
            let (ok, screen) = t.waitForFinishedRun(1)
            #expect(ok, "\(screen)")
            let app = t.appPID()
            #expect(app != nil)
            t.tmux(["kill-server"])
            let deadline = Date().addingTimeInterval(Tmux.patience)
            while let app, Processes.isAlive(app), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(app.map { !Processes.isAlive($0) } == true, "phaserunner outlived its terminal")
        }
    }

    @Test("kill() leaves nothing behind: the TUI (even waiting in an overlay), the server, its socket, the folder")
    func cleanup() throws {
        guard Tmux.available else { Issue.record("tmux missing"); return }
        let t = try Tmux()
        var killed = false
        defer { if !killed { t.kill() } }
        t.start([])
        let (ok, screen) = t.waitForFinishedRun(1)
        #expect(ok, "\(screen)")
        t.keys("?")
        #expect(t.waitFor("Keys (any key closes").0)
        let app = t.appPID(), pane = t.panePID, server = t.serverPID, socket = t.socketPath
        #expect(app != nil && pane != nil && server != nil && socket != nil)
        t.kill()
        killed = true
        // kill() waited for the server; the pane's processes were SIGKILLed, so they go at once.
        let deadline = Date().addingTimeInterval(Tmux.patience)
        func leftovers() -> [Processes.Entry] {
            Processes.list().filter { e in e.isAlive && (e.pid == app || e.pid == server || (pane != nil && e.session == pane)) }
        }
        while !leftovers().isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(leftovers().isEmpty, "\(leftovers().map { "\($0.pid) \($0.name)" })")
        #expect(socket.map { !FileManager.default.fileExists(atPath: $0) } == true)
        #expect(!FileManager.default.fileExists(atPath: t.dir.path))
    }

    @Test("without a terminal (or with CI set) the same run is reported as plain lines")
    func plainMode() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tui-e2e-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // TMPDIR: the built-in example's folder is made there, not in /tmp.
        let r = try CLITests.run(["tui", "--out", dir.appendingPathComponent("out").path], environment: ["TMPDIR": dir.path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("✓ 00 setupOutputDir") || r.stderr.contains("+ 00 setupOutputDir"))
        #expect(r.stdout.contains("generated "))
    }
}
