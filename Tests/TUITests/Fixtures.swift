import Core
import Foundation
@testable import TUI

/// Deterministic states built by feeding the same actions the live UI receives.
enum Fixtures {
    static let clock = ContinuousClock()
    static let t0 = clock.now
    static func at(_ ms: Int) -> ContinuousClock.Instant { t0.advanced(by: .milliseconds(ms)) }

    static let infos: [PhaseInfo] = StandardPhases.all.map { PhaseRunner.info($0) }

    static func state(width: Int = 80, height: Int = 24, standalone: Bool = true) -> AppState {
        AppState(width: width, height: height, schemaPath: "/work/app/prisma/schema.prisma", outputDir: "/work/app/generated",
                 standalone: standalone, phases: infos, now: t0, glyphs: .unicode, color: true)
    }

    static func plan(_ s: AppState, start: Int = 0) -> RunPlan {
        RunPlan(entries: infos.map { RunPlan.Entry(phase: $0, skipReason: s.willRun($0) ? nil : "standalone mode is off") }, startOrder: start)
    }

    static func apply(_ s: inout AppState, _ actions: [Action]) -> [Effect] {
        actions.flatMap { Reducer.reduce(&s, $0) }
    }

    static let schema: SchemaModel = CompiledSchema(sources: SourceSet(SourceFile(path: "schema.prisma", text: ExampleSchema.text))).model

    /// A run that finished: every phase succeeded with fixed durations.
    static func succeeded(width: Int = 80, height: Int = 24) -> AppState {
        var s = state(width: width, height: height)
        var actions: [Action] = [.run(.runStarted(plan(s)))]
        for (i, info) in infos.enumerated() {
            actions.append(.tick(at(i * 10)))
            actions.append(.run(.phaseWillRun(info)))
            let result = PhaseResult(filesWritten: i >= 5 ? 10 + i : 0, bytes: i * 1000, counters: [.init("models", 8)], message: "step \(i) done")
            actions.append(.run(.phaseDidFinish(info, result, .microseconds(420 + i * 1300))))
        }
        let report = RunReport(status: .succeeded, phases: infos.map { PhaseReport(phase: $0, status: .succeeded, duration: .milliseconds(1), result: .empty, skipReason: nil, failure: nil, attempts: 1) },
                               totalDuration: .milliseconds(142), runnerOverhead: .microseconds(35), outputDir: "/work/app/generated",
                               commit: CommitSummary(written: 137, unchanged: 0, deleted: 0), finalizeFailure: nil)
        actions.append(.run(.runFinished(report)))
        actions.append(.schemaLoaded(schema))
        actions.append(.outputScanned(files))
        _ = apply(&s, actions)
        return s
    }

    /// How long each of the 13 phases takes in the parallel fixture (ms).
    static let parallelDurations = [3, 40, 120, 60, 300, 180, 12, 25, 140, 20, 2, 30, 90]

    /// When each phase starts and ends (ms) if a scheduler with `jobs` slots starts every
    /// phase, in order, as soon as what it waits for (the real dependency graph) has finished
    /// and a slot is free: what a real parallel run's report says, without running one.
    static func schedule(jobs: Int) -> [(start: Int, end: Int)] {
        let graph = StandardPhases.runner(config: GeneratorConfig(schemaPath: "schema.prisma")).graph
        var times: [(start: Int, end: Int)?] = Array(repeating: nil, count: graph.nodes.count)
        var t = 0
        while times.contains(where: { $0 == nil }) {
            let busy = times.compactMap { $0 }.filter { $0.start <= t && $0.end > t }.count
            let ready = graph.nodes.indices.filter { i in
                times[i] == nil && graph.nodes[i].after.allSatisfy { d in times[d.index].map { $0.end <= t } ?? false }
            }
            for i in ready.prefix(max(0, jobs - busy)) { times[i] = (t, t + parallelDurations[i]) }
            guard let next = times.compactMap({ $0?.end }).filter({ $0 > t }).min() else { break }
            t = next
        }
        return times.map { $0 ?? (0, 0) }
    }

    /// The report of that run: start and end set by hand, two jobs, the critical path the
    /// graph computes, the phase sum.
    static func parallelReport() -> RunReport {
        let graph = StandardPhases.runner(config: GeneratorConfig(schemaPath: "schema.prisma")).graph
        let times = schedule(jobs: 2)
        let phases = infos.enumerated().map { i, info in
            var p = PhaseReport(phase: info, status: .succeeded, duration: .milliseconds(parallelDurations[i]),
                                result: PhaseResult(filesWritten: i >= 5 ? 10 + i : 0), skipReason: nil, failure: nil, attempts: 1)
            p.start = .milliseconds(times[i].start)
            p.end = .milliseconds(times[i].end)
            return p
        }
        let last = times.map(\.end).max() ?? 0
        var report = RunReport(status: .succeeded, phases: phases, totalDuration: .milliseconds(last + 35), runnerOverhead: .microseconds(210),
                               outputDir: "/work/app/generated", commit: CommitSummary(written: 137, unchanged: 0, deleted: 0), finalizeFailure: nil)
        let critical = graph.criticalPath(durations: parallelDurations.map { .milliseconds($0) })
        report.jobs = 2
        report.criticalPath = critical.length
        report.criticalPhases = critical.phases.map { infos[$0].name }
        report.phaseSum = .milliseconds(parallelDurations.reduce(0, +))
        return report
    }

    /// A finished run in which independent phases ran two at a time: the events in the order
    /// such a run sends them (a phase finishing before a later-started one), then the report.
    static func parallel(width: Int = 80, height: Int = 24) -> AppState {
        var s = state(width: width, height: height)
        let times = schedule(jobs: 2)
        // (time, finishes first at equal times, phase)
        var events: [(ms: Int, finish: Bool, index: Int)] = []
        for (i, t) in times.enumerated() {
            events.append((t.start, false, i))
            events.append((t.end, true, i))
        }
        events.sort { ($0.ms, $0.finish ? 0 : 1, $0.index) < ($1.ms, $1.finish ? 0 : 1, $1.index) }
        var actions: [Action] = [.run(.runStarted(plan(s)))]
        for e in events {
            actions.append(.tick(at(e.ms)))
            let info = infos[e.index]
            if e.finish {
                actions.append(.run(.phaseDidFinish(info, PhaseResult(filesWritten: e.index >= 5 ? 10 + e.index : 0), .milliseconds(parallelDurations[e.index]))))
            } else {
                actions.append(.run(.phaseWillRun(info)))
            }
        }
        actions.append(.run(.runFinished(parallelReport())))
        actions.append(.schemaLoaded(schema))
        actions.append(.outputScanned(files))
        _ = apply(&s, actions)
        return s
    }

    static let files: [FileEntry] = [
        FileEntry(path: "openapi.json", bytes: 48_213, change: .new, kind: .openapi),
        FileEntry(path: "package.json", bytes: 812, change: .same, kind: .standalone),
        FileEntry(path: "src/base/errors.ts", bytes: 4_301, change: .changed, kind: .base),
        FileEntry(path: "src/base/index.ts", bytes: 298, change: .same, kind: .base),
        FileEntry(path: "src/contracts/user/user.read.dto.ts", bytes: 1_020, change: .new, model: "User", kind: .contract),
        FileEntry(path: "src/contracts/user/index.ts", bytes: 240, change: .new, model: "User", kind: .barrel),
        FileEntry(path: "src/routes/api.ts", bytes: 2_048, change: .same, kind: .route),
        FileEntry(path: "src/routes/user/user.routes.ts", bytes: 1_310, change: .same, model: "User", kind: .route),
    ]

    static let diagnostic = ResolvedDiagnostic(
        Diagnostic(error: "Type \"Post\" is neither a built-in type, nor refers to another model, composite type, or enum.", span: Span(file: 0, start: 34, end: 38)),
        in: SourceSet(SourceFile(path: "/work/app/prisma/schema.prisma", text: "model User {\n  id Int @id\n  posts Post[]\n}\n")))

    static let secondDiagnostic = ResolvedDiagnostic(
        Diagnostic(error: "The model User has no unique criteria.", span: Span(file: 0, start: 0, end: 5)),
        in: SourceSet(SourceFile(path: "/work/app/prisma/schema.prisma", text: "model User {\n  id Int @id\n  posts Post[]\n}\n")))

    /// A run that failed in validateSchema (with one or two errors).
    static func failed(width: Int = 80, height: Int = 24, diagnostics: Int = 1) -> AppState {
        var s = state(width: width, height: height)
        var actions: [Action] = [.run(.runStarted(plan(s)))]
        for info in infos.prefix(2) {
            actions.append(.run(.phaseWillRun(info)))
            actions.append(.run(.phaseDidFinish(info, .empty, .microseconds(500))))
        }
        let failure = PhaseFailure.schema(message: "\(diagnostics) schema error\(diagnostics == 1 ? "" : "s")",
                                          diagnostics: Array([diagnostic, secondDiagnostic].prefix(diagnostics)))
        actions.append(.run(.phaseWillRun(infos[2])))
        actions.append(.run(.phaseFailed(infos[2], failure, .milliseconds(2))))
        // What it was given (the example's syntax tree) and what it did not get to write.
        let validate = StandardPhases.all[2]
        let parsed = ParsedSchema(sources: SourceSet(SourceFile(path: "schema.prisma", text: ExampleSchema.text)))
        actions.append(.run(.phaseContext(infos[2], validate.reads.map { ContextEntry(key: $0.name, access: .read, value: parsed) }
            + validate.writes.map { ContextEntry(key: $0.name, access: .wrote, value: nil) })))
        let reports = infos.enumerated().map { i, info in
            PhaseReport(phase: info, status: i < 2 ? .succeeded : i == 2 ? .failed : .notRun, duration: .zero, result: nil, skipReason: nil,
                        failure: i == 2 ? failure : nil, attempts: 1)
        }
        actions.append(.run(.runFinished(RunReport(status: .failed, phases: reports, totalDuration: .milliseconds(9), runnerOverhead: .zero,
                                                   outputDir: "/work/app/generated", commit: nil, finalizeFailure: nil))))
        _ = apply(&s, actions)
        return s
    }
}

/// Golden text snapshots of rendered screens (`UPDATE_SNAPSHOTS=1` rewrites them; review the diff).
enum Snapshot {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__snapshots__")

    static func check(_ name: String, _ buffer: CellBuffer) -> (Bool, String) {
        let text = buffer.plainText()
        let url = dir.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try? text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing snapshot \(name)>"
        return (text == expected, "snapshot \(name) differs:\n\(text)")
    }
}
