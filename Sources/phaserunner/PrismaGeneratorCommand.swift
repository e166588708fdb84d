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
        // Ctrl-C in `prisma generate` ends Prisma too: nobody reads our stderr any more. A
        // write to it then fails (EPIPE) instead of killing the process mid-rollback.
        signal(SIGPIPE, SIG_IGN)
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

    func manifest() -> PrismaGeneratorManifest { .phaseRunner }

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
        try? FileHandle.standardOutput.write(contentsOf: Data((PlainReporter.summary(report) + "\n").utf8))
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
        lock.withLock { try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8)) }
    }
}

/// stdin's lines as bytes, read on a thread of their own (a request line can be many
/// megabytes: the DMMF of a large schema), without a trailing `\r`.
enum StandardInputLines {
    static func stream() -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .unbounded)
        let thread = Thread {
            var pending = Data()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            func emit(_ line: Data) {
                continuation.yield(line.last == 0x0D ? line.dropLast() : line)
            }
            while true {
                let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { break }
                var start = 0
                for i in 0..<n where chunk[i] == 0x0A {
                    pending.append(contentsOf: chunk[start..<i])
                    emit(pending)
                    pending = Data()
                    start = i + 1
                }
                pending.append(contentsOf: chunk[start..<n])
            }
            if !pending.isEmpty { emit(pending) }
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
        sources = SignalSources.install([SIGINT, SIGTERM]) { [weak self] sig in self?.handle(sig) }
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
