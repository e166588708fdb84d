import Core
import Testing
@testable import TUI

@Suite("TUI reducer")
struct ReducerTests {
    @Test("hook events drive the checklist: running, progress, finished, skipped, failed")
    func events() {
        var s = Fixtures.state(standalone: false)
        let infos = Fixtures.infos
        _ = Reducer.reduce(&s, .run(.runStarted(Fixtures.plan(s))))
        #expect(s.run.isRunning)
        _ = Reducer.reduce(&s, .run(.phaseWillRun(infos[5])))
        #expect(s.phases[5].status == .running)
        #expect(s.selectedPhase == 5)
        _ = Reducer.reduce(&s, .run(.phaseProgress(infos[5], done: 30, total: 120, message: "x")))
        #expect(s.phases[5].progress?.done == 30)
        _ = Reducer.reduce(&s, .run(.phaseDidFinish(infos[5], PhaseResult(filesWritten: 120), .milliseconds(12))))
        #expect(s.phases[5].status == .succeeded)
        #expect(s.phases[5].duration == .milliseconds(12))
        _ = Reducer.reduce(&s, .run(.phaseSkipped(infos[11], reason: "standalone mode is off")))
        #expect(s.phases[11].status == .skipped("standalone mode is off"))
    }

    @Test("two phases at once: both run, progress on each, the selection follows the oldest, B finishing before A")
    func concurrentPhases() {
        var s = Fixtures.state(width: 120, height: 40)
        let a = Fixtures.infos[5], b = Fixtures.infos[8]  // writeFiles, generateOpenAPI
        _ = Fixtures.apply(&s, [.run(.runStarted(Fixtures.plan(s))), .tick(Fixtures.at(10)), .run(.phaseWillRun(a)),
                                .tick(Fixtures.at(20)), .run(.phaseWillRun(b))])
        #expect(s.phases[5].status == .running && s.phases[8].status == .running)
        #expect(s.runningRows == [5, 8])
        // The oldest running phase stays selected when a later one starts.
        #expect(s.selectedPhase == 5)
        _ = Fixtures.apply(&s, [.run(.phaseProgress(a, done: 30, total: 120, message: "a")), .run(.phaseProgress(b, done: 2, total: 4, message: "b"))])
        #expect(s.phases[5].progress?.done == 30 && s.phases[8].progress?.done == 2)
        let screen = Screen.render(s).plainText()
        #expect(screen.contains("running 05 writeFiles, 08 generateOpenAPI…"), "\(screen)")
        #expect(screen.contains("running 0/13 (2 at once)"), "\(screen)")
        // B finishes first: A is still running and still selected; the status line lists only A.
        _ = Fixtures.apply(&s, [.tick(Fixtures.at(30)), .run(.phaseDidFinish(b, .empty, .milliseconds(10)))])
        #expect(s.phases[8].status == .succeeded && s.phases[8].duration == .milliseconds(10))
        #expect(s.phases[5].status == .running && s.phases[5].progress?.done == 30)
        #expect(s.selectedPhase == 5)
        #expect(Screen.render(s).plainText().contains("running 05 writeFiles…"))
        // A third starts, then A finishes: the selection moves to the oldest still running.
        let c = Fixtures.infos[7]
        _ = Fixtures.apply(&s, [.tick(Fixtures.at(40)), .run(.phaseWillRun(c)), .tick(Fixtures.at(50)), .run(.phaseDidFinish(a, .empty, .milliseconds(40)))])
        #expect(s.runningRows == [7])
        #expect(s.selectedPhase == 7)
        #expect(s.phases.filter(\.status.isDone).count == 2)
        // Once the user moves, the selection stays put.
        _ = Fixtures.apply(&s, [.key(.char("g")), .run(.phaseWillRun(Fixtures.infos[9])), .run(.phaseDidFinish(c, .empty, .milliseconds(5)))])
        #expect(s.selectedPhase == 0)
    }

    @Test("several running phases that do not fit the status line are counted")
    func runningStatusLine() {
        var s = Fixtures.state(width: 60, height: 15)
        _ = Reducer.reduce(&s, .run(.runStarted(Fixtures.plan(s))))
        for i in [6, 8, 9, 10, 11] { _ = Reducer.reduce(&s, .run(.phaseWillRun(Fixtures.infos[i]))) }
        let line = StatusLine.running(s, width: 59)
        #expect(line.hasPrefix("running 06 writeInfrastructure, 08 generateOpenAPI"), "\(line)")
        #expect(line.hasSuffix("more") && DisplayWidth.of(line) <= 59, "\(line)")
    }

    @Test("t switches the Phases pane between the phase's detail and the timeline; a failed run shows the phase again")
    func timelineToggle() {
        var s = Fixtures.parallel()
        #expect(s.detailMode == .phase)
        _ = Reducer.reduce(&s, .key(.char("t")))
        #expect(s.detailMode == .timeline)
        #expect(Screen.render(s).plainText().contains("Timeline of the last run"))
        // j/k still select phases; the timeline marks the selected one.
        _ = Fixtures.apply(&s, [.key(.char("g")), .key(.char("j"))])
        #expect(s.selectedPhase == 1 && s.detailMode == .timeline)
        _ = Reducer.reduce(&s, .key(.char("t")))
        #expect(s.detailMode == .phase)
        #expect(!Screen.render(s).plainText().contains("Timeline of the last run"))
        // Only in the Phases pane.
        _ = Fixtures.apply(&s, [.key(.char("2")), .key(.char("t"))])
        #expect(s.detailMode == .phase)
        // The mode stays across runs, but a failure brings the error pane back.
        _ = Fixtures.apply(&s, [.key(.char("1")), .key(.char("t"))])
        let failed = Fixtures.failed()
        _ = Reducer.reduce(&s, .run(.runFinished(failed.lastReport ?? Fixtures.parallelReport())))
        #expect(s.detailMode == .phase && s.selectedPhase == 2)
    }

    @Test("a failed run selects the failed phase and focuses the phases pane; scanning output follows")
    func failure() {
        var s = Fixtures.state()
        s.focus = .schema
        let effects = Fixtures.apply(&s, [])
        #expect(effects.isEmpty)
        let failed = Fixtures.failed()
        #expect(failed.selectedPhase == 2)
        #expect(failed.focus == .phases)
        #expect(failed.phases[2].failure?.diagnostics.first?.line == 3)
        #expect(failed.phases[3].status == .notRun)
        #expect(failed.lastReport?.status == .failed)
    }

    @Test("navigation: j/k, g/G, Tab/Shift-Tab, 1-4")
    func navigation() {
        var s = Fixtures.succeeded()
        _ = Reducer.reduce(&s, .key(.char("g")))
        #expect(s.selectedPhase == 0)
        _ = Fixtures.apply(&s, [.key(.char("j")), .key(.down)])
        #expect(s.selectedPhase == 2)
        _ = Reducer.reduce(&s, .key(.char("G")))
        #expect(s.selectedPhase == 12)
        _ = Reducer.reduce(&s, .key(.char("k")))
        #expect(s.selectedPhase == 11)
        _ = Reducer.reduce(&s, .key(.tab))
        #expect(s.focus == .output)
        _ = Reducer.reduce(&s, .key(.backTab))
        #expect(s.focus == .phases)
        _ = Reducer.reduce(&s, .key(.backTab))
        #expect(s.focus == .toggles)
        _ = Reducer.reduce(&s, .key(.char("3")))
        #expect(s.focus == .schema)
    }

    @Test("r re-runs everything, R from the selected phase; not while running")
    func reruns() {
        var s = Fixtures.succeeded()
        #expect(Reducer.reduce(&s, .key(.char("r"))) == [.startRun(fromOrder: nil)])
        _ = Reducer.reduce(&s, .key(.char("g")))
        _ = Fixtures.apply(&s, [.key(.char("j")), .key(.char("j")), .key(.char("j"))])
        #expect(Reducer.reduce(&s, .key(.char("R"))) == [.startRun(fromOrder: 3)])
        _ = Reducer.reduce(&s, .run(.runStarted(Fixtures.plan(s, start: 3))))
        #expect(s.phases[0].status == .reused)
        #expect(s.phases[3].status == .pending)
        #expect(Reducer.reduce(&s, .key(.char("r"))).isEmpty)
    }

    @Test("q quits when idle, asks while running; Ctrl-C cancels, a second Ctrl-C quits")
    func quitting() {
        var idle = Fixtures.succeeded()
        #expect(Reducer.reduce(&idle, .key(.char("q"))) == [.quit])
        var s = Fixtures.state()
        _ = Reducer.reduce(&s, .run(.runStarted(Fixtures.plan(s))))
        #expect(Reducer.reduce(&s, .key(.char("q"))).isEmpty)
        #expect(s.confirmQuit)
        #expect(Reducer.reduce(&s, .key(.char("x"))).isEmpty)
        #expect(!s.confirmQuit)
        _ = Reducer.reduce(&s, .key(.char("q")))
        // q again: cancel, say so, and quit only when the run has stopped.
        #expect(Reducer.reduce(&s, .key(.char("q"))) == [.cancelRun])
        #expect(s.quitting)
        #expect(s.flash?.hasPrefix("cancelling: running phases finish") == true)
        #expect(Screen.render(s).plainText().contains("cancelling: running phases finish"))
        #expect(Reducer.reduce(&s, .key(.char("r"))).isEmpty)
        let cancelled = RunReport(status: .cancelled, phases: [], totalDuration: .zero, runnerOverhead: .zero, outputDir: nil, commit: nil, finalizeFailure: nil)
        #expect(Reducer.reduce(&s, .run(.runFinished(cancelled))) == [.quit])
        var c = Fixtures.state()
        _ = Reducer.reduce(&c, .run(.runStarted(Fixtures.plan(c))))
        #expect(Reducer.reduce(&c, .key(.ctrlC)) == [.cancelRun])
        #expect(Reducer.reduce(&c, .key(.ctrlC)) == [.cancelRun])
        #expect(c.quitting)
        // A third Ctrl-C leaves at once.
        #expect(Reducer.reduce(&c, .key(.ctrlC)) == [.cancelRun, .quit])
        var t = Fixtures.state()
        _ = Reducer.reduce(&t, .run(.runStarted(Fixtures.plan(t))))
        #expect(Reducer.reduce(&t, .terminate) == [.cancelRun])
        #expect(Reducer.reduce(&t, .run(.runFinished(cancelled))) == [.quit])
        var idleTerm = Fixtures.succeeded()
        #expect(Reducer.reduce(&idleTerm, .terminate) == [.quit])
    }

    @Test("s toggles standalone and space toggles a phase; both update the runner's config")
    func toggles() {
        var s = Fixtures.succeeded()
        #expect(Reducer.reduce(&s, .key(.char("s"))) == [.updateConfig(standalone: false, disabled: [], enabled: [])])
        #expect(!s.willRun(s.phases[11].info))
        _ = Reducer.reduce(&s, .key(.char("4")))
        let index = s.togglePhases.firstIndex { $0.name == "writeTests" }!
        s.toggleSelected = index
        #expect(Reducer.reduce(&s, .key(.char(" "))) == [.updateConfig(standalone: false, disabled: [], enabled: ["writeTests"])])
        #expect(s.willRun(s.togglePhases[index]))
        _ = Reducer.reduce(&s, .key(.char(" ")))
        #expect(s.disabledPhases == ["writeTests"])
    }

    @Test("e opens the error's file and line; closing the editor re-runs")
    func editor() {
        var s = Fixtures.failed()
        #expect(Reducer.reduce(&s, .key(.char("e"))) == [.openEditor(path: "/work/app/prisma/schema.prisma", line: 3)])
        #expect(Reducer.reduce(&s, .editorClosed(failure: nil)) == [.startRun(fromOrder: nil)])
    }

    @Test("an editor that cannot start says so and does not re-run; e opens the selected error (n/p)")
    func editorFailureAndSelection() {
        var s = Fixtures.failed()
        #expect(Reducer.reduce(&s, .editorClosed(failure: "could not start the editor ($EDITOR=/nonexistent/ed)")).isEmpty)
        #expect(s.flash?.contains("could not start the editor") == true)
        #expect(TUIApp.editorFailure(status: 127 << 8, editor: "/nonexistent/ed")?.contains("could not start") == true)
        #expect(TUIApp.editorFailure(status: 0, editor: "vi") == nil)
        #expect(TUIApp.editorFailure(status: 1 << 8, editor: "vi")?.contains("exited with status 1") == true)
        // Two errors: n selects the second, e opens it.
        var two = Fixtures.failed(width: 160, height: 50, diagnostics: 2)
        #expect(Reducer.reduce(&two, .key(.char("e"))) == [.openEditor(path: "/work/app/prisma/schema.prisma", line: 3)])
        _ = Reducer.reduce(&two, .key(.char("n")))
        #expect(two.selectedError == 1)
        #expect(Reducer.reduce(&two, .key(.char("e"))) == [.openEditor(path: "/work/app/prisma/schema.prisma", line: 1)])
        #expect(Screen.render(two).plainText().contains("(2 of 2)"))
        _ = Reducer.reduce(&two, .key(.char("p")))
        #expect(two.selectedError == 0)
    }

    @Test("the toggles say what the next run will change: phases skipped (and those needing them), files removed, phases added back")
    func nextRunPreview() {
        var s = Fixtures.succeeded()
        #expect(NextRun.change(s)?.isEmpty == true)
        #expect(NextRun.summary(NextRun.change(s) ?? .init()) == "the same phases as the last run")
        _ = Fixtures.apply(&s, [.key(.char("4")), .key(.char("s"))])
        let change = NextRun.change(s)
        #expect(change?.skipped == ["generateTsConfig", "writeStandalone", "writeTests"])
        #expect(change?.removedFiles == 1) // package.json (the fixture's only standalone file)
        #expect(NextRun.summary(change ?? .init()) == "generateTsConfig, writeStandalone, writeTests will be skipped; 1 file will be removed")
        // Turning off a phase others need holds them back too, once the core has previewed the plan.
        var t = Fixtures.succeeded()
        let barrels = t.togglePhases.firstIndex { $0.name == "generateOpenAPI" } ?? 0
        _ = Fixtures.apply(&t, [.key(.char("4"))] + Array(repeating: .key(.char("j")), count: barrels) + [.key(.char(" "))])
        #expect(NextRun.change(t)?.skipped == ["generateOpenAPI"])
        #expect(NextRun.change(t)?.removedFiles == 1) // openapi.json

        // A plugin turned off: its files (kind plugin) go too when it is the only plugin.
        let plugin = PhaseInfo(order: 13, name: "apiDocs", description: "docs", condition: "always (plugin)", recovery: .continueRun, plugin: "python3 api_docs.py")
        var p = AppState(width: 80, height: 24, schemaPath: "schema.prisma", outputDir: "generated", standalone: true,
                         phases: Fixtures.infos + [plugin], now: Fixtures.t0)
        let all = Fixtures.infos + [plugin]
        let report = RunReport(status: .succeeded, phases: all.map { PhaseReport(phase: $0, status: .succeeded, duration: .zero, result: nil, skipReason: nil, failure: nil, attempts: 1) },
                               totalDuration: .zero, runnerOverhead: .zero, outputDir: "generated", commit: nil, finalizeFailure: nil)
        _ = Fixtures.apply(&p, [.run(.runFinished(report)), .outputScanned(Fixtures.files + [FileEntry(path: "docs/api.md", bytes: 900, change: .new, kind: .plugin)])])
        p.disabledPhases = ["apiDocs"]
        #expect(NextRun.summary(NextRun.change(p) ?? .init()) == "apiDocs will be skipped; 1 file will be removed")
    }

    @Test("the toggles list only phases that may be turned off: never the manifest")
    func togglesOnlySkippable() {
        let s = Fixtures.succeeded()
        let names = s.togglePhases.map(\.name)
        #expect(!names.contains("writeManifest"))
        #expect(!names.contains("setupOutputDir"))
        #expect(names.contains("writeTests") && names.contains("generateOpenAPI"))
    }

    @Test("the toggles follow the core's plan: what a forced phase pulls in, and why a re-run starts earlier")
    func planPreview() {
        var s = Fixtures.succeeded(width: 120, height: 40)
        let entries = Fixtures.infos.map { info -> RunPlan.Entry in
            info.name == "writeStandalone" ? RunPlan.Entry(phase: info, skipReason: nil, runReason: "needed by writeTests")
                : RunPlan.Entry(phase: info, skipReason: nil)
        }
        _ = Fixtures.apply(&s, [.planPreviewed(RunPlan(entries: entries, startOrder: 0)), .key(.char("4"))])
        #expect(Screen.render(s).plainText().contains("needed by writeTests"))
        // A skippable phase the plan skips because what it needs is off.
        let blocked = Fixtures.infos.map { info -> RunPlan.Entry in
            info.name == "writeTests" ? RunPlan.Entry(phase: info, skipReason: "needs writeStandalone, which is turned off") : RunPlan.Entry(phase: info, skipReason: nil)
        }
        _ = Reducer.reduce(&s, .planPreviewed(RunPlan(entries: blocked, startOrder: 0)))
        #expect(!s.willRun(Fixtures.infos[12]))
        #expect(Screen.render(s).plainText().contains("needs writeStandalone"))
        // A re-run from 12 that the core started at 10 says so.
        let rerun = RunPlan(entries: Fixtures.infos.map { RunPlan.Entry(phase: $0, skipReason: nil) }, startOrder: 10, requestedStartOrder: 12,
                            startReason: "generateTsConfig was skipped in the reused run and runs now")
        _ = Reducer.reduce(&s, .run(.runStarted(rerun)))
        #expect(s.flash?.contains("re-running from 10 instead of 12") == true)
    }

    @Test("the too-small screen ignores every key but quit")
    func tooSmallIgnoresKeys() {
        var s = Fixtures.succeeded(width: 50, height: 12)
        #expect(Reducer.reduce(&s, .key(.char("r"))).isEmpty)
        #expect(Reducer.reduce(&s, .key(.char("s"))).isEmpty)
        #expect(s.standalone)
        #expect(Reducer.reduce(&s, .key(.char("q"))) == [.cancelRun, .quit])
    }

    @Test("a saved schema re-runs, or queues a re-run while one is in progress")
    func watch() {
        var s = Fixtures.succeeded()
        #expect(Reducer.reduce(&s, .schemaFileChanged) == [.startRun(fromOrder: nil)])
        _ = Reducer.reduce(&s, .run(.runStarted(Fixtures.plan(s))))
        #expect(Reducer.reduce(&s, .schemaFileChanged).isEmpty)
        let report = RunReport(status: .succeeded, phases: [], totalDuration: .zero, runnerOverhead: .zero, outputDir: nil, commit: nil, finalizeFailure: nil)
        #expect(Reducer.reduce(&s, .run(.runFinished(report))).contains(.startRun(fromOrder: nil)))
    }

    @Test("output tree: folders collapse and expand, / filters, selecting a file loads its preview")
    func outputTree() {
        var s = Fixtures.succeeded()
        s.output.collapsed = []
        _ = Reducer.reduce(&s, .key(.char("2")))
        var rows = FileTree.rows(s.output)
        #expect(rows.map(\.path).prefix(3) == ["src", "src/base", "src/base/errors.ts"])
        let effects = Fixtures.apply(&s, [.key(.char("j")), .key(.char("j"))])
        #expect(effects == [.loadPreview(path: "src/base/errors.ts")])
        _ = Fixtures.apply(&s, [.key(.char("g")), .key(.char("j")), .key(.left)])
        rows = FileTree.rows(s.output)
        #expect(rows.first { $0.path == "src/base" }?.expanded == false)
        _ = Fixtures.apply(&s, [.key(.char("/")), .key(.char("u")), .key(.char("s")), .key(.char("e")), .key(.char("r")), .key(.enter)])
        #expect(s.output.filter == "user")
        #expect(FileTree.rows(s.output).filter { !$0.isDir }.map(\.path) == ["src/contracts/user/index.ts", "src/contracts/user/user.read.dto.ts", "src/routes/user/user.routes.ts"])
        #expect(s.output.rows == FileTree.rows(s.output))
    }

    @Test("filters: no match is said; Esc always clears; arrows leave the prompt and move; Enter toggles a folder")
    func filtersAndFolders() {
        var s = Fixtures.succeeded()
        s.output.collapsed = []
        _ = Fixtures.apply(&s, [.key(.char("2")), .key(.char("/")), .key(.char("z")), .key(.char("z")), .key(.char("z")), .key(.enter)])
        #expect(s.output.rows.isEmpty)
        #expect(Screen.render(s).plainText().contains("no match for 'zzz'"))
        _ = Reducer.reduce(&s, .key(.escape))
        #expect(s.output.filter.isEmpty && s.output.rows.count > 3)
        // Typing, then an arrow: the prompt closes, the text stays, the selection moves.
        _ = Fixtures.apply(&s, [.key(.char("/")), .key(.char("s")), .key(.char("r")), .key(.char("c")), .key(.down)])
        #expect(!s.output.editingFilter)
        #expect(s.output.filter == "src")
        #expect(s.output.selected == 1)
        _ = Fixtures.apply(&s, [.key(.escape), .key(.char("g"))])
        let folder = s.output.rows[0]
        #expect(folder.isDir && folder.expanded)
        _ = Reducer.reduce(&s, .key(.enter))
        #expect(s.output.rows[0].expanded == false)
        _ = Reducer.reduce(&s, .key(.enter))
        #expect(s.output.rows[0].expanded == true)
        // Schema search with no match.
        var m = Fixtures.succeeded()
        _ = Fixtures.apply(&m, [.key(.char("3")), .key(.char("/")), .key(.char("q")), .key(.char("q")), .key(.enter)])
        #expect(Screen.render(m).plainText().contains("no match for 'qq'"))
        _ = Reducer.reduce(&m, .key(.escape))
        #expect(m.schema.search.isEmpty)
    }

    @Test("PgUp/PgDn/Home/End move the focused list by a page")
    func paging() {
        var s = Fixtures.succeeded(width: 80, height: 24)
        let many = (0..<300).map { FileEntry(path: "src/f\(String(format: "%03d", $0)).ts", bytes: 10, change: .same) }
        _ = Fixtures.apply(&s, [.outputScanned(many), .key(.char("2"))])
        s.output.collapsed = []
        _ = Reducer.reduce(&s, .key(.pageDown))
        #expect(s.output.selected == 19)
        _ = Reducer.reduce(&s, .key(.end))
        #expect(s.output.selected == s.output.rows.count - 1)
        _ = Reducer.reduce(&s, .key(.pageUp))
        #expect(s.output.selected == s.output.rows.count - 20)
        _ = Reducer.reduce(&s, .key(.home))
        #expect(s.output.selected == 0)
        // The schema's list pages too.
        var m = Fixtures.succeeded(width: 80, height: 15)
        let count = SchemaExplorer.entities(m.schema).count
        _ = Fixtures.apply(&m, [.key(.char("3")), .key(.char("j")), .key(.pageDown)])
        #expect(m.schema.selected == min(count - 1, 11))
        _ = Reducer.reduce(&m, .key(.end))
        #expect(m.schema.selected == count - 1)
        _ = Fixtures.apply(&m, [.key(.pageUp)])
        #expect(m.schema.selected == max(0, count - 11))
        #expect(count > 1 && m.schema.selected < count - 1)
    }

    @Test("an invalid schema keeps the last valid model on screen, marked stale")
    func staleSchema() {
        var s = Fixtures.succeeded()
        _ = Fixtures.apply(&s, [.key(.char("3")), .schemaLoaded(nil)])
        #expect(s.schema.model != nil && s.schema.stale)
        let screen = Screen.render(s).plainText()
        #expect(screen.contains("(stale)") && screen.contains("model User"))
        _ = Reducer.reduce(&s, .schemaLoaded(Fixtures.schema))
        #expect(!s.schema.stale)
    }

    @Test("schema explorer: Enter shows fields, Enter on a relation follows it, Esc goes back; / searches")
    func schemaExplorer() {
        var s = Fixtures.succeeded()
        _ = Reducer.reduce(&s, .key(.char("3")))
        #expect(SchemaExplorer.entities(s.schema).first == .model("User"))
        _ = Reducer.reduce(&s, .key(.enter))
        #expect(s.schema.inFields)
        let user = Fixtures.schema.model("User")!
        let profileIndex = user.fields.firstIndex { $0.name == "profile" }!
        s.schema.fieldSelected = profileIndex
        _ = Reducer.reduce(&s, .key(.enter))
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("Profile"))
        #expect(Fixtures.schema.model("Profile")!.fields[s.schema.fieldSelected].name == "user")
        _ = Reducer.reduce(&s, .key(.escape))
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("User"))
        #expect(s.schema.fieldSelected == profileIndex)
        _ = Fixtures.apply(&s, [.key(.escape), .key(.char("/")), .key(.char("s")), .key(.char("t")), .key(.enter)])
        #expect(SchemaExplorer.entities(s.schema).map(\.name) == ["Status", "OrderStatus"])
    }

    @Test("schema explorer: a model's endpoints, generated files and references; Enter on a file or an endpoint opens it in the Output pane, on a reference follows it")
    func schemaGenerated() throws {
        var s = Fixtures.succeeded()
        _ = Fixtures.apply(&s, [.key(.char("3")), .key(.enter)])
        let items = SchemaExplorer.items(s)
        let user = try #require(Fixtures.schema.model("User"))
        // Fields first, then the endpoints the generated router mounts, the files, the references.
        #expect(items.prefix(user.fields.count) == ArraySlice((0..<user.fields.count).map(SchemaExplorer.DetailItem.field)))
        let endpoints = items.compactMap { if case .endpoint(let e) = $0 { return "\(e.method) \(e.path)" } else { return nil } }
        #expect(endpoints.contains("GET /api/users"))
        #expect(endpoints.contains("GET /api/users/:id"))
        #expect(endpoints.contains("DELETE /api/users/:id"))
        #expect(endpoints.contains { $0.hasPrefix("GET /api/users/:id/") }, "a sub-route for a list relation: \(endpoints)")
        let files = items.compactMap { if case .file(let p) = $0 { return p } else { return nil } }
        #expect(files == ["src/contracts/user/index.ts", "src/contracts/user/user.read.dto.ts", "src/routes/user/user.routes.ts"])
        let references = items.compactMap { if case .reference(let r) = $0 { return "\(r.model).\(r.field)" } else { return nil } }
        #expect(references.contains("Profile.user") && references.contains("Order.customer"), "\(references)")

        // Enter on a file: the Output pane, the file selected (its folders opened) and previewed.
        s.output.collapsed = ["src", "src/contracts"]
        s.schema.fieldSelected = try #require(items.firstIndex(of: .file("src/contracts/user/user.read.dto.ts")))
        let effects = Reducer.reduce(&s, .key(.enter))
        #expect(s.focus == .output)
        #expect(s.output.rows[s.output.selected].path == "src/contracts/user/user.read.dto.ts")
        #expect(effects.contains { if case .loadPreview(path: "src/contracts/user/user.read.dto.ts") = $0 { return true } else { return false } })

        // Enter on an endpoint: the router that mounts it.
        _ = Reducer.reduce(&s, .key(.char("3")))
        s.schema.fieldSelected = try #require(items.firstIndex { if case .endpoint = $0 { return true } else { return false } })
        _ = Reducer.reduce(&s, .key(.enter))
        #expect(s.focus == .output && s.output.rows[s.output.selected].path == "src/routes/user/user.routes.ts")

        // Enter on a reference: the field that points here; Esc comes back.
        _ = Reducer.reduce(&s, .key(.char("3")))
        let reference = try #require(items.firstIndex(of: .reference(.init(model: "Profile", field: "user"))))
        s.schema.fieldSelected = reference
        _ = Reducer.reduce(&s, .key(.enter))
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("Profile"))
        #expect(Fixtures.schema.model("Profile")?.fields[s.schema.fieldSelected].name == "user")
        _ = Reducer.reduce(&s, .key(.escape))
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("User") && s.schema.fieldSelected == reference)
    }

    @Test("mouse: a click on a tab, a phase, a tree row, a schema entity, a toggle selects it; the wheel moves the selection")
    func mouse() {
        var s = Fixtures.succeeded(width: 120, height: 40)
        s.output.collapsed = []
        func screenRow(_ text: String, fromX: Int = 0) -> (x: Int, y: Int)? {
            for (y, line) in Screen.render(s).plainText().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let chars = Array(line)
                guard chars.count > fromX, let r = String(chars[fromX...]).range(of: text) else { continue }
                return (fromX + String(chars[fromX...]).distance(from: String(chars[fromX...]).startIndex, to: r.lowerBound), y)
            }
            return nil
        }
        // Tabs.
        if let tab = screenRow("2 Output") { _ = Reducer.reduce(&s, .mouse(.init(x: tab.x, y: tab.y, kind: .press))) }
        #expect(s.focus == .output)
        // A file of the tree: selected and previewed.
        if let file = screenRow("errors.ts", fromX: 41) {
            let effects = Reducer.reduce(&s, .mouse(.init(x: file.x, y: file.y, kind: .press)))
            #expect(s.output.rows[s.output.selected].path == "src/base/errors.ts")
            #expect(effects == [.loadPreview(path: "src/base/errors.ts")])
        } else { Issue.record("errors.ts not on screen") }
        // The wheel: the next row.
        _ = Reducer.reduce(&s, .mouse(.init(x: 50, y: 10, kind: .wheelDown)))
        #expect(s.output.rows[s.output.selected].path == "src/base/index.ts")
        // A phase of the checklist.
        if let phase = screenRow("07 generateBarrels") { _ = Reducer.reduce(&s, .mouse(.init(x: phase.x, y: phase.y, kind: .press))) }
        #expect(s.focus == .phases && s.phases[s.selectedPhase].info.name == "generateBarrels")
        // A schema entity.
        if let tab = screenRow("3 Schema") { _ = Reducer.reduce(&s, .mouse(.init(x: tab.x, y: tab.y, kind: .press))) }
        if let entity = screenRow("model Review", fromX: 41) { _ = Reducer.reduce(&s, .mouse(.init(x: entity.x, y: entity.y, kind: .press))) }
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("Review"))
        // A toggle.
        if let tab = screenRow("4 Toggles") { _ = Reducer.reduce(&s, .mouse(.init(x: tab.x, y: tab.y, kind: .press))) }
        if let toggle = screenRow("generateOpenAPI", fromX: 41) { _ = Reducer.reduce(&s, .mouse(.init(x: toggle.x, y: toggle.y, kind: .press))) }
        #expect(s.togglePhases[s.toggleSelected].name == "generateOpenAPI")
    }

    @Test("relation map: m shows the model's relations, ↓ chooses one, Enter goes to its model's map, Esc comes back, then leaves the map")
    func relationMap() throws {
        var s = Fixtures.succeeded()
        _ = Fixtures.apply(&s, [.key(.char("3")), .key(.char("m"))])
        #expect(s.schema.showMap)
        let user = try #require(Fixtures.schema.model("User"))
        let edges = RelationMap.edges(user)
        #expect(edges.map { "\($0.label) \($0.field)" } == ["1:1 profile", "1:n orders", "1:n reviews"])
        _ = Fixtures.apply(&s, [.key(.char("j")), .key(.enter)])
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("Order") && s.schema.showMap)
        #expect(RelationMap.edges(try #require(Fixtures.schema.model("Order"))).first.map { "\($0.label) \($0.field) \($0.target)" } == "n:1 customer User")
        _ = Reducer.reduce(&s, .key(.escape))
        #expect(SchemaExplorer.entities(s.schema)[s.schema.selected] == .model("User") && s.schema.mapSelected == 1)
        _ = Reducer.reduce(&s, .key(.escape))
        #expect(!s.schema.showMap)
        // Not for enums.
        let role = try #require(SchemaExplorer.entities(s.schema).firstIndex(of: .enumeration("Role")))
        s.schema.selected = role
        _ = Reducer.reduce(&s, .key(.char("m")))
        #expect(!s.schema.showMap)
    }

    @Test("the hidden crash key does nothing unless PHASERUNNER_DEBUG_CRASH set it up")
    func crashKey() {
        var s = Fixtures.succeeded()
        #expect(Reducer.reduce(&s, .key(.char("!"))).isEmpty)
        s.debugCrash = .abort
        #expect(Reducer.reduce(&s, .key(.char("!"))) == [.crash(.abort)])
    }

    @Test("? shows help; any key closes it")
    func help() {
        var s = Fixtures.succeeded()
        _ = Reducer.reduce(&s, .key(.char("?")))
        #expect(s.showHelp)
        #expect(Reducer.reduce(&s, .key(.char("q"))).isEmpty)
        #expect(!s.showHelp)
    }
}
