import ArgumentParser
import Core
import Foundation
import TUI

/// `phaserunner [tui] [<schema>]`: the interactive UI (the default command). Without a
/// schema it opens a built-in example in a fresh temporary folder, removed when the command
/// ends. Without a terminal (or with CI set, --plain or --json) it runs headless like
/// `generate`: progress on stderr, the summary (or the --json report) on stdout.
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the live terminal UI (the default): checklist, errors, output tree, schema explorer, toggles."
    )

    @Argument(help: "A .prisma file or a folder of them (default: a built-in example).")
    var schema: String?

    @Option(name: .long, help: "Output folder (default: ./generated, or a temporary folder for the example).")
    var out: String?

    @Flag(inversion: .prefixedNo, help: "Also write a runnable project (package.json, app, tests).")
    var standalone = true

    @Flag(help: "Write into a non-empty folder that has no manifest.")
    var force = false

    @Option(name: .long, help: "The generated project's name (default: the nearest package.json's name, else the output folder's).")
    var name: String?

    @Option(name: .long, help: "How many independent phases may run at once (at least 1; default: the number of cores).")
    var jobs: Int?

    @OptionGroup var cache: CacheOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var plugins: PluginOptions

    @Flag(help: "Plain line output instead of the UI.")
    var plain = false

    @Flag(help: "Plain mode, with the JSON report `generate --json` prints on stdout.")
    var json = false

    func validate() throws {
        try validateJobs(jobs)
    }

    func run() async throws {
        let interactive = TUIApp.canRunInteractive(plainRequested: plain || json)
        // Plain mode: a signal stops the run and the command still cleans up. (The UI
        // handles SIGINT/SIGTERM itself and returns, so the cleanup below runs there too.)
        let example = ExampleFolder()
        let plainSignals = interactive ? nil : InterruptCancellation(cleanup: { example.remove() })
        defer { example.remove() }
        var schemaPath = schema
        var outputDir = out
        if schemaPath == nil {
            let file = try example.create()
            schemaPath = file.path
            if outputDir == nil { outputDir = file.deletingLastPathComponent().appendingPathComponent("generated").path }
        }
        guard let schemaPath else { throw ExitCode(2) }
        guard FileManager.default.fileExists(atPath: schemaPath) else {
            printError("error: schema not found: \(schemaPath)")
            throw ExitCode(2)
        }
        let pluginPhases = try await plugins.phases(schemaPath: schemaPath)
        var options = TUIApp.Options(schemaPath: schemaPath, outputDir: outputDir ?? "generated", standalone: standalone,
                                     force: force, projectName: name, jobs: jobs, cache: cache.setting)
        options.extraPhases = pluginPhases
        options.lockWait = lock.wait
        if interactive, let status = TUIApp(options: options).run() {
            if status != 0 { throw ExitCode(status) }
            return
        }
        // Plain mode (or no usable terminal): the same run, reported as lines.
        let signals = plainSignals ?? InterruptCancellation(cleanup: { example.remove() })
        let report = await HeadlessRun(json: json, exitsAfterRun: true).run(options.generatorConfig, plugins: pluginPhases, signals: signals)
        if let sig = signals.receivedSignal { throw ExitCode(128 + sig) }
        if report.status != .succeeded { throw ExitCode(1) }
    }
}

/// The built-in example's schema, written into `$TMPDIR/phaserunner-example-<pid>` on demand
/// and removed when the command ends (`remove()` is safe to call more than once).
final class ExampleFolder: @unchecked Sendable {
    private let lock = NSLock()
    private var created: URL?

    static let prefix = "phaserunner-example-"

    /// Creates the folder and the schema in it; returns the schema's path. Folders that
    /// earlier runs could not remove (a hang-up or a crash ends the process without cleanup)
    /// are swept first when their process is gone.
    func create() throws -> URL {
        Self.sweepStale(in: FileManager.default.temporaryDirectory)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(Self.prefix)\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        lock.withLock { created = dir }
        let file = dir.appendingPathComponent("schema.prisma")
        if !FileManager.default.fileExists(atPath: file.path) {
            try ExampleSchema.text.write(to: file, atomically: true, encoding: .utf8)
        }
        return file
    }

    func remove() {
        guard let dir = lock.withLock({ () -> URL? in defer { created = nil }; return created }) else { return }
        try? FileManager.default.removeItem(at: dir)
    }

    /// Removes `phaserunner-example-<pid>` folders whose process no longer exists.
    static func sweepStale(in tmp: URL) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        for name in entries where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
            }
        }
    }
}

/// `phaserunner bench-ui`: frame timings on the current terminal (run it in a 120×40 terminal).
struct BenchUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-ui", abstract: "Measure rendering and presenting full TUI frames.", shouldDisplay: false)

    @Option(help: "Frames to draw.")
    var frames = 200

    @Option(help: "Instead of frames: drive this many key actions through the reducer and renderer on --output's tree.")
    var keys: Int?

    @Option(help: "A generated output folder (with keys).")
    var output: String?

    func run() throws {
        if let keys {
            let dir = output ?? "generated"
            let r = TUIApp.benchmarkKeys(outputDir: dir, count: keys)
            print(String(format: "keypress in the Output pane (%d files): median %.3f ms, p99 %.3f ms (reduce + render, %d keys, 120×40)", r.files, r.median, r.p99, keys))
            return
        }
        guard let r = TUIApp.benchmarkFrames(frames) else {
            printError("error: no terminal")
            throw ExitCode(2)
        }
        print(String(format: "frame: render %.3f ms + present %.3f ms = %.3f ms (median of %d full frames)", r.render, r.present, r.render + r.present, frames))
    }
}
