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
        #expect(Reducer.reduce(&s, .key(.char("q"))) == [.cancelRun, .quit])
        var c = Fixtures.state()
        _ = Reducer.reduce(&c, .run(.runStarted(Fixtures.plan(c))))
        #expect(Reducer.reduce(&c, .key(.ctrlC)) == [.cancelRun])
        #expect(Reducer.reduce(&c, .key(.ctrlC)) == [.cancelRun, .quit])
        #expect(Reducer.reduce(&c, .terminate) == [.cancelRun, .quit])
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
        #expect(Reducer.reduce(&s, .editorClosed) == [.startRun(fromOrder: nil)])
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
        #expect(FileTree.rows(s.output).filter { !$0.isDir }.map(\.path) == ["src/contracts/user/index.ts", "src/contracts/user/user.read.dto.ts"])
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

    @Test("? shows help; any key closes it")
    func help() {
        var s = Fixtures.succeeded()
        _ = Reducer.reduce(&s, .key(.char("?")))
        #expect(s.showHelp)
        #expect(Reducer.reduce(&s, .key(.char("q"))).isEmpty)
        #expect(!s.showHelp)
    }
}
