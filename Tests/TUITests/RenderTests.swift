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
        var schema = Fixtures.succeeded(width: w, height: h)
        _ = Fixtures.apply(&schema, [.key(.char("3")), .key(.enter), .key(.char("j"))])
        cases.append(("schema", schema))
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
        for (name, state) in cases {
            let (ok, message) = Snapshot.check("\(name)-\(w)x\(h)", Screen.render(state))
            #expect(ok, "\(message)")
        }
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
