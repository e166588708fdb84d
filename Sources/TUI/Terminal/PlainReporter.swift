import Core
import Foundation

/// The non-interactive front end: one line per phase as it finishes (glyph, order, name,
/// status, duration), errors with their code frames, and a summary. Phases that run at once
/// finish in any order; each event is written whole, from one serial queue, so their lines
/// never interleave. Used by `generate` and whenever the TUI cannot run (no terminal, `CI`,
/// `--plain`). Progress goes to `output` (stderr), the final summary line to `summaryOutput`
/// (stdout, so `> log.txt` keeps it).
public final class PlainReporter: PhaseObserver, @unchecked Sendable {
    public enum Verbosity: Sendable { case quiet, normal, verbose }

    private let out: FileHandle
    private let summaryOut: FileHandle?
    private let verbosity: Verbosity
    private let unicode: Bool
    /// Why phases run although their condition or the configuration said no (from the plan).
    private var runReasons: [String: String] = [:]

    /// `summaryOutput`: where the final summary line goes; nil: not printed (e.g. when
    /// stdout carries a JSON report instead).
    public init(output: FileHandle = .standardError, summaryOutput: FileHandle? = .standardOutput, verbosity: Verbosity = .normal,
                unicode: Bool = PlainReporter.localeIsUTF8) {
        self.out = output
        self.summaryOut = summaryOutput
        self.verbosity = verbosity
        self.unicode = unicode
    }

    public static var localeIsUTF8: Bool {
        let env = ProcessInfo.processInfo.environment
        let locale = env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"] ?? ""
        return locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
    }

    /// A closed pipe (the reader went away) must not end the process: the write is dropped.
    private func write(_ s: String) { try? out.write(contentsOf: Data((s + "\n").utf8)) }

    private func label(_ p: PhaseInfo) -> String {
        "\(String(format: "%02d", p.order)) \(p.name.padding(toLength: 21, withPad: " ", startingAt: 0))"
    }

    public func handle(_ event: RunEvent) {
        switch event {
        case .runStarted(let plan):
            if verbosity == .verbose { write("running \(plan.entries.filter { $0.skipReason == nil }.count) of \(plan.entries.count) phases") }
            // Handled on one serial queue: no lock needed.
            runReasons = Dictionary(plan.entries.compactMap { e in e.runReason.map { (e.phase.name, $0) } }, uniquingKeysWith: { a, _ in a })
        case .phaseWillRun:
            break
        case .phaseProgress(let p, let done, let total, let message):
            if verbosity == .verbose { write("   \(label(p)) \(done)/\(total) \(message)") }
        case .phaseDidFinish(let p, let result, let d):
            guard verbosity != .quiet else { return }
            var line = "\(unicode ? "✓" : "+") \(label(p)) ok       \(DurationFormat.short(d).leftPadded(9))"
            if let m = result.message { line += "  \(m)" }
            if let why = runReasons[p.name] { line += "  (\(why))" }
            write(line)
            if verbosity == .verbose { for w in result.warnings { write("    warning: \(w)") } }
        case .phaseCached(let p, let result, let restore, let saved):
            guard verbosity != .quiet else { return }
            var line = "\(unicode ? "↺" : "=") \(label(p)) cached   \(DurationFormat.short(restore).leftPadded(9))"
            if let m = result.message { line += "  \(m)" }
            line += "  (saved \(DurationFormat.short(saved)))"
            write(line)
            if verbosity == .verbose { for w in result.warnings { write("    warning: \(w)") } }
        case .phaseSkipped(let p, let reason):
            guard verbosity != .quiet else { return }
            write("\(unicode ? "–" : "-") \(label(p)) skipped  \("".leftPadded(9))  \(reason)")
        case .phaseFailed(let p, let failure, let d):
            // One write for the line and its code frames: nothing else lands between them.
            let lines = ["\(unicode ? "✗" : "x") \(label(p)) FAILED   \(DurationFormat.short(d).leftPadded(9))  \(failure.description)"]
                + failure.diagnostics.map { $0.rendered() }
            write(lines.joined(separator: "\n"))
        case .phaseContext:
            break // (the TUI's phase inspector shows it)
        case .log(let record):
            if verbosity == .verbose || record.level >= .warning {
                write("    [\(record.phase ?? "runner")] \(record.level): \(record.message)")
            }
        case .runFinished(let report):
            try? summaryOut?.write(contentsOf: Data((Self.summary(report) + "\n").utf8))
        }
    }

    public static func summary(_ r: RunReport) -> String {
        let ran = r.phases.filter(\.status.hasOutput).count
        let skipped = r.phases.filter { $0.status == .skipped }.count
        var s: String
        switch r.status {
        case .succeeded:
            s = "generated \(r.filesWritten) files into \(r.outputDir ?? "?") in \(DurationFormat.short(r.totalDuration)) (\(ran) phases, \(skipped) skipped"
            if let c = r.commit { s += "; \(c.written) written, \(c.unchanged) unchanged, \(c.deleted) removed" }
            s += ")"
            if let c = r.cache, c.hits + c.misses > 0 {
                s += "; cache: \(c.hits) of \(c.hits + c.misses) phases cached, saved \(DurationFormat.short(.nanoseconds(c.savedNs)))"
            }
        case .failed:
            if let f = r.failedPhase {
                s = "failed at phase \(String(format: "%02d", f.phase.order)) \(f.phase.name): \(f.failure?.description ?? "error"); the output folder was not changed"
            } else if let f = r.finalizeFailure {
                s = "failed while committing: \(f.description)"
            } else {
                s = "failed"
            }
        case .cancelled:
            s = "cancelled; the output folder was not changed"
        }
        return s
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
