import Core
import Foundation

// `swift run -c release benchmarks [schema …]`: the performance table of issue 14. Every figure
// is a median of several runs, beside the floor it is held to, measured in the same run:
// end-to-end generation against `cp -r` of the very output tree, the OpenAPI emitter and the
// front end against their goals, linearity and peak memory on synthetic schemas.
// Each generation runs in a child process (this binary, `--generate-once`), so wall time,
// CPU time and peak memory are the process's own, start-up included, as a user sees them.

/// What one child process cost.
struct ChildCost {
    var wallMs: Double
    var cpuMs: Double
    var maxRSSBytes: Int
    var status: Int32
}

/// Runs `argv` (stdout and stderr to /dev/null) and measures it with `wait4`.
func runChild(_ argv: [String]) -> ChildCost {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else {
        return ChildCost(wallMs: 0, cpuMs: 0, maxRSSBytes: 0, status: -1)
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
    return ChildCost(wallMs: wall, cpuMs: ms(usage.ru_utime) + ms(usage.ru_stime), maxRSSBytes: usage.ru_maxrss * 1024, status: status)
}

/// The child's side: one generation, as `phaserunner generate SCHEMA --out OUT [--no-cache]`
/// runs it (the same phases, transaction and cache), exit status 0 when it succeeded.
func generateOnce(_ args: [String]) -> Never {
    guard args.count >= 2 else { exit(2) }
    let cache: CacheSetting = args.contains("--no-cache") ? .disabled : .besideOutput
    var config = GeneratorConfig(schemaPath: args[0], outputDir: args[1], cache: cache)
    config.keepsStagedText = false // as `phaserunner generate`
    let runner = StandardPhases.runner(config: config)
    let report = runBlocking { await runner.run() }
    _ = Unmanaged.passRetained(runner) // left for the OS at exit, as `phaserunner generate` does
    exit(report.status == .succeeded ? 0 : 1)
}

/// Bytes and number of the regular files under `path`.
func tree(_ path: String) -> (bytes: Int, files: Int) {
    guard let walker = FileManager.default.enumerator(atPath: path) else { return (0, 0) }
    var total = 0, files = 0
    while walker.nextObject() != nil {
        if let attributes = walker.fileAttributes, attributes[.type] as? FileAttributeType == .typeRegular {
            total += (attributes[.size] as? Int) ?? 0
            files += 1
        }
    }
    return (total, files)
}

/// Median time to put `bytes` into a new file in `dir` (open, write, close): the floor of a
/// phase whose product is that one file.
func writeFloor(_ bytes: [UInt8], in dir: URL) -> Double {
    let path = dir.appendingPathComponent("phaserunner-floor-\(getpid())").path
    defer { unlink(path) }
    return measure(runs: 15) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

struct Row {
    var figure: String
    var value: String
    var floor: String
    var ratio: String
    var goal: String
}

/// First generation of `schema` into a fresh folder under `base`, against `cp -r` of the output
/// it made, `runs` times each (alternating): medians, and the child's CPU time and peak memory.
struct GenerationFigures {
    var genMs: Double
    var copyMs: Double
    var cpuMs: Double
    var maxRSSBytes: Int
    var outputBytes: Int
    var files: Int
}

func firstGeneration(schema: String, base: URL, runs: Int, noCache: Bool) -> GenerationFigures? {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
    let fm = FileManager.default
    let dir = base.appendingPathComponent("phaserunner-table-\(getpid())-\(UUID().uuidString.prefix(8))")
    defer { try? fm.removeItem(at: dir) }
    var gen: [Double] = [], copy: [Double] = [], cpu: [Double] = [], rss: [Int] = []
    var outputBytes = 0, files = 0
    for i in 0..<runs {
        let out = dir.appendingPathComponent("out-\(i)")
        let copied = dir.appendingPathComponent("copy-\(i)")
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        var argv = [me, "--generate-once", schema, out.path]
        if noCache { argv.append("--no-cache") }
        let g = runChild(argv)
        guard g.status == 0 else { return nil }
        let c = runChild(["/bin/cp", "-r", out.path, copied.path])
        gen.append(g.wallMs)
        cpu.append(g.cpuMs)
        rss.append(g.maxRSSBytes)
        copy.append(c.wallMs)
        if i == 0 { (outputBytes, files) = tree(out.path) }
        // Keep at most one tree of each at a time (the 10,000-model output is 1 GB).
        try? fm.removeItem(at: out)
        try? fm.removeItem(at: copied)
        try? fm.removeItem(at: dir.appendingPathComponent(".out-\(i).phaserunner-cache"))
    }
    return GenerationFigures(genMs: median(gen), copyMs: median(copy), cpuMs: median(cpu),
                             maxRSSBytes: rss.sorted()[rss.count / 2], outputBytes: outputBytes, files: files)
}

func printTable(_ rows: [Row]) {
    let headers = Row(figure: "figure", value: "measured", floor: "floor (same run)", ratio: "ratio", goal: "goal")
    let all = [headers] + rows
    let widths = [\Row.figure, \Row.value, \Row.floor, \Row.ratio, \Row.goal].map { key in all.map { $0[keyPath: key].count }.max() ?? 0 }
    func line(_ r: Row) -> String {
        let cells = [r.figure, r.value, r.floor, r.ratio, r.goal]
        return "| " + zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
    }
    print(line(headers))
    print("| " + widths.map { String(repeating: "-", count: $0) }.joined(separator: " | ") + " |")
    for r in rows { print(line(r)) }
}

func f1(_ x: Double) -> String { String(format: "%.1f", x) }
func f2(_ x: Double) -> String { String(format: "%.2f", x) }

/// Parse + validate against the goal of 30 MB/s: the floor is the time that goal allows.
func frontEnd(_ name: String, _ source: SourceFile, runs: Int) -> Row {
    let ms = measureFrontEnd(source, runs: runs).ms
    let mb = Double(source.bytes.count) / 1e6
    let allowed = mb / 30 * 1000
    return Row(figure: "\(name): parse + validate (\(source.bytes.count / 1000) KB)", value: "\(f1(mb / (ms / 1000))) MB/s (\(f1(ms)) ms)",
               floor: "30 MB/s: \(f1(allowed)) ms", ratio: "\(f2(ms / allowed))×", goal: "≥ 30 MB/s (≤ 1.0×)")
}

func performanceTable(schemas extra: [String]) {
    let shm = URL(fileURLWithPath: "/dev/shm")
    let ramDisk = FileManager.default.fileExists(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
    let disk = FileManager.default.temporaryDirectory
    let odoo = "../shared/corpus/psl/extra/query-engine/schema/test-schemas/odoo.prisma"
    let schemas = (FileManager.default.fileExists(atPath: odoo) ? [odoo] : []) + extra
    let cores = ProcessInfo.processInfo.activeProcessorCount
    // A release build for distribution carries the Swift runtime (`--static-swift-stdlib`): it
    // starts in about 7 ms instead of 11, which the end-to-end figures include.
    let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
    let runtime = maps.contains("libswiftCore.so") ? "shared Swift runtime" : "static Swift runtime (--static-swift-stdlib)"
    print("PhaseRunner performance (release build, \(runtime), \(cores) cores; medians; floors measured in the same run)")
    print("")
    var rows: [Row] = []
    for schema in schemas {
        let name = URL(fileURLWithPath: schema).lastPathComponent
        if let f = firstGeneration(schema: schema, base: ramDisk, runs: 7, noCache: true) {
            rows.append(Row(figure: "\(name): first generation, \(ramDisk.path), no cache (\(f.files) files, \(f.outputBytes / 1_000_000) MB)",
                            value: "\(f1(f.genMs)) ms", floor: "cp -r \(f1(f.copyMs)) ms", ratio: "\(f2(f.genMs / f.copyMs))×", goal: "≤ 2.0×"))
            rows.append(Row(figure: "\(name): CPU time / wall time (both cores busy: \(cores).0)", value: "\(f1(f.cpuMs)) ms CPU",
                            floor: "wall \(f1(f.genMs)) ms", ratio: f2(f.cpuMs / f.genMs), goal: "close to \(cores)"))
        }
        if let f = firstGeneration(schema: schema, base: ramDisk, runs: 7, noCache: false) {
            rows.append(Row(figure: "\(name): first generation, \(ramDisk.path), empty cache (the default)",
                            value: "\(f1(f.genMs)) ms", floor: "cp -r \(f1(f.copyMs)) ms", ratio: "\(f2(f.genMs / f.copyMs))×", goal: "—"))
        }
        if ramDisk != disk, let f = firstGeneration(schema: schema, base: disk, runs: 7, noCache: true) {
            rows.append(Row(figure: "\(name): first generation, \(disk.path) (disk), no cache",
                            value: "\(f1(f.genMs)) ms", floor: "cp -r \(f1(f.copyMs)) ms", ratio: "\(f2(f.genMs / f.copyMs))×", goal: "≤ 1.3×"))
        }
        // Phase 08's emitter alone (built and rendered, not written).
        if let text = try? String(contentsOfFile: schema, encoding: .utf8) {
            let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: name, text: text)))
            let plan = ApiPlan(schema: compiled.model)
            var document: [UInt8] = []
            let ms = measure(runs: 15) { document = Array(CodeGenerator.openAPIDocument(plan, title: "bench API").0.contents.utf8) }
            let floor = writeFloor(document, in: ramDisk)
            rows.append(Row(figure: "\(name): generateOpenAPI (\(document.count / 1000) KB of openapi.json)", value: "\(f1(ms)) ms",
                            floor: "writing it \(f2(floor)) ms", ratio: "\(f1(ms / max(floor, 0.001)))×", goal: "≤ 40 ms"))
            rows.append(frontEnd(name, SourceFile(path: name, text: text), runs: 41))
        }
    }
    // The front end on the synthetic 5,000-model schema.
    rows.append(frontEnd("synthetic 5,000 models", SourceFile(path: "synthetic.prisma", text: synthetic(models: 5000)), runs: 15))
    rows += linearityRows(base: ramDisk)
    printTable(rows)
}

/// Linearity and memory: end to end at 1,000 and 10,000 models (no cache, on `base`).
func linearityRows(base ramDisk: URL) -> [Row] {
    var rows: [Row] = []
    var perModel: [Int: Double] = [:]
    for n in [1000, 10000] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-synthetic-\(n)-\(getpid()).prisma")
        try? synthetic(models: n).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        guard let f = firstGeneration(schema: file.path, base: ramDisk, runs: n >= 10000 ? 3 : 5, noCache: true) else { continue }
        perModel[n] = f.genMs / Double(n)
        rows.append(Row(figure: "synthetic \(n) models: first generation, no cache (\(f.files) files, \(f.outputBytes / 1_000_000) MB)",
                        value: "\(f1(f.genMs)) ms", floor: "cp -r \(f1(f.copyMs)) ms", ratio: "\(f2(f.genMs / f.copyMs))×", goal: "—"))
        if n == 10000 {
            rows.append(Row(figure: "synthetic 10000 models: peak memory / output size", value: "\(f.maxRSSBytes / 1_000_000) MB",
                            floor: "output \(f.outputBytes / 1_000_000) MB", ratio: "\(f2(Double(f.maxRSSBytes) / Double(max(1, f.outputBytes))))×", goal: "≤ 3×"))
        }
    }
    if let a = perModel[1000], let b = perModel[10000] {
        rows.append(Row(figure: "cost per model, 10,000 models against 1,000", value: "\(f2(b * 1000)) µs/model",
                        floor: "\(f2(a * 1000)) µs/model", ratio: "\(f2(b / a))×", goal: "≤ 1.2×"))
    }
    return rows
}
