import ArgumentParser
import Core
import Foundation

/// `--plugin COMMAND` (repeatable), shared by `generate`, `tui` and `phases`.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("Run an external plugin as a phase (repeatable; split like a shell would, run without one). See docs/plugins.md.", valueName: "command"))
    var commands: [String] = []

    /// The plugins of this run: those declared beside the schema (`phaserunner.json`, else
    /// `package.json`'s `"phaserunner"` key), then `--plugin` ones (run in the current folder),
    /// each described once. Prints the problem and exits 1 when one cannot be described.
    func phases(schemaPath: String?) async throws -> [PluginPhase] {
        var declarations: [PluginDeclaration] = []
        if let schemaPath {
            do {
                declarations += try PluginConfig.declarations(schemaPath: schemaPath).plugins
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }
        declarations += commands.map { PluginDeclaration(command: $0) }
        guard !declarations.isEmpty else { return [] }
        do {
            return try await PluginConfig.phases(declarations, existing: StandardPhases.names)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `--skip` and `--fail-at` name phases of this run (standard or plugin): a usage error
/// (exit 2) otherwise, or when the phase cannot be turned off.
func validatePhaseNames(skip: [String], failAt: String?, phases: [any GenerationPhase]) throws {
    let names = phases.map(\.name)
    for name in skip + [failAt].compactMap({ $0 }) where !names.contains(name) {
        printError("error: unknown phase '\(name)'; phases: \(names.joined(separator: ", "))")
        throw ExitCode(2)
    }
    for name in skip {
        if let p = phases.first(where: { $0.name == name }), !p.skippable {
            printError("error: phase '\(name)' cannot be skipped: \(p.unskippableReason)")
            throw ExitCode(2)
        }
    }
}
