import ArgumentParser
import Core
import Foundation

@main
struct PhaseRunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phaserunner",
        abstract: "Turn a Prisma schema into a working TypeScript REST API, in observable phases.",
        subcommands: [TUICommand.self, GenerateCommand.self, PhasesCommand.self, CheckCommand.self, InspectCommand.self, CacheCommand.self, PrismaGeneratorCommand.self, BenchUICommand.self],
        defaultSubcommand: TUICommand.self
    )

    /// Like ArgumentParser's main, but usage errors exit with status 2 (scripts rely on 0/1/2).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
