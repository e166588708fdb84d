import Core
import Foundation
import TUI

/// `benchmarks tui [schema]`: the time to draw one 120×40 frame of each pane into the cell
/// buffer (what the TUI does per change), on a large schema after a finished run, with the
/// model files the generator makes of it in the output tree. Medians of 300 frames each.
func tuiFrameBenchmark(schemaPath: String) {
    guard let sources = try? SchemaLoader.load(path: schemaPath) else {
        print("cannot read \(schemaPath)")
        return
    }
    let compiled = CompiledSchema(sources: sources)
    let plan = ApiPlan(schema: compiled.model)
    let files = CodeGenerator.modelFiles(plan).map { FileEntry(path: $0.path, bytes: $0.contents.utf8.count, change: .changed, model: $0.model) }
    let infos = StandardPhases.all.map { PhaseRunner.info($0) }
    let clock = ContinuousClock(), t0 = clock.now
    var s = AppState(width: 120, height: 40, schemaPath: schemaPath, outputDir: "generated", standalone: true, phases: infos, now: t0)
    var actions: [Action] = [.run(.runStarted(RunPlan(entries: infos.map { RunPlan.Entry(phase: $0, skipReason: nil) }, startOrder: 0)))]
    for (i, info) in infos.enumerated() {
        actions.append(.run(.phaseWillRun(info)))
        actions.append(.run(.phaseDidFinish(info, PhaseResult(filesWritten: i, message: "done"), .milliseconds(i + 1))))
    }
    actions += [.schemaLoaded(compiled.model), .outputScanned(files)]
    for a in actions { _ = Reducer.reduce(&s, a) }

    // The largest model (most fields) selected in the schema pane, its last item (a reference) selected.
    let largest = compiled.model.models.indices.max { compiled.model.models[$0].fields.count < compiled.model.models[$1].fields.count } ?? 0
    var panes: [(String, AppState)] = []
    var checklist = s
    _ = Reducer.reduce(&checklist, .key(.char("1")))
    panes.append(("phases", checklist))
    var output = s
    _ = Reducer.reduce(&output, .key(.char("2")))
    _ = Reducer.reduce(&output, .previewLoaded(path: files.first?.path ?? "", text: String(repeating: "const x = 1;\n", count: 400)))
    panes.append(("output", output))
    var schema = s
    _ = Reducer.reduce(&schema, .key(.char("3")))
    schema.schema.selected = largest
    _ = Reducer.reduce(&schema, .key(.enter))
    _ = Reducer.reduce(&schema, .key(.end))
    panes.append(("schema", schema))
    var timeline = s
    _ = Reducer.reduce(&timeline, .key(.char("t")))
    panes.append(("timeline", timeline))

    let name = URL(fileURLWithPath: schemaPath).lastPathComponent
    print("TUI frame, 120×40, \(name): \(compiled.model.models.count) models, \(files.count) files in the tree (medians of 300 frames; goal < 2 ms)")
    for (pane, state) in panes {
        let ms = measure(runs: 300) { _ = Screen.render(state) }
        print("  " + pane.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%7.3f ms", ms))
    }
}
