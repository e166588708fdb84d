import ArgumentParser
import Core
import Foundation

/// `phaserunner check <schema>`: diagnostics with code frames; exit 0 valid, 1 schema errors, 2 usage/IO.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and validate a schema; print diagnostics as path:line:col with the source line."
    )

    @Argument(help: "A schema.prisma file, or a folder of .prisma files.")
    var schema: String

    @Flag(help: "Also print warnings.")
    var warnings = false

    func run() throws {
        let compiled = try loadSchema(schema)
        let diagnostics = compiled.resolved().filter { warnings || $0.severity == .error }
        for d in diagnostics { print(d.rendered()) }
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
