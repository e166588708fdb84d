import ArgumentParser
import Core
import Foundation
import TUI

/// `phaserunner prisma-generator`: PhaseRunner as a generator of `prisma generate`. Prisma
/// starts it for a block `generator api { provider = "phaserunner prisma-generator" }` and
/// speaks its generator protocol (`PrismaGeneratorServer`): requests on stdin, answers on
/// stderr. Each `generate` is a `generate` run into the block's `output`, with the block's
/// keys as its options (`PrismaGeneratorSettings`), the plugins declared beside the schema,
/// the same transaction, and the summary line on stdout (the user's terminal).
/// The process exits when stdin closes: 0, or 1 when the last generation failed.
struct PrismaGeneratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prisma-generator",
        abstract: "Run as a Prisma generator (started by `prisma generate`; see docs/prisma-generator.md)."
    )

    func run() async throws {
        if isatty(STDIN_FILENO) == 1 {
            printError("""
                phaserunner prisma-generator speaks Prisma's generator protocol on stdin and is started by `prisma generate`.
                Add to schema.prisma:

                  generator api {
                    provider = "phaserunner prisma-generator"
                    output   = "../generated"
                  }
                """)
            throw ExitCode(2)
        }
        let signals = GeneratorSignals()
        let answers = AnswerWriter()
        let server = PrismaGeneratorServer(handler: PhaseRunnerGenerator(signals: signals),
                                           respond: { answers.write($0) }, log: { answers.write($0) })
        let outcome = try await server.serve(StandardInputLines.stream())
        if let sig = signals.receivedSignal { throw ExitCode(128 + sig) }
        if case .failed = outcome { throw ExitCode(1) }
    }
}

/// `generate` runs for Prisma.
struct PhaseRunnerGenerator: PrismaGeneratorHandler {
    let signals: GeneratorSignals

    func manifest(for block: PrismaGeneratorBlock) -> PrismaGeneratorManifest { .phaseRunner }

    func generate(_ options: PrismaGeneratorOptions) async -> PrismaGenerateOutcome {
        let settings: PrismaGeneratorSettings
        let plugins: [PluginPhase]
        do {
            settings = try PrismaGeneratorSettings(options)
            plugins = try await PluginLoading.phases(schemaPath: options.schemaPath, commands: [])
        } catch let failure as PluginLoadFailure {
            return .failed("phaserunner: \(failure.message)")
        } catch {
            return .failed("phaserunner: \(error)")
        }
        if let problem = phaseNameProblem(skip: settings.config.disabledPhases.sorted(), failAt: nil, phases: StandardPhases.all + plugins) {
            return .failed("phaserunner: generator `\(options.generator.name)`: `skip`: \(problem)")
        }
        // Progress and failures go to stderr, Prisma's log of the generator; the summary of a
        // generation to stdout, the user's terminal (a failure is the answer, which Prisma prints).
        let run = HeadlessRun(json: false, verbosity: .quiet, summary: false, reportFile: settings.reportPath.map { URL(fileURLWithPath: $0) })
        let report = await signals.whileRunning { await run.run(settings.config, plugins: plugins, signals: $0) }
        guard report.status == .succeeded else { return .failed(Self.failureText(report)) }
        FileHandle.standardOutput.write(Data((PlainReporter.summary(report) + "\n").utf8))
        return .generated
    }

    /// What Prisma shows for a failed run: the summary `generate` prints, then the failed
    /// phase's diagnostics with their code frames.
    static func failureText(_ report: RunReport) -> String {
        let failure = report.failedPhase?.failure ?? report.finalizeFailure
        return (["phaserunner: " + PlainReporter.summary(report)] + (failure?.diagnostics.map { $0.rendered() } ?? []))
            .joined(separator: "\n")
    }
}

/// Answers and log lines on stderr, whole lines one at a time.
final class AnswerWriter: Sendable {
    private let lock = NSLock()

    func write(_ line: String) {
        lock.withLock { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

/// stdin's lines, read on a thread of their own (a request line can be many megabytes: the
/// DMMF of a large schema).
enum StandardInputLines {
    static func stream() -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .unbounded)
        let thread = Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(Data(line.utf8)) }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}

/// SIGINT and SIGTERM for the generator process. While a run is going, signals go to its
/// `InterruptCancellation`, as in `generate`: the first stops the run (running phases finish,
/// the output is left as it was, the answer is an error), a second exits at once. Between runs
/// (Prisma stops its generators with SIGTERM once they answered) the process exits at once,
/// with 0 for SIGTERM.
final class GeneratorSignals: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var current: InterruptCancellation?
    private var received: Int32?

    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.handle(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal that interrupted a run, if any.
    var receivedSignal: Int32? { lock.withLock { received } }

    /// Runs `body` as the current run; a signal now interrupts it through the cancellation
    /// handed to `body`.
    func whileRunning<T>(_ body: (InterruptCancellation) async -> T) async -> T {
        let cancellation = InterruptCancellation(cleanup: {}, installing: false)
        lock.withLock { current = cancellation }
        defer { lock.withLock { current = nil } }
        return await body(cancellation)
    }

    private func handle(_ sig: Int32) {
        let run = lock.withLock { () -> InterruptCancellation? in
            if current != nil, received == nil { received = sig }
            return current
        }
        guard let run else { exit(sig == SIGTERM ? 0 : 128 + sig) }
        run.deliver(sig)
    }
}
