import Core
import Foundation

// Benchmarks: `swift run -c release benchmarks [schema …]` prints the performance table
// (Table.swift); `details`, `openapi`, `cache` and `pathological` print the sections below.

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func measure(runs: Int, _ body: () -> Void) -> Double {
    body() // warm-up
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return median(times)
}

/// CPU time of the whole process so far (all threads), in ms.
func processCPUms() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

func synthetic(models n: Int) -> String {
    var s = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nenum Status {\n  ACTIVE\n  ARCHIVED\n}\n"
    for i in 0..<n {
        let parent = i > 0 ? "M\(i - 1)" : nil
        s += "\n/// Model number \(i).\nmodel M\(i) {\n"
        s += "  id        Int      @id @default(autoincrement())\n"
        s += "  name      String   @db.VarChar(191)\n"
        s += "  email     String   @unique\n"
        s += "  status    Status   @default(ACTIVE)\n"
        s += "  createdAt DateTime @default(now())\n"
        s += "  updatedAt DateTime @updatedAt\n"
        if let parent {
            s += "  parent    \(parent)?  @relation(fields: [parentId], references: [id], onDelete: Cascade)\n"
            s += "  parentId  Int?\n"
        }
        if i + 1 < n { s += "  children  M\(i + 1)[]\n" }
        s += "\n  @@index([name, createdAt])\n}\n"
    }
    return s
}

/// Median ms of making the compiled schema (parse + validate) of `source`. Each result is freed
/// after its clock stops: a run keeps its compiled schema to the end, so freeing one is not
/// part of the front end's cost.
func measureFrontEnd(_ source: SourceFile, runs: Int) -> (ms: Double, compiled: CompiledSchema) {
    var compiled = CompiledSchema(sources: SourceSet(source)) // warm-up
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        let c = CompiledSchema(sources: SourceSet(source))
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        compiled = c
    }
    return (median(times), compiled)
}

func bench(label: String, text: String, runs: Int) -> Double {
    let source = SourceFile(path: "schema.prisma", text: text)
    let (ms, c) = measureFrontEnd(source, runs: runs)
    let models = c.model.models.count
    precondition(!c.hasErrors, "\(label) has errors")
    let mb = Double(source.bytes.count) / 1_000_000
    print(label.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %8d bytes %6d models  %9.3f ms  %7.2f MB/s  %6.2f µs/model",
                 source.bytes.count, models, ms, mb / (ms / 1000), ms * 1000 / Double(max(1, models))))
    return ms
}

// `benchmarks openapi [schema …]`: only phase 08's emitter (openapi.json built and rendered, not
// written), median of 21 runs per schema; without schemas odoo.prisma and a synthetic 300-model one.
if CommandLine.arguments.dropFirst().first == "openapi" {
    var inputs: [(String, String)] = CommandLine.arguments.dropFirst(2).compactMap { path in
        FileManager.default.contents(atPath: path).map { (URL(fileURLWithPath: path).lastPathComponent, String(decoding: $0, as: UTF8.self)) }
    }
    if CommandLine.arguments.count <= 2 {
        let odoo = "../shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"
        if let data = FileManager.default.contents(atPath: odoo) { inputs.append(("odoo.prisma", String(decoding: data, as: UTF8.self))) }
        inputs.append(("synthetic 300 models", synthetic(models: 300)))
    }
    for (label, text) in inputs {
        let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: label, text: text)))
        let plan = ApiPlan(schema: compiled.model)
        var bytes = 0, operations = 0
        var cpu: [Double] = []
        let ms = measure(runs: 21) {
            let before = processCPUms()
            let (file, ops) = CodeGenerator.openAPIDocument(plan, title: "bench API")
            cpu.append(processCPUms() - before)
            bytes = file.bytes
            operations = ops
        }
        print(label.padding(toLength: 34, withPad: " ", startingAt: 0)
              + String(format: " %4d models %5d operations %8d KB  openapi.json in %7.2f ms (CPU %7.2f ms)",
                       plan.models.count, operations, bytes / 1024, ms, median(cpu)))
    }
    exit(0)
}

// `benchmarks cache [odoo.prisma]`: the phase cache's table alone.
if CommandLine.arguments.dropFirst().first == "cache" {
    let odoo = CommandLine.arguments.dropFirst(2).first ?? "../shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"
    cacheBenchmark(schema: odoo, label: URL(fileURLWithPath: odoo).lastPathComponent)
    syntheticCacheBenchmark()
    exit(0)
}

// `benchmarks pathological`: the front end (parse + validate) on inputs built to be hard, each at
// size n and 2n, medians of 3: the ratio shows whether cost grows linearly (2.0) or worse.
if CommandLine.arguments.dropFirst().first == "pathological" {
    let pg = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"X\")\n}\n"
    let mongo = "datasource db {\n  provider = \"mongodb\"\n  url = env(\"X\")\n}\n"
    let cases: [(String, (Int) -> String, Int)] = [
        ("nested brackets (refused past 128)", { n in pg + "model A {\n  id Int @id\n  v Int[] @default(" + String(repeating: "[", count: n) + String(repeating: "]", count: n) + ")\n}\n" }, 100_000),
        ("one line of junk tokens (bytes)", { n in pg + "model A {\n  id Int @id\n" + String(repeating: "a b ", count: n / 4) + "\n}\n" }, 25_000_000),
        ("one line: an array default (bytes)", { n in pg + "model A {\n  id Int @id\n  v Int[] @default([" + String(repeating: "1,", count: n / 2) + "1])\n}\n" }, 12_500_000),
        ("one line: 6 attributes per 50 bytes", { n in pg + "model A {\n  id Int @id" + String(repeating: " @unique", count: n / 8) + "\n}\n" }, 12_500_000),
        ("models", { n in synthetic(models: n) }, 25_000),
        ("composite types in a ring", { n in mongo + (0..<n).map { "type T\($0) {\n  a T\(($0 + 1) % n)\n  b T\(($0 + 7) % n)?\n}\n" }.joined() }, 10_000),
    ]
    print("case".padding(toLength: 38, withPad: " ", startingAt: 0) + "        n      time n    time 2n   ratio")
    for (label, make, n) in cases {
        var times: [Double] = []
        for size in [n, 2 * n] {
            let source = SourceFile(path: "p.prisma", text: make(size))
            times.append(measure(runs: 3) { _ = CompiledSchema(sources: SourceSet(source)) })
        }
        print(label.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%9d %9.1f ms %9.1f ms %6.2f", n, times[0], times[1], times[1] / times[0]))
    }
    exit(0)
}

// `benchmarks frontend [schema] [runs]`: parse + validate only, in a loop (for a profiler);
// without a schema the synthetic 5,000-model one.
if CommandLine.arguments.dropFirst().first == "frontend" {
    let args = Array(CommandLine.arguments.dropFirst(2))
    let text = args.first.flatMap { FileManager.default.contents(atPath: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? synthetic(models: 5000)
    let runs = args.count > 1 ? Int(args[1]) ?? 20 : 20
    _ = bench(label: args.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "synthetic 5000 models", text: text, runs: runs)
    exit(0)
}

// `benchmarks tui [schema]`: the time to draw a 120×40 frame of each pane (default: odoo).
if CommandLine.arguments.dropFirst().first == "tui" {
    let odoo = "../shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"
    tuiFrameBenchmark(schemaPath: CommandLine.arguments.dropFirst(2).first ?? odoo)
    exit(0)
}

// `benchmarks linearity`: only the table's rows for the synthetic 1,000 and 10,000-model schemas
// (end to end, cost per model, peak memory).
if CommandLine.arguments.dropFirst().first == "linearity" {
    let shm = URL(fileURLWithPath: "/dev/shm")
    printTable(linearityRows(base: FileManager.default.fileExists(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory))
    exit(0)
}

// The child side of the table's end-to-end figures.
if CommandLine.arguments.dropFirst().first == "--generate-once" { generateOnce(Array(CommandLine.arguments.dropFirst(2))) }

// Without a subcommand: the performance table (Table.swift), with any schemas given as extra rows.
if CommandLine.arguments.dropFirst().first != "details" {
    performanceTable(schemas: Array(CommandLine.arguments.dropFirst()))
    exit(0)
}

// `benchmarks details [schema]`: the figures below, section by section.
let args = CommandLine.arguments.dropFirst(2)
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let realDir = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")
let realFiles = ((try? FileManager.default.contentsOfDirectory(atPath: realDir.path)) ?? []).filter { $0.hasSuffix(".prisma") }
let largest = args.first ?? realFiles.map { realDir.appendingPathComponent($0).path }
    .max { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0) ?? 0 < (try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int ?? 0) ?? 0 } ?? ""

print("parse + validate (median of runs, release build recommended)")
if let data = FileManager.default.contents(atPath: largest) {
    _ = bench(label: URL(fileURLWithPath: largest).lastPathComponent, text: String(decoding: data, as: UTF8.self), runs: 21)
}
var perModel: [(Int, Double)] = []
for n in [500, 1000, 2000, 5000] {
    let ms = bench(label: "synthetic \(n) models", text: synthetic(models: n), runs: n >= 5000 ? 5 : 9)
    perModel.append((n, ms / Double(n)))
}
if let first = perModel.first, let last = perModel.last {
    print(String(format: "linearity: cost per model at %d models / at %d models = %.2f (1.00 = perfectly linear)", last.0, first.0, last.1 / first.1))
}

// Emit: all generated files for the largest real schema (phases 04–12 in memory).
if let data = FileManager.default.contents(atPath: largest) {
    let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: largest, text: String(decoding: data, as: UTF8.self))))
    var count = 0
    var bytes = 0
    let ms = measure(runs: 15) {
        let files = CodeGenerator.generateAll(compiled, projectName: "bench")
        count = files.count
        bytes = files.reduce(0) { $0 + $1.bytes }
    }
    print(String(format: "emit %@: %d files, %d KB in %.2f ms = %.0f files/s", URL(fileURLWithPath: largest).lastPathComponent, count, bytes / 1024, ms, Double(count) / (ms / 1000)))
}

// Runner overhead: no-op phases, so everything measured is the runner's own cost.
struct NoOpPhase: GenerationPhase {
    let name: String
    let order: Int
    let description = "does nothing"
    func execute(_ context: PhaseContext) async throws -> PhaseResult { .empty }
}

func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let sem = DispatchSemaphore(value: 0)
    Task { box.value = await body(); sem.signal() }
    sem.wait()
    return box.value!
}
final class ResultBox<T>: @unchecked Sendable { var value: T? }

do {
    let phaseCount = 100
    let runner = PhaseRunner(config: GeneratorConfig(schemaPath: "unused"))
    runner.register(contentsOf: (0..<phaseCount).map { NoOpPhase(name: "noop\($0)", order: $0) })
    var perPhase: [Double] = []
    for _ in 0..<31 {
        let report = runBlocking { await runner.run() }
        let total = RunReportJSON.render(report).isEmpty ? 0 : Double(report.totalDuration.components.attoseconds) / 1e12 + Double(report.totalDuration.components.seconds) * 1e6
        perPhase.append(total / Double(phaseCount))
    }
    print(String(format: "runner: %d no-op phases, median %.2f µs per phase (whole run, runner only; goal < 10 µs)", phaseCount, median(perPhase)))
}

// End to end on the largest real schema, against a plain loop writing the same files.
if FileManager.default.fileExists(atPath: largest) {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: tmp) }
    let compiled = CompiledSchema(sources: (try? SchemaLoader.load(path: largest)) ?? SourceSet(files: []))
    let files = CodeGenerator.generateAll(compiled, projectName: "bench")
    var e2e: [Double] = [], plain: [Double] = []
    for i in 0..<9 {
        let outA = tmp.appendingPathComponent("runner-\(i)")
        let outB = tmp.appendingPathComponent("plain-\(i)")
        let a = DispatchTime.now().uptimeNanoseconds
        let report = runBlocking { await StandardPhases.runner(config: GeneratorConfig(schemaPath: largest, outputDir: outA.path, cache: .disabled)).run() }
        let b = DispatchTime.now().uptimeNanoseconds
        precondition(report.status == .succeeded)
        for f in files {
            let url = outB.appendingPathComponent(f.path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(f.contents.utf8).write(to: url)
        }
        let c = DispatchTime.now().uptimeNanoseconds
        e2e.append(Double(b - a) / 1e6)
        plain.append(Double(c - b) / 1e6)
    }
    print(String(format: "end to end %@: %d files, runner %.1f ms vs plain write loop %.1f ms (ratio %.2f; goal ≤ 1.5)",
                 URL(fileURLWithPath: largest).lastPathComponent, files.count, median(e2e), median(plain), median(e2e) / median(plain)))
}

// Parallel phases and runner overhead: first generation and regeneration into the existing
// folder, one phase at a time and with every core, medians of several runs. The output goes
// to /dev/shm when there is one, so the disk does not hide the program's own cost.
let schedulingSchema = CommandLine.arguments.dropFirst().first { $0.hasSuffix("odoo.prisma") }
    ?? "../shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"
if FileManager.default.fileExists(atPath: schedulingSchema) {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
    let tmp = base.appendingPathComponent("phaserunner-bench-jobs-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: tmp) }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("scheduling \(URL(fileURLWithPath: schedulingSchema).lastPathComponent) (medians of 5; output in \(base.path)):")
    print("  jobs  run            total ms  phases ms  phase sum ms  critical path ms  runner overhead ms")
    for jobs in [1, cores] {
        for regenerate in [false, true] {
            var totals: [Double] = [], busy: [Double] = [], sums: [Double] = [], critical: [Double] = [], overhead: [Double] = []
            for i in 0..<5 {
                let out = tmp.appendingPathComponent("j\(jobs)-\(regenerate)-\(regenerate ? 0 : i)")
                // Without the phase cache: this table measures the phases themselves.
                let config = GeneratorConfig(schemaPath: schedulingSchema, outputDir: out.path, projectName: "bench", jobs: jobs, cache: .disabled)
                if regenerate && i == 0 { _ = runBlocking { await StandardPhases.runner(config: config).run() } }
                let report = runBlocking { await StandardPhases.runner(config: config).run() }
                precondition(report.status == .succeeded)
                totals.append(RunReportJSON.msPublic(report.totalDuration))
                busy.append(RunReportJSON.msPublic(report.totalDuration - report.runnerOverhead - report.commitDuration))
                sums.append(RunReportJSON.msPublic(report.phaseSum))
                critical.append(RunReportJSON.msPublic(report.criticalPath))
                overhead.append(RunReportJSON.msPublic(report.runnerOverhead))
            }
            let label = (regenerate ? "regeneration" : "first").padding(toLength: 13, withPad: " ", startingAt: 0)
            print(String(format: "  %4d  ", jobs) + label + String(format: " %9.1f  %9.1f  %12.1f  %16.1f  %18.2f", median(totals),
                         median(busy), median(sums), median(critical), median(overhead)))
        }
    }
}

// The phase cache: a cold run (empty cache) against a run without the cache, a no-op
// regeneration and a one-field edit, on odoo and a synthetic schema; medians of 7, output
// and cache on /dev/shm when there is one.
func cacheBenchmark(schema path: String, label: String) {
    guard let original = try? String(contentsOfFile: path, encoding: .utf8) else { return }
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
    let tmp = base.appendingPathComponent("phaserunner-bench-cache-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: tmp) }
    try? FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    let schema = tmp.appendingPathComponent("schema.prisma")
    // The model in the middle of the file gets the new field.
    let models = original.ranges(of: "\nmodel ").map(\.upperBound)
    guard !models.isEmpty, let brace = original.range(of: "{\n", range: models[models.count / 2]..<original.endIndex) else { return }
    func withField(_ i: Int) -> String { original.replacingCharacters(in: brace, with: "{\n  benchField\(i) String?\n") }
    func run(_ out: String, cache: CacheSetting) -> RunReport {
        let config = GeneratorConfig(schemaPath: schema.path, outputDir: tmp.appendingPathComponent(out).path, projectName: "bench", cache: cache)
        let report = runBlocking { await StandardPhases.runner(config: config).run() }
        precondition(report.status == .succeeded, "\(report.failedPhase?.failure?.description ?? "")")
        return report
    }
    var noCache: [Double] = [], cold: [Double] = [], noop: [Double] = [], edit: [Double] = []
    var noopStats = CacheStats(), editStats = CacheStats()
    for i in 0..<7 {
        try? original.write(to: schema, atomically: true, encoding: .utf8)
        noCache.append(RunReportJSON.msPublic(run("plain-\(i)", cache: .disabled).totalDuration))
        let cache = CacheSetting.directory(tmp.appendingPathComponent("cache-\(i)").path)
        cold.append(RunReportJSON.msPublic(run("cached-\(i)", cache: cache).totalDuration))
        _ = run("cached-\(i)", cache: cache)
        let n = run("cached-\(i)", cache: cache)
        noop.append(RunReportJSON.msPublic(n.totalDuration))
        noopStats = n.cache ?? noopStats
        try? withField(i).write(to: schema, atomically: true, encoding: .utf8)
        let e = run("cached-\(i)", cache: cache)
        edit.append(RunReportJSON.msPublic(e.totalDuration))
        editStats = e.cache ?? editStats
        try? FileManager.default.removeItem(at: tmp.appendingPathComponent("plain-\(i)"))
    }
    let c = median(cold)
    print("phase cache \(label) (medians of 7; output and cache in \(base.path)):")
    print(String(format: "  without the cache      %8.1f ms", median(noCache)))
    print(String(format: "  cold (empty cache)     %8.1f ms  (%.2f× without)", c, c / median(noCache)))
    print(String(format: "  no-op regeneration     %8.1f ms  %5.1f%% of cold (goal ≤ 10%%)  phases cached %d/%d", median(noop), 100 * median(noop) / c,
                 noopStats.hits, noopStats.hits + noopStats.misses))
    print(String(format: "  one field on one model %8.1f ms  %5.1f%% of cold (goal ≤ 20%%)  phases cached %d/%d, models reused %d, emitted %d",
                 median(edit), 100 * median(edit) / c, editStats.hits, editStats.hits + editStats.misses, editStats.partHits, editStats.partMisses))
}

if FileManager.default.fileExists(atPath: schedulingSchema) {
    cacheBenchmark(schema: schedulingSchema, label: URL(fileURLWithPath: schedulingSchema).lastPathComponent)
}
syntheticCacheBenchmark()

func syntheticCacheBenchmark() {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-synthetic-\(UUID().uuidString).prisma")
    try? synthetic(models: 300).write(to: file, atomically: true, encoding: .utf8)
    cacheBenchmark(schema: file.path, label: "synthetic 300 models")
    try? FileManager.default.removeItem(at: file)
}
