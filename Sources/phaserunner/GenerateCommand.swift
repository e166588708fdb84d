import ArgumentParser
import Core
import Foundation
import TUI

/// `phaserunner generate`: the 13 phases, headless, for scripts and CI.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the TypeScript API from a schema (headless; progress on stderr, the summary or --json report on stdout)."
    )

    @Argument(help: "A .prisma file or a folder of them (default: discovered like Prisma does).")
    var schema: String?

    @Option(name: .long, help: "Output folder.")
    var out: String = "generated"

    @Flag(inversion: .prefixedNo, help: "Also write a runnable project (package.json, app, tests).")
    var standalone = true

    @Option(name: .long, help: "Skip a phase by name (repeatable).")
    var skip: [String] = []

    @Flag(help: "Print one JSON report on stdout.")
    var json = false

    @Flag(help: "Write into a non-empty folder that has no manifest.")
    var force = false

    @Option(name: .long, help: "The generated project's name (default: the nearest package.json's name, else the output folder's).")
    var name: String?

    @Option(name: .customLong("fail-at"), help: "Make this phase fail on purpose (to see failures and rollback).")
    var failAt: String?

    @Option(name: .long, help: "How many independent phases may run at once (at least 1; default: the number of cores).")
    var jobs: Int?

    @OptionGroup var cache: CacheOptions

    @OptionGroup var lock: LockOptions

    @Flag(help: "Only print failures and the summary.")
    var quiet = false

    @Flag(help: "Also print progress and log records.")
    var verbose = false

    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        // Plugin phases are known only once described: without any, check names now.
        if plugins.commands.isEmpty {
            let known = Set(StandardPhases.names)
            for name in skip + [failAt].compactMap({ $0 }) where !known.contains(name) {
                throw ValidationError("unknown phase '\(name)'; phases: \(StandardPhases.names.joined(separator: ", "))")
            }
            for name in skip {
                if let p = StandardPhases.all.first(where: { $0.name == name }), !p.skippable {
                    throw ValidationError("phase '\(name)' cannot be skipped: \(p.unskippableReason)")
                }
            }
        }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        try validateJobs(jobs)
    }

    func run() async throws {
        guard let schemaPath = schema ?? SchemaDiscovery.find(in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) else {
            printError("error: no schema given and none found (looked for \(SchemaDiscovery.searched))")
            throw ExitCode(2)
        }
        let pluginPhases = try await plugins.phases(schemaPath: schemaPath)
        try validatePhaseNames(skip: skip, failAt: failAt, phases: StandardPhases.all + pluginPhases)
        var config = GeneratorConfig(schemaPath: schemaPath, outputDir: out, standalone: standalone,
                                     disabledPhases: Set(skip), force: force, failAt: failAt, projectName: name)
        config.jobs = jobs
        config.keepsStagedText = false // headless: never re-runs from a phase
        config.cache = cache.setting
        config.lockWait = lock.wait
        // Ctrl-C / SIGTERM: running phases finish, nothing new starts, the output is left as it was.
        let signals = InterruptCancellation(cleanup: {})
        let report = await HeadlessRun(json: json, verbosity: quiet ? .quiet : verbose ? .verbose : .normal, exitsAfterRun: true).run(config, plugins: pluginPhases, signals: signals)
        if let sig = signals.receivedSignal, report.status != .succeeded { throw ExitCode(128 + sig) }
        if report.status != .succeeded { throw ExitCode(1) }
    }
}

/// `--wait SECONDS`, shared by `generate` and `tui`.
struct LockOptions: ParsableArguments {
    @Option(name: .customLong("wait"), help: ArgumentHelp("When another run is writing to the output folder, wait up to this many seconds for it (default 0: fail at once).", valueName: "seconds"))
    var seconds: Double = 0

    func validate() throws {
        guard seconds >= 0, seconds.isFinite else { throw ValidationError("--wait must be a number of seconds, 0 or more (got \(seconds))") }
    }

    var wait: Duration { .milliseconds(Int64((seconds * 1000).rounded())) }
}

/// `--jobs N`: N must be at least 1 (a usage error otherwise, exit 2).
func validateJobs(_ jobs: Int?) throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs))") }
}
