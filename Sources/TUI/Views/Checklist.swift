import Core

/// The 13 phases (plus custom ones) with glyph, name, live or final time and progress.
enum Checklist {
    static func glyph(_ row: PhaseRow, _ s: AppState) -> String {
        switch row.status {
        case .pending: return s.glyphs.pending
        case .running: return Spinner.frame(s)
        case .succeeded, .reused: return s.glyphs.succeeded
        case .failed: return s.glyphs.failed
        case .skipped: return s.glyphs.skipped
        case .notRun: return s.glyphs.notRun
        case .cached: return s.glyphs.cached
        }
    }

    static func style(_ row: PhaseRow, _ t: Theme) -> Style {
        switch row.status {
        case .succeeded: return t.ok
        case .reused: return t.ok.dimmed
        case .cached: return t.cached
        case .failed: return t.bad
        case .running: return t.running
        case .skipped, .notRun, .pending: return t.muted
        }
    }

    /// The right-hand cell: elapsed time while running (with a progress bar when known), final duration after.
    static func timing(_ row: PhaseRow, _ s: AppState, width: Int) -> String {
        switch row.status {
        case .running:
            let elapsed = row.startedAt.map { DurationFormat.short($0.duration(to: s.now)) } ?? ""
            if let p = row.progress, p.total > 0 {
                let barWidth = max(3, width - 5)
                let filled = min(barWidth, p.done * barWidth / p.total)
                let pct = "\(p.done * 100 / p.total)%"
                return String(repeating: s.glyphs.barFull, count: filled) + String(repeating: s.glyphs.barEmpty, count: barWidth - filled) + " " + pct
            }
            return elapsed
        case .succeeded, .failed: return row.duration.map(DurationFormat.short) ?? ""
        case .reused: return "reused"
        // The glyph and colour say "cached"; the time is how long restoring took.
        case .cached(let restore, _): return DurationFormat.short(restore)
        case .skipped: return "skipped"
        case .notRun: return "not run"
        case .pending: return ""
        }
    }

    /// Glyph and number only (` ✓ 04`): what a narrow terminal keeps while another pane has the focus.
    static let glyphsOnlyWidth = 6

    /// The first phase shown (the list scrolls to keep the selected one in view); rows start
    /// one line below the checklist's top.
    static func firstVisible(_ s: AppState, width: Int, height: Int) -> Int {
        let visible = width <= glyphsOnlyWidth ? height - 1 : height - 2
        return max(0, min(s.selectedPhase - visible + 1, s.phases.count - visible))
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        if width <= glyphsOnlyWidth {
            let first = firstVisible(s, width: width, height: height)
            for (row, index) in zip(s.phases[first...].prefix(height - 1), first...) {
                let text = "\(index == s.selectedPhase ? "›" : " ")\(glyph(row, s)) \(String(format: "%02d", row.info.order))"
                b.put(text, x: x, y: y + 1 + index - first, style: style(row, t), maxWidth: width)
            }
            return
        }
        b.put("Phases", x: x + 1, y: y, style: t.title)
        let done = s.phases.filter(\.status.isDone).count
        b.put("\(done)/\(s.phases.count)", x: x + width - 7, y: y, style: t.muted)
        let compact = width < 34
        let timingWidth = compact ? 0 : 10
        let nameWidth = compact ? width - 6 : width - 7 - timingWidth
        let visible = height - 2
        let first = firstVisible(s, width: width, height: height)
        for (row, index) in zip(s.phases[first...].prefix(visible), first...) {
            let yy = y + 1 + (index - first)
            let selected = index == s.selectedPhase
            var style = style(row, t)
            let planned = row.status == .pending && !s.willRun(row.info)
            if planned { style = t.muted }
            // A plugin phase (an external program) is marked after its name.
            let name = DisplayWidth.pad(row.info.plugin == nil ? row.info.name
                                        : DisplayWidth.truncateMiddle(row.info.name, to: max(4, nameWidth - 2)) + " " + s.glyphs.plugin, to: nameWidth)
            var text = "\(glyph(row, s)) \(String(format: "%02d", row.info.order)) \(name)"
            if !compact { text += " " + DisplayWidth.pad(timing(row, s, width: timingWidth), to: timingWidth).leftAlignedTrimmed(timingWidth) }
            if selected {
                // A pointer as well as reverse video, so the selection shows without attributes too.
                b.fill(x: x, y: yy, width: width, height: 1, style: s.focus == .phases ? Style(reverse: true) : Style(bold: true))
                b.put("›" + text, x: x, y: yy, style: s.focus == .phases ? style.reversed : style.bolded, maxWidth: width)
            } else {
                b.put(" " + text, x: x, y: yy, style: style, maxWidth: width)
            }
        }
        // A summary under the list: what the run produced.
        let summaryY = y + 1 + min(visible, s.phases.count) + 1
        if summaryY < y + height, let r = s.lastReport, !compact {
            let files = r.commit.map { "\($0.written) written · \($0.unchanged) same · \($0.deleted) removed" } ?? "nothing written"
            b.put(" " + files, x: x, y: summaryY, style: t.muted, maxWidth: width)
            if summaryY + 1 < y + height {
                b.put(" runner overhead \(DurationFormat.short(r.runnerOverhead))", x: x, y: summaryY + 1, style: t.muted, maxWidth: width)
            }
        }
    }
}

extension String {
    /// Right-aligns within `width` columns.
    func leftAlignedTrimmed(_ width: Int) -> String {
        let trimmed = self.trimmingTrailingSpaces()
        return String(repeating: " ", count: max(0, width - DisplayWidth.of(trimmed))) + trimmed
    }

    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
