import ArgumentParser
import Core
import Foundation

/// `phaserunner check <schema>`: diagnostics with code frames (or as JSON, or as GitHub Actions
/// annotations); exit 0 valid, 1 schema errors, 2 usage/IO.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and validate a schema; print diagnostics as path:line:col with the source line."
    )

    @Argument(help: "A schema.prisma file, or a folder of .prisma files.")
    var schema: String

    @Flag(help: "Also print warnings (--json and --format github always include them).")
    var warnings = false

    @Option(help: "text (path:line:col with the source line and a caret), json (an array of {severity, message, file, line, column, endLine, endColumn}) or github (GitHub Actions annotations).")
    var format: DiagnosticOutput = .text

    @Flag(help: "Print the diagnostics as JSON (same as --format json).")
    var json = false

    enum DiagnosticOutput: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    func validate() throws {
        if json, format != .text, format != .json { throw ValidationError("--json and --format \(format.rawValue) are one at a time") }
    }

    func run() throws {
        let compiled = try loadSchema(schema)
        let resolved = compiled.resolved()
        switch json ? .json : format {
        case .text:
            for d in resolved where warnings || d.severity == .error { print(d.rendered()) }
        case .json:
            FileHandle.standardOutput.write(Data(DiagnosticFormats.json(resolved).utf8))
        case .github:
            FileHandle.standardOutput.write(Data(DiagnosticFormats.github(resolved).utf8))
        }
        let errors = compiled.diagnostics.errors.count
        if errors > 0 {
            printError("\(errors) error\(errors == 1 ? "" : "s") in \(schema)")
            throw ExitCode(1)
        }
        let m = compiled.model
        printError("\(schema): valid (\(m.models.count) models, \(m.enums.count) enums)")
    }
}

/// Loads and compiles a schema, turning IO problems into exit status 2.
func loadSchema(_ path: String) throws -> CompiledSchema {
    do {
        return CompiledSchema(sources: try SchemaLoader.load(path: path))
    } catch {
        printError("error: \(error)")
        throw ExitCode(2)
    }
}

func printError(_ message: String) {
    try? FileHandle.standardError.write(contentsOf: Data((message + "\n").utf8))
}
