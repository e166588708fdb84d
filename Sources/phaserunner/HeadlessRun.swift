import Core
import Foundation
import TUI

/// A run without the UI, as `generate` and the TUI command's plain mode do it: progress lines
/// on stderr, then on stdout the summary line, or with `--json` the report instead.
struct HeadlessRun {
    var json = false
    var verbosity: PlainReporter.Verbosity = .normal
    /// Print the summary line on stdout (when not `json`).
    var summary = true
    /// Also write the JSON report to this file (a warning on stderr when it cannot be written).
    var reportFile: URL?
    /// The process ends right after this run: what the runner holds (the run's values and its
    /// staged entries) is left for the OS to reclaim at exit rather than freed object by object,
    /// as compilers do (`clang -disable-free`). At 10,000 models that freeing took 160 ms.
    var exitsAfterRun = false

    /// Runs every phase and prints the outcome; returns the report.
    func run(_ config: GeneratorConfig, plugins: [any GenerationPhase] = [], signals: InterruptCancellation? = nil) async -> RunReport {
        let runner = StandardPhases.runner(config: config)
        runner.register(contentsOf: plugins)
        if !json || verbosity == .verbose {
            runner.addObserver(PlainReporter(summaryOutput: json || !summary ? nil : .standardOutput, verbosity: verbosity))
        }
        let task = Task { await runner.run() }
        signals?.onFirstSignal { task.cancel() }
        let report = await task.value
        await runner.drainObservers()
        if exitsAfterRun { _ = Unmanaged.passRetained(runner) }
        if json { FileHandle.standardOutput.write(Data(RunReportJSON.render(report).utf8)) }
        if let reportFile {
            do {
                try FileManager.default.createDirectory(at: reportFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(RunReportJSON.render(report).utf8).write(to: reportFile, options: .atomic)
            } catch {
                printError("warning: could not write the report to \(reportFile.path): \(error.localizedDescription)")
            }
        }
        return report
    }
}

/// SIGINT and SIGTERM during a headless run (`generate`, plain mode): the first stops the run
/// once the running phases finish (the output is rolled back and the command ends normally,
/// so its cleanup runs); a second runs `cleanup` and exits at once. The interactive TUI
/// installs its own handlers.
final class InterruptCancellation: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?
    private var action: (@Sendable () -> Void)?
    private let cleanup: @Sendable () -> Void

    /// `installing: false`: signals come only through `deliver` (from a handler installed
    /// by someone else).
    init(cleanup: @escaping @Sendable () -> Void, installing: Bool = true) {
        self.cleanup = cleanup
        if installing {
            sources = SignalSources.install([SIGINT, SIGTERM]) { [weak self] sig in self?.handle(sig) }
        }
    }

    /// The first signal received, if any.
    var receivedSignal: Int32? { lock.withLock { received } }

    /// What the first signal does (run at once when one already came).
    func onFirstSignal(_ body: @escaping @Sendable () -> Void) {
        let already = lock.withLock { () -> Bool in
            action = body
            return received != nil
        }
        if already { body() }
    }

    /// Handles `sig` as if this object had caught it.
    func deliver(_ sig: Int32) { handle(sig) }

    private func handle(_ sig: Int32) {
        let (first, body) = lock.withLock { () -> (Bool, (@Sendable () -> Void)?) in
            if received == nil {
                received = sig
                return (true, action)
            }
            return (false, nil)
        }
        if first {
            printError("interrupted: running phases finish, nothing new starts; the output folder is left as it was (again to quit now)")
            body?()
        } else {
            cleanup()
            exit(128 + sig)
        }
    }
}

/// Dispatch sources for signals. libdispatch installs its handler asynchronously (on its
/// manager queue); until then the signal is ignored (SIG_IGN, set first). `install` returns
/// once every handler is in place, so a signal sent the moment a command says it is ready is
/// never lost (bounded: after 2 s it returns anyway).
enum SignalSources {
    static func install(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        let sources = signals.map { sig -> any DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { handler(sig) }
            source.resume()
            return source
        }
        let deadline = Date().addingTimeInterval(2)
        while !signals.allSatisfy(handled), Date() < deadline { usleep(100) }
        return sources
    }

    /// Whether `sig` has a handler (neither the default action nor ignored).
    private static func handled(_ sig: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(sig, nil, &current) == 0 else { return true }
        let raw = current.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
        return raw > 1
    }
}
