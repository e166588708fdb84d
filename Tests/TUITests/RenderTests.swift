import Core
import Foundation
import Testing
@testable import TUI

@Suite("TUI rendering")
struct RenderTests {
    @Test("golden screens at 80×24 and 120×40", arguments: [(80, 24), (120, 40)])
    func goldens(_ size: (Int, Int)) {
        let (w, h) = size
        var cases: [(String, AppState)] = []
        cases.append(("checklist", Fixtures.succeeded(width: w, height: h)))
        cases.append(("error", Fixtures.failed(width: w, height: h)))
        var output = Fixtures.succeeded(width: w, height: h)
        output.output.collapsed = []
        _ = Fixtures.apply(&output, [.key(.char("2")), .key(.char("j")), .key(.char("j")),
                                     .previewLoaded(path: "src/base/errors.ts", text: "import { ZodError } from 'zod';\n\nexport class HttpError extends Error {}\n")])
        cases.append(("output", output))
        // A changed (~) file: its diff against the previous generation.
        var diff = Fixtures.succeeded(width: w, height: h)
        diff.output.collapsed = []
        let old = "import { ZodError } from 'zod';\n\nexport class HttpError extends Error {}\n"
        let new = "import { ZodError } from 'zod';\n\nexport class HttpError extends Error {\n  status = 500;\n}\n"
        func lines(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        _ = Fixtures.apply(&diff, [.key(.char("2")), .key(.char("j")), .key(.char("j")), .previewLoaded(path: "src/base/errors.ts", text: new),
                                   .diffLoaded(path: "src/base/errors.ts", diff: .lines(UnifiedDiff.lines(old: lines(old), new: lines(new)) ?? []))])
        cases.append(("output-diff", diff))
        var schema = Fixtures.succeeded(width: w, height: h)
        _ = Fixtures.apply(&schema, [.key(.char("3")), .key(.enter), .key(.char("j"))])
        cases.append(("schema", schema))
        // A model's endpoints, generated files and the fields pointing at it (the last item selected).
        var generated = Fixtures.succeeded(width: w, height: h)
        _ = Fixtures.apply(&generated, [.key(.char("3")), .key(.enter), .key(.end)])
        cases.append(("schema-generated", generated))
        // User's relation map, its second relation chosen.
        var map = Fixtures.succeeded(width: w, height: h)
        _ = Fixtures.apply(&map, [.key(.char("3")), .key(.char("m")), .key(.char("j"))])
        cases.append(("relation-map", map))
        var toggles = Fixtures.succeeded(width: w, height: h)
        _ = Fixtures.apply(&toggles, [.key(.char("4")), .key(.char("s"))])
        cases.append(("toggles", toggles))
        var help = Fixtures.succeeded(width: w, height: h)
        _ = Reducer.reduce(&help, .key(.char("?")))
        cases.append(("help", help))
        var running = Fixtures.state(width: w, height: h)
        _ = Fixtures.apply(&running, [.run(.runStarted(Fixtures.plan(running))), .tick(Fixtures.at(0))])
        for info in Fixtures.infos.prefix(5) {
            _ = Fixtures.apply(&running, [.run(.phaseWillRun(info)), .run(.phaseDidFinish(info, .empty, .microseconds(800)))])
        }
        _ = Fixtures.apply(&running, [.run(.phaseWillRun(Fixtures.infos[5])), .tick(Fixtures.at(1_250)),
                                      .run(.phaseProgress(Fixtures.infos[5], done: 45, total: 120, message: "45 of 120 files"))])
        cases.append(("running", running))
        // The scheduler running two phases at once, one of them a plugin (its own glyph).
        let plugin = PhaseInfo(order: 13, name: "apiDocs", description: "Write docs/api.md from the API's endpoints", condition: "always (plugin)",
                               recovery: .continueRun, plugin: "python3 examples/plugins/api-docs/api_docs.py")
        var parallel = AppState(width: w, height: h, schemaPath: "/work/app/prisma/schema.prisma", outputDir: "/work/app/generated",
                                standalone: true, phases: Fixtures.infos + [plugin], now: Fixtures.t0)
        let entries = (Fixtures.infos + [plugin]).map { RunPlan.Entry(phase: $0, skipReason: nil) }
        _ = Fixtures.apply(&parallel, [.run(.runStarted(RunPlan(entries: entries, startOrder: 0))), .tick(Fixtures.at(0))])
        for info in Fixtures.infos.prefix(4) {
            _ = Fixtures.apply(&parallel, [.run(.phaseWillRun(info)), .run(.phaseDidFinish(info, .empty, .microseconds(900)))])
        }
        _ = Fixtures.apply(&parallel, [.run(.phaseWillRun(Fixtures.infos[4])), .tick(Fixtures.at(300)), .run(.phaseWillRun(plugin)),
                                       .tick(Fixtures.at(1_100)),
                                       .run(.phaseProgress(Fixtures.infos[4], done: 3, total: 8, message: "3 of 8 models"))])
        cases.append(("parallel-plugin", parallel))
        // A run restored from the phase cache, 05 writeFiles selected (its detail says what it saved).
        var cached = Fixtures.state(width: w, height: h)
        _ = Fixtures.apply(&cached, [.run(.runStarted(Fixtures.plan(cached))), .tick(Fixtures.at(0))])
        for (i, info) in Fixtures.infos.enumerated() {
            let result = PhaseResult(filesWritten: 78, counters: [.init("new", 0), .init("changed", 0), .init("unchanged", 78)],
                                     message: "78 files staged: 78 unchanged")
            if [0, 1, 9].contains(i) {
                _ = Fixtures.apply(&cached, [.run(.phaseWillRun(info)), .run(.phaseDidFinish(info, .empty, .microseconds(900)))])
            } else {
                _ = Fixtures.apply(&cached, [.run(.phaseWillRun(info)),
                                             .run(.phaseCached(info, result, restore: .microseconds(1_400), saved: .milliseconds(36)))])
            }
        }
        _ = Fixtures.apply(&cached, [.key(.char("g"))] + Array(repeating: .key(.char("j")), count: 5))
        cases.append(("cached", cached))
        // The timeline of a run whose phases overlapped, 05 writeFiles (on the critical path) selected.
        var timeline = Fixtures.parallel(width: w, height: h)
        _ = Fixtures.apply(&timeline, [.key(.char("g"))] + Array(repeating: .key(.char("j")), count: 5) + [.key(.char("t"))])
        cases.append(("timeline", timeline))
        for (name, state) in cases {
            let (ok, message) = Snapshot.check("\(name)-\(w)x\(h)", Screen.render(state))
            #expect(ok, "\(message)")
        }
    }

    @Test("small terminals: every pane keeps the output path, ? help and q quit; help scrolls at 60×15; counters read right")
    func smallTerminals() {
        for (w, h) in [(80, 24), (60, 15)] {
            for pane in ["1", "2", "3", "4"] {
                var s = Fixtures.succeeded(width: w, height: h)
                _ = Reducer.reduce(&s, .key(.char(Character(pane))))
                let lines = Screen.render(s).plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines[0].contains("generated") || lines[0].contains("…"), "header without the output folder at \(w)×\(h), pane \(pane): \(lines[0])")
                #expect(lines[h - 1].contains("? help") && lines[h - 1].contains("q quit"), "footer at \(w)×\(h), pane \(pane): \(lines[h - 1])")
            }
        }
        var help = Fixtures.succeeded(width: 60, height: 15)
        _ = Reducer.reduce(&help, .key(.char("?")))
        let first = Screen.render(help).plainText()
        #expect(first.contains("j/k scroll"))
        _ = Fixtures.apply(&help, [.key(.char("j")), .key(.char("j")), .key(.pageDown)])
        #expect(help.showHelp && help.helpScroll > 0)
        #expect(Screen.render(help).plainText() != first)
        // Counters: singular forms, no "0 files" for in-memory generation, no doubled progress.
        var s = Fixtures.state(width: 120, height: 40)
        let info = Fixtures.infos[4]
        _ = Fixtures.apply(&s, [.run(.runStarted(Fixtures.plan(s))), .run(.phaseWillRun(info)),
                                .run(.phaseProgress(info, done: 390, total: 3022, message: "files"))])
        s.selectedPhase = 4
        #expect(Screen.render(s).plainText().contains("390/3022 files"))
        _ = Reducer.reduce(&s, .run(.phaseDidFinish(info, PhaseResult(bytes: 99_000, message: "1 file"), .milliseconds(3))))
        let text = Screen.render(s).plainText()
        #expect(text.contains("96.7 K generated in memory") && !text.contains("0 files ·"))
        #expect(Plural.count(1, "file") == "1 file" && Plural.count(2, "enum") == "2 enums")
    }

    @Test("timeline: bars from start to end on one axis, overlapping phases share columns, the critical path is solid, the legend's figures")
    func timeline() {
        var s = Fixtures.parallel(width: 80, height: 24)
        _ = Reducer.reduce(&s, .key(.char("t")))
        let lines = Screen.render(s).plainText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        // Row i of the timeline is on the checklist's row i (the bars start after "│ 05 ").
        func bar(_ order: Int) -> (String, Range<Int>?) {
            let line = lines[3 + order]
            #expect(line.contains(String(format: " %02d ", order)), "\(line)")
            let cells = Array(line)
            let right = cells.firstIndex(of: "│").map { $0 + 5 } ?? 0
            let filled = cells.indices.filter { $0 >= right && (cells[$0] == "█" || cells[$0] == "▒") }
            return (String(cells[right...]), filled.first.map { $0..<((filled.last ?? $0) + 1) })
        }
        let report = Fixtures.parallelReport()
        let times = Fixtures.schedule(jobs: 2)
        // generateOpenAPI (08) ran beside generateCode (04): their bars share columns.
        #expect(times[8].start < times[4].end && times[4].start < times[8].end)
        let (generateCode, gc) = bar(4), (openAPI, oa) = bar(8), (writeFiles, _) = bar(5)
        #expect(gc != nil && oa != nil && gc?.overlaps(oa ?? 0..<0) == true, "\(generateCode)\n\(openAPI)")
        // Critical path solid, the others shaded.
        #expect(report.criticalPhases.contains("writeFiles") && !report.criticalPhases.contains("generateOpenAPI"))
        #expect(writeFiles.contains("█") && !writeFiles.contains("▒"))
        #expect(openAPI.contains("▒") && !openAPI.contains("█"))
        // Later starts are further right; the axis ends with the run's total.
        #expect((bar(2).1?.lowerBound ?? 0) < (gc?.lowerBound ?? 0))
        #expect(lines[3 + 13].hasSuffix(" \(DurationFormat.short(report.totalDuration))"), "\(lines[3 + 13])")
        let text = lines.joined(separator: "\n")
        #expect(text.contains("jobs 2 · critical path 725.0ms"), "\(text)")
        #expect(text.contains("phases 1.02s"))
        #expect(text.contains("█ on the critical path  ▒ other phases"))
        // ASCII: the same bars in # and =.
        s.glyphs = .ascii
        let ascii = Screen.render(s).plainText()
        #expect(ascii.contains("#") && ascii.contains("=") && ascii.unicodeScalars.allSatisfy(\.isASCII))
        // At 60×15 the bars scroll with the selection and the figures stay.
        var small = Fixtures.parallel(width: 60, height: 15)
        _ = Fixtures.apply(&small, [.key(.char("t")), .key(.char("G"))])
        let smallText = Screen.render(small).plainText()
        #expect(smallText.contains("jobs 2") && smallText.contains("12 "), "\(smallText)")
    }

    @Test("timeline without start and end (a runner that does not record them): bars laid end to end, and said so; before any run: what it will show")
    func timelineFallbacks() {
        var s = Fixtures.succeeded(width: 120, height: 40)
        _ = Reducer.reduce(&s, .key(.char("t")))
        let text = Screen.render(s).plainText()
        #expect(text.contains("no start/end: bars laid end to end"), "\(text)")
        #expect(text.contains("▒") && !text.contains("on the critical path"))
        // At 80 columns the note fits the pane.
        var narrow = Fixtures.succeeded(width: 80, height: 24)
        _ = Reducer.reduce(&narrow, .key(.char("t")))
        let narrowText = Screen.render(narrow).plainText()
        #expect(narrowText.contains("no start/end: bars laid end to end"), "\(narrowText)")
        let report = s.lastReport ?? Fixtures.parallelReport()
        let spans = Timeline.spans(report)
        #expect(!spans.measured)
        #expect(spans.spans["parseSchema"]?.start == spans.spans["setupOutputDir"]?.end)
        // A skipped phase has no bar and says so.
        var skipped = Fixtures.parallelReport()
        skipped.phases[12].status = .skipped
        skipped.phases[12].start = nil
        skipped.phases[12].end = nil
        // Only phases that ran get a bar, whatever times a report gives the others.
        skipped.phases[11].status = .notRun
        #expect(Timeline.spans(skipped).spans["writeStandalone"] == nil && Timeline.spans(skipped).spans["writeFiles"] != nil)
        var k = Fixtures.parallel(width: 120, height: 40)
        _ = Fixtures.apply(&k, [.run(.runFinished(skipped)), .key(.char("t"))])
        let skippedText = Screen.render(k).plainText()
        #expect(skippedText.contains("12 skipped") && skippedText.contains("11 not run"), "\(skippedText)")
        var fresh = Fixtures.state()
        _ = Reducer.reduce(&fresh, .key(.char("t")))
        #expect(Screen.render(fresh).plainText().contains("No run has finished yet"))
        // Columns: at least one cell, never past the end.
        #expect(Timeline.columns(.init(start: .zero, end: .zero), axis: .seconds(1), width: 10) == 0..<1)
        #expect(Timeline.columns(.init(start: .seconds(1), end: .seconds(1)), axis: .seconds(1), width: 10) == 9..<10)
        #expect(Timeline.columns(.init(start: .milliseconds(250), end: .milliseconds(500)), axis: .seconds(1), width: 8) == 2..<4)
    }

    @Test("too small below 60×15; ASCII glyphs; no colour keeps bold and reverse")
    func robustness() {
        var s = Fixtures.succeeded(width: 50, height: 12)
        #expect(Screen.render(s).plainText().contains("Terminal too small: 50×12"))
        _ = Reducer.reduce(&s, .resize(width: 80, height: 24))
        #expect(Screen.render(s).plainText().contains("01 parseSchema"))
        s.glyphs = .ascii
        let ascii = Screen.render(s).plainText()
        #expect(ascii.contains("+ 00 setupOutputDir"))
        let allASCII = ascii.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII)
        s.color = false
        let buffer = Screen.render(s)
        #expect(buffer.cells.allSatisfy { $0.style.fg == nil })
        #expect(buffer.cells.contains { $0.style.reverse })
    }

    @Test("wide characters take two cells and never overflow a row")
    func wide() {
        var b = CellBuffer(width: 10, height: 1)
        let used = b.put("生成abc", x: 0, y: 0)
        #expect(used == 7)
        #expect(b.plainText() == "生成abc\n")
        var c = CellBuffer(width: 5, height: 1)
        c.put("ab生成", x: 0, y: 0)
        #expect(c.plainText() == "ab生\n")
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
    }
}
