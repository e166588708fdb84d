import ArgumentParser
import Core
import Foundation

/// `--plugin COMMAND` (repeatable), shared by `generate`, `tui` and `phases`.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("Run an external plugin as a phase (repeatable; split like a shell would, run without one). See docs/plugins.md.", valueName: "command"))
    var commands: [String] = []

    /// The plugins of this run (see `PluginLoading.phases`). Prints the problem and exits 2
    /// when a configuration file cannot be read, 1 when a plugin cannot be described.
    func phases(schemaPath: String?) async throws -> [PluginPhase] {
        do {
            return try await PluginLoading.phases(schemaPath: schemaPath, commands: commands)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode(error.exitCode)
        }
    }
}

/// Why the plugins of a run could not be loaded, with the exit status it means.
struct PluginLoadFailure: Error {
    let message: String
    let exitCode: Int32
}

enum PluginLoading {
    /// The plugins of a run: those declared beside the schema (`phaserunner.json`, else
    /// `package.json`'s `"phaserunner"` key), then `commands` (run in the current folder),
    /// each described once.
    static func phases(schemaPath: String?, commands: [String]) async throws(PluginLoadFailure) -> [PluginPhase] {
        var declarations: [PluginDeclaration] = []
        if let schemaPath {
            do {
                declarations += try PluginConfig.declarations(schemaPath: schemaPath).plugins
            } catch {
                throw PluginLoadFailure(message: "\(error)", exitCode: 2)
            }
        }
        declarations += commands.map { PluginDeclaration(command: $0) }
        guard !declarations.isEmpty else { return [] }
        do {
            return try await PluginConfig.phases(declarations, existing: StandardPhases.names)
        } catch {
            throw PluginLoadFailure(message: "\(error)", exitCode: 1)
        }
    }
}

/// `--skip` and `--fail-at` name phases of this run (standard or plugin): a usage error
/// (exit 2) otherwise, or when the phase cannot be turned off.
func validatePhaseNames(skip: [String], failAt: String?, phases: [any GenerationPhase]) throws {
    if let problem = phaseNameProblem(skip: skip, failAt: failAt, phases: phases) {
        printError("error: \(problem)")
        throw ExitCode(2)
    }
}

/// What is wrong with the phase names a run was given, if anything.
func phaseNameProblem(skip: [String], failAt: String?, phases: [any GenerationPhase]) -> String? {
    let names = phases.map(\.name)
    for name in skip + [failAt].compactMap({ $0 }) where !names.contains(name) {
        return "unknown phase '\(name)'; phases: \(names.joined(separator: ", "))"
    }
    for name in skip {
        if let p = phases.first(where: { $0.name == name }), !p.skippable {
            return "phase '\(name)' cannot be skipped: \(p.unskippableReason)"
        }
    }
    return nil
}
