import ArgumentParser
import Core
import Foundation

/// `phaserunner phases`: the phase table; `--graph`, `--json` and `--dot` show what each phase
/// waits for and why (the dependency graph the runner schedules by).
struct PhasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phases",
        abstract: "List the 13 phases: order, name, when they run, what they do; or what waits for what (--graph, --json, --dot)."
    )

    @Flag(help: "For each phase, what it waits for and why (the key it reads, the output it shares).")
    var graph = false

    @Flag(help: "The graph as stable JSON: order, name, after, reasons, reads, writes, outputs.")
    var json = false

    @Flag(help: "The graph as Graphviz (dot -Tsvg), one edge per direct dependency.")
    var dot = false

    @OptionGroup var plugins: PluginOptions

    @Option(name: .long, help: "The schema whose phaserunner.json / package.json plugins to list (default: discovered like generate does).")
    var schema: String?

    func validate() throws {
        if [graph, json, dot].filter({ $0 }).count > 1 { throw ValidationError("--graph, --json and --dot cannot be used together") }
    }

    func run() async throws {
        let schemaPath = schema ?? SchemaDiscovery.find(in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: schemaPath ?? "schema.prisma"))
        runner.register(contentsOf: try await plugins.phases(schemaPath: schemaPath))
        let all = runner.orderedPhases
        let phaseGraph = runner.graph
        if !phaseGraph.problems.isEmpty {
            for p in phaseGraph.problems { printError("error: \(p)") }
            throw ExitCode(1)
        }
        if graph {
            print(PhaseGraphFormat.text(phaseGraph), terminator: "")
        } else if json {
            print(PhaseGraphFormat.json(phaseGraph), terminator: "")
        } else if dot {
            print(PhaseGraphFormat.dot(phaseGraph), terminator: "")
        } else {
            print("order  name                   runs                   on failure           cache   description")
            for p in all {
                let order = String(format: "%02d", p.order)
                let cache = p.caching.isCached ? "cached" : "never"
                print("\(order)     \(p.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(p.condition.padding(toLength: 22, withPad: " ", startingAt: 0)) \(p.recovery.description.padding(toLength: 20, withPad: " ", startingAt: 0)) \(cache.padding(toLength: 7, withPad: " ", startingAt: 0)) \(p.description)")
            }
            print("")
            for p in all where !p.skippable { print("\(p.name) cannot be turned off: \(p.unskippableReason)") }
            for p in all {
                if let command = p.plugin { print("\(p.name) is the plugin `\(command)`") }
                if case .uncached(let why) = p.caching { print("\(p.name) is never cached: \(why)") }
            }
        }
    }
}
