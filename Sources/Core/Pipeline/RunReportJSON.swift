import Foundation

/// The `--json` report of `phaserunner generate`.
public enum RunReportJSON {
    public static func render(_ r: RunReport) -> String {
        var pairs: [(String, JSONValue)] = [
            ("status", .string(r.status.rawValue)),
            ("totalMs", .number(ms(r.totalDuration))),
            ("runnerOverheadMs", .number(ms(r.runnerOverhead))),
            ("commitMs", .number(ms(r.commitDuration))),
            ("outputDir", r.outputDir.map { .string($0) } ?? .null),
            ("filesWritten", .integer(r.filesWritten)),
            ("jobs", .integer(r.jobs)),
            ("criticalPathMs", .number(ms(r.criticalPath))),
            ("criticalPath", .array(r.criticalPhases.map { .string($0) })),
            ("phaseSumMs", .number(ms(r.phaseSum))),
        ]
        if let c = r.commit {
            pairs.append(("commit", .object([("written", .integer(c.written)), ("unchanged", .integer(c.unchanged)), ("deleted", .integer(c.deleted))])))
        }
        if let c = r.cache {
            pairs.append(("cache", .object([("hits", .integer(c.hits)), ("misses", .integer(c.misses)),
                                            ("savedMs", .number((c.savedMs).rounded(toPlaces: 3))),
                                            ("corrupt", .integer(c.corrupt)),
                                            ("modelHits", .integer(c.partHits)), ("modelMisses", .integer(c.partMisses))])))
        }
        if let f = r.finalizeFailure { pairs.append(("error", error(f))) }
        pairs.append(("phases", .array(r.phases.map(phase))))
        return JSONValue.object(pairs).rendered()
    }

    /// Milliseconds of a duration (for front ends).
    public static func msPublic(_ d: Duration) -> Double { ms(d) }

    static func ms(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return (Double(s) * 1000 + Double(atto) / 1e15).rounded(toPlaces: 3)
    }

    static func error(_ f: PhaseFailure) -> JSONValue {
        .object([
            ("message", .string(f.description)),
            ("diagnostics", .array(f.diagnostics.map { d in
                .object([("file", .string(d.file)), ("line", .integer(d.line)), ("column", .integer(d.column)),
                         ("severity", .string(d.severity.rawValue)), ("message", .string(d.message))])
            })),
        ])
    }

    static func phase(_ p: PhaseReport) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("order", .integer(p.phase.order)),
            ("name", .string(p.phase.name)),
        ]
        if let plugin = p.phase.plugin { pairs.append(("plugin", .string(plugin))) }
        pairs += [
            ("status", .string(p.status == .reused ? "succeeded" : p.status.rawValue)),
            ("durationMs", .number(ms(p.duration))),
            ("startMs", p.start.map { .number(ms($0)) } ?? .null),
            ("endMs", p.end.map { .number(ms($0)) } ?? .null),
            ("filesWritten", .integer(p.result?.filesWritten ?? 0)),
            ("message", (p.result?.message ?? p.skipReason).map { .string($0) } ?? .null),
        ]
        if p.status == .reused { pairs.append(("reused", true)) }
        if let saved = p.saved { pairs.append(("savedMs", .number(ms(saved)))) }
        if let result = p.result, !result.counters.isEmpty {
            pairs.append(("counters", .object(result.counters.map { ($0.name, .integer($0.value)) })))
        }
        if let result = p.result, !result.warnings.isEmpty {
            pairs.append(("warnings", .array(result.warnings.map { .string($0) })))
        }
        if p.attempts > 1 { pairs.append(("attempts", .integer(p.attempts))) }
        if let f = p.failure { pairs.append(("error", error(f))) }
        return .object(pairs)
    }
}

extension Double {
    func rounded(toPlaces n: Int) -> Double {
        var m = 1.0
        for _ in 0..<n { m *= 10 }
        return (self * m).rounded() / m
    }
}

/// Durations as people read them: `0.42ms`, `12.3ms`, `1.20s`.
public enum DurationFormat {
    public static func short(_ d: Duration) -> String {
        let ms = RunReportJSON.ms(d)
        if ms < 10 { return String(format: "%.2fms", ms) }
        if ms < 1000 { return String(format: "%.1fms", ms) }
        return String(format: "%.2fs", ms / 1000)
    }
}
