import Core
import Foundation
import Testing
@testable import TUI

@Suite("plain line output")
struct PlainReporterTests {
    @Test("phases running at once: one whole line per phase as it finishes, in the order they finish")
    func concurrentPhases() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        let reporter = PlainReporter(output: handle, summaryOutput: nil, verbosity: .normal, unicode: true)
        let a = Fixtures.infos[5], b = Fixtures.infos[8], c = Fixtures.infos[2]
        let failure = PhaseFailure.schema(message: "1 schema error", diagnostics: [Fixtures.diagnostic])
        let events: [RunEvent] = [
            .runStarted(RunPlan(entries: Fixtures.infos.map { RunPlan.Entry(phase: $0, skipReason: nil) }, startOrder: 0)),
            .phaseWillRun(a), .phaseWillRun(b), .phaseWillRun(c),
            .phaseProgress(a, done: 1, total: 2, message: "half"), .phaseProgress(b, done: 1, total: 2, message: "half"),
            .phaseDidFinish(b, PhaseResult(message: "openapi.json"), .milliseconds(3)),
            .phaseFailed(c, failure, .milliseconds(4)),
            .phaseDidFinish(a, PhaseResult(message: "120 files"), .milliseconds(5)),
        ]
        for e in events { reporter.handle(e) }
        try handle.close()
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("✓ 08 generateOpenAPI") && lines[0].hasSuffix("openapi.json"), "\(lines)")
        #expect(lines[1].hasPrefix("✗ 02 validateSchema") && lines[1].contains("FAILED"), "\(lines)")
        // The failure's code frame follows its line, whole, before the next phase's line.
        let next = try #require(lines.firstIndex { $0.hasPrefix("✓ 05 writeFiles") })
        #expect(lines[2..<next].contains { $0.contains("schema.prisma:3:9: error:") }, "\(lines)")
        #expect(lines[next].hasSuffix("120 files"))
        #expect(lines.last == "")
        #expect(!lines.contains { $0.contains("half") })
    }

    @Test("--jobs reaches the runner's configuration through the TUI's options (interactive and plain mode)")
    func jobsOption() {
        #expect(TUIApp.Options(schemaPath: "s.prisma", outputDir: "out", standalone: true, jobs: 3).generatorConfig.jobs == 3)
        #expect(TUIApp.Options(schemaPath: "s.prisma", outputDir: "out", standalone: true).generatorConfig.jobs == nil)
    }
}
