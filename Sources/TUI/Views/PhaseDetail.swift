import Core

/// The selected phase: what it does, how it went, and for a failure the error with
/// `file:line:col`, the source line and a caret (the error pane).
enum PhaseDetail {
    static func lines(_ s: AppState, width: Int, theme t: Theme) -> [(String, Style)] {
        guard let row = s.selectedRow else { return [] }
        var out: [(String, Style)] = []
        func add(_ text: String, _ style: Style = .plain) {
            for l in Wrap.lines(text, width: width) { out.append((l, style)) }
        }
        let status: String
        switch row.status {
        case .pending:
            if let entry = s.planned(row.info) {
                status = entry.skipReason.map { "will be skipped: \($0)" } ?? (entry.runReason.map { "pending (\($0))" } ?? "pending")
            } else {
                status = s.willRun(row.info) ? "pending" : "will be skipped"
            }
        case .running: status = "running"
        case .succeeded: status = "succeeded in \(row.duration.map(DurationFormat.short) ?? "")"
        case .reused: status = "reused from the previous run"
        case .cached(let restore, let saved):
            status = "restored from the cache in \(DurationFormat.short(restore)) (executing took \(DurationFormat.short(saved + restore)); saved \(DurationFormat.short(saved)))"
        case .failed: status = "FAILED after \(row.duration.map(DurationFormat.short) ?? "")"
        case .skipped(let why): status = "skipped: \(why)"
        case .notRun: status = "not run (an earlier phase failed or the run was cancelled)"
        }
        add("\(String(format: "%02d", row.info.order)) \(row.info.name)", t.title)
        let statusStyle: Style
        switch row.status {
        case .failed: statusStyle = t.bad
        case .succeeded: statusStyle = t.ok
        case .cached: statusStyle = t.cached
        default: statusStyle = t.muted
        }
        add(status, statusStyle)
        add(row.info.description, .plain)
        add("runs: \(row.info.condition) · on failure: \(row.info.recovery)", t.muted)
        if let failure = row.failure {
            out.append(("", .plain))
            add("Error", t.bad)
            add(failure.description, t.bad)
            let selected = min(s.selectedError, max(0, failure.diagnostics.count - 1))
            for (i, d) in failure.diagnostics.enumerated() {
                out.append(("", .plain))
                // The location and message wrap; the code frame keeps its columns (cut at the edge).
                // With several errors, the one `e` opens is marked.
                let frame = d.rendered().split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                let mark = failure.diagnostics.count > 1 ? (i == selected ? "› " : "  ") : ""
                add(mark + (frame.first ?? ""), i == selected && failure.diagnostics.count > 1 ? t.accent.bolded : t.accent)
                for l in frame.dropFirst() { out.append((DisplayWidth.truncate(mark.isEmpty ? l : "  " + l, to: width), .plain)) }
            }
            if !failure.diagnostics.isEmpty {
                let d = failure.diagnostics[selected]
                out.append(("", .plain))
                let choose = failure.diagnostics.count > 1 ? " · n/p: next/previous error (\(selected + 1) of \(failure.diagnostics.count))" : ""
                add("e: open \(d.file):\(d.line) in $EDITOR (re-runs when you close it)\(choose)", t.muted)
            }
        }
        if let r = row.result {
            out.append(("", .plain))
            if let m = r.message { add(m) }
            if r.filesWritten > 0 {
                add("\(Plural.count(r.filesWritten, "file")) staged · \(FileTree.size(r.bytes))", t.muted)
            } else if r.bytes > 0 {
                add("\(FileTree.size(r.bytes)) generated in memory", t.muted)
            }
            if !r.counters.isEmpty { add(r.counters.map { "\($0.name) \($0.value)" }.joined(separator: " · "), t.muted) }
            for w in r.warnings { add("warning: \(w)", t.accent) }
        }
        if !row.context.isEmpty {
            // What the phase was given and what it left for the phases after it.
            out.append(("", .plain))
            add("Context", t.title)
            let keyWidth = row.context.map { DisplayWidth.of($0.key) }.max() ?? 0
            for access in [ContextEntry.Access.read, .wrote] {
                for c in row.context where c.access == access {
                    let missing = access == .wrote && c.summary == "not set"
                    let label = (access == .read ? "read   " : missing ? "writes " : "wrote  ") + DisplayWidth.pad(c.key, to: keyWidth + 2)
                    add(label + (missing ? "not written" : c.summary), access == .read ? .plain : missing ? t.muted : t.ok)
                }
            }
        }
        if let p = row.progress, row.status == .running {
            add("\(p.done)/\(p.total)\(p.message.isEmpty ? "" : " " + p.message)", t.running)
        }
        if !row.logs.isEmpty {
            out.append(("", .plain))
            add("Log", t.title)
            for l in row.logs.suffix(50) { add("[\(l.level)] \(l.message)", l.level >= .warning ? t.accent : t.muted) }
        }
        return out
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        let all = lines(s, width: width, theme: t)
        // When it scrolls, the last row says where we are (never over the title).
        let rows = all.count > height ? height - 1 : height
        let scroll = min(s.detailScroll, max(0, all.count - rows))
        for (i, line) in all.dropFirst(scroll).prefix(rows).enumerated() {
            b.put(line.0, x: x, y: y + i, style: line.1, maxWidth: width)
        }
        if all.count > height {
            let where_ = "lines \(scroll + 1)-\(min(all.count, scroll + rows)) of \(all.count) · PgUp/PgDn"
            b.put(where_, x: x + max(0, width - DisplayWidth.of(where_)), y: y + rows, style: t.muted)
        }
    }
}
