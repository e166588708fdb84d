import ArgumentParser
import Core

@main
struct PhaseRunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phaserunner",
        abstract: "Turn a Prisma schema into a working TypeScript REST API, in observable phases.",
        subcommands: [CheckCommand.self, InspectCommand.self]
    )
}
