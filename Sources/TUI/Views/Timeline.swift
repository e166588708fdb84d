import Core
import Foundation

/// The Phases pane's timeline of the last finished run (`t`): one bar per phase on a shared
/// time axis, from each phase's start to its end in the report, so the phases that ran at
/// once and the critical path show at a glance. Bars on the critical path are solid (and
/// yellow), the others shaded. The rows line up with the checklist's when both fit.
enum Timeline {
    /// Where a phase's bar lies, from the start of the run.
    struct Span: Sendable, Hashable {
        var start: Duration
        var end: Duration
    }

    /// The bars of a report, by phase name. `measured` is false when the report has no start
    /// or end at all (a runner that did not record them): the bars are then laid end to end
    /// from the durations, as a sequential run spends them, and the legend says so.
    static func spans(_ r: RunReport) -> (spans: [String: Span], measured: Bool) {
        var out: [String: Span] = [:]
        if r.phases.contains(where: { $0.start != nil && $0.end != nil }) {
            for p in r.phases where p.status == .succeeded || p.status == .failed {
                guard let start = p.start, let end = p.end else { continue }
                out[p.phase.name] = Span(start: start, end: max(start, end))
            }
            return (out, true)
        }
        var t = Duration.zero
        for p in r.phases where p.status == .succeeded || p.status == .failed {
            out[p.phase.name] = Span(start: t, end: t + p.duration)
            t += p.duration
        }
        return (out, false)
    }

    /// The axis runs to the end of the run (so the commit's share shows), or to the last
    /// bar's end when that is later.
    static func axis(_ r: RunReport, _ spans: [String: Span]) -> Duration {
        max(r.totalDuration, spans.values.map(\.end).max() ?? .zero)
    }

    /// The cells a span covers on an axis `width` cells wide: at least one, never past the end.
    static func columns(_ span: Span, axis: Duration, width: Int) -> Range<Int> {
        guard width > 0 else { return 0..<0 }
        guard axis > .zero else { return 0..<1 }
        let from = min(width - 1, max(0, Int((span.start / axis * Double(width)).rounded(.down))))
        let to = min(width, max(from + 1, Int((span.end / axis * Double(width)).rounded(.up))))
        return from..<to
    }

    /// The figures under the bars: "jobs 2 · critical path 812ms · phases 1.30s", packed into
    /// lines of `width` columns (an item never splits).
    static func figures(_ r: RunReport, measured: Bool, width: Int) -> [String] {
        var items = ["jobs \(r.jobs)"]
        if !r.criticalPhases.isEmpty || r.criticalPath > .zero { items.append("critical path \(DurationFormat.short(r.criticalPath))") }
        let sum = r.phaseSum > .zero ? r.phaseSum : r.phases.reduce(Duration.zero) { $0 + $1.duration }
        items.append("phases \(DurationFormat.short(sum))")
        if !measured { items.append("no start/end: bars laid end to end") }
        var lines: [String] = []
        for item in items {
            if let last = lines.last, DisplayWidth.of(last + " · " + item) <= width {
                lines[lines.count - 1] = last + " · " + item
            } else {
                lines += Wrap.lines(item, width: width)
            }
        }
        return lines
    }

    /// "0 ───── 71.0ms ───── 142.0ms": the axis under the bars, `width` cells.
    static func axisLine(_ axis: Duration, width: Int, glyphs g: Glyphs) -> String {
        let start = "0", mid = DurationFormat.short(axis / 2), end = DurationFormat.short(axis)
        var cells = Array(repeating: g.horizontal, count: max(0, width))
        func place(_ label: String, at x: Int) {
            let text = x + label.count + 2 > width ? " \(label)" : " \(label) "
            for (i, ch) in text.enumerated() where cells.indices.contains(x + i) { cells[x + i] = String(ch) }
        }
        guard width >= end.count + 4 else { return String(repeating: g.horizontal, count: max(0, width)) }
        // The end label ends at the axis's last cell, the middle one is centred when it fits.
        place(end, at: width - end.count - 1)
        if width >= 2 * (mid.count + end.count) + 8 { place(mid, at: width / 2 - mid.count / 2 - 1) }
        cells[0] = start
        if cells.count > 1 { cells[1] = " " }
        return cells.joined()
    }

    /// What the selected phase did, under the figures.
    static func selectedLine(_ s: AppState, _ r: RunReport, _ spans: [String: Span]) -> String? {
        guard let row = s.selectedRow else { return nil }
        let label = "\(String(format: "%02d", row.info.order)) \(row.info.name)"
        guard let p = r.phases.first(where: { $0.phase.name == row.info.name }) else { return "\(label): not in the last run" }
        guard let span = spans[p.phase.name] else {
            switch p.status {
            case .skipped: return "\(label): skipped\(p.skipReason.map { " (\($0))" } ?? "")"
            case .reused: return "\(label): reused from the previous run"
            default: return "\(label): not run"
            }
        }
        var text = "\(label): \(DurationFormat.short(span.start)) \(s.glyphs.arrow) \(DurationFormat.short(span.end)) (\(DurationFormat.short(p.duration)))"
        if p.status == .failed { text += ", failed" }
        if p.status == .cached { text += ", restored from the cache" + (p.saved.map { " (saved \(DurationFormat.short($0)))" } ?? "") }
        if r.criticalPhases.contains(p.phase.name) { text += ", on the critical path" }
        return text
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        guard height > 0, width > 0 else { return }
        var title = "Timeline of the last run"
        if s.run.isRunning, s.lastReport != nil { title += " (before this one)" }
        b.put(title, x: x, y: y, style: t.title, maxWidth: width)
        guard let r = s.lastReport else {
            let text = "No run has finished yet. When one has, this shows one bar per phase from its start to its end, "
                + "so the phases that ran at once and the critical path can be seen. t: back to the phase's detail."
            for (i, line) in Wrap.lines(text, width: width).prefix(max(0, height - 2)).enumerated() {
                b.put(line, x: x, y: y + 2 + i, style: t.muted, maxWidth: width)
            }
            return
        }
        let (spans, measured) = spans(r)
        let axis = axis(r, spans)
        let critical = Set(r.criticalPhases)
        let labelWidth = 3
        // One column after the bars for a failed phase's mark.
        let barWidth = max(1, width - labelWidth - 2)

        // Under the bars: the axis (lined up with them), the key, the figures, the selected phase.
        var under: [(text: String, style: Style, indent: Int)] = [(axisLine(axis, width: barWidth, glyphs: s.glyphs), t.muted, labelWidth)]
        let key = critical.isEmpty
            ? "\(s.glyphs.barShade) a phase, from its start to its end"
            : "\(s.glyphs.barFull) on the critical path  \(s.glyphs.barShade) other phases"
        under.append((key, t.muted, 0))
        under += figures(r, measured: measured, width: width).map { ($0, .plain, 0) }
        // The bars take what the axis, key and figures leave (at least a few rows); with room
        // for all of them, row i is on the same line as the checklist's row i.
        let count = s.phases.count
        let visible = min(count, max(min(count, 3), height - 1 - under.count))
        // The selected phase's times go last, after a blank line when there is room for it.
        if let line = selectedLine(s, r, spans) {
            let lines = Wrap.lines(line, width: width)
            if 1 + visible + under.count + 1 + lines.count <= height { under.append(("", .plain, 0)) }
            under += lines.map { ($0, .plain, 0) }
        }
        let first = max(0, min(s.selectedPhase - visible + 1, count - visible))
        for (offset, index) in (first..<(first + visible)).enumerated() {
            let row = s.phases[index]
            let yy = y + 1 + offset
            let selected = index == s.selectedPhase
            let labelStyle = selected ? (s.focus == .phases ? Style(reverse: true) : Style(bold: true)) : t.muted
            b.put(String(format: "%02d", row.info.order), x: x, y: yy, style: labelStyle)
            let barX = x + labelWidth
            guard let p = r.phases.first(where: { $0.phase.name == row.info.name }) else { continue }
            guard let span = spans[p.phase.name] else {
                let word: String
                switch p.status {
                case .skipped: word = "skipped"
                case .reused: word = "reused"
                case .notRun: word = "not run"
                default: word = ""
                }
                b.put(word, x: barX, y: yy, style: t.muted, maxWidth: barWidth)
                continue
            }
            let cols = columns(span, axis: axis, width: barWidth)
            let onPath = critical.contains(p.phase.name)
            let glyph = onPath ? s.glyphs.barFull : s.glyphs.barShade
            var style = p.status == .failed ? t.bad : onPath ? t.accent : t.ok
            if selected { style = style.bolded }
            b.put(String(repeating: glyph, count: cols.count), x: barX + cols.lowerBound, y: yy, style: style)
            if p.status == .failed { b.put(s.glyphs.failed, x: barX + cols.upperBound, y: yy, style: t.bad) }
        }
        var yy = y + 1 + visible
        for line in under where yy < y + height {
            b.put(line.text, x: x + line.indent, y: yy, style: line.style, maxWidth: width - line.indent)
            yy += 1
        }
    }
}
