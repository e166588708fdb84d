import ArgumentParser
import Core

/// `phaserunner inspect <schema> [--json]`: the resolved schema, readable or as stable JSON.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise a schema's models, fields, relations and enums (or print it as JSON)."
    )

    @Argument(help: "A schema.prisma file, or a folder of .prisma files.")
    var schema: String

    @Flag(help: "Print the semantic model as stable JSON.")
    var json = false

    func run() throws {
        let compiled = try loadSchema(schema)
        if compiled.hasErrors {
            for d in compiled.resolved() where d.severity == .error { print(d.rendered()) }
            throw ExitCode(1)
        }
        if json {
            print(SchemaJSON.encode(compiled.model, sources: compiled.sources))
        } else {
            print(SchemaSummary.render(compiled.model), terminator: "")
        }
    }
}
