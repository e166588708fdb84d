import Core
import Foundation

/// Renders the whole screen from the state. Pure: no terminal, no I/O.
public enum Screen {
    public static func render(_ s: AppState) -> CellBuffer {
        var b = draw(s)
        if s.glyphs == .ascii { b.foldToASCII() }
        return b
    }

    /// Where the screen's parts go: the header and tabs rows, then the body (the checklist on the
    /// left, the focused pane on the right), then the status line and footer. Drawing and mouse
    /// hit-testing both use it.
    struct Layout {
        let bodyTop = 2
        let bodyHeight: Int
        /// The checklist's width; the frame is drawn at this column.
        let left: Int
        /// The focused pane's x and width.
        let rx: Int
        let rw: Int

        init(_ s: AppState) {
            bodyHeight = s.height - 4
            left = Screen.leftWidth(s.width, focus: s.focus)
            rx = left + 2
            rw = s.width - left - 3
        }
    }

    static func draw(_ s: AppState) -> CellBuffer {
        var b = CellBuffer(width: s.width, height: s.height)
        if s.isTooSmall {
            TooSmall.draw(&b, s)
            return b
        }
        let theme = Theme(color: s.color)
        Header.draw(&b, s, theme)
        Tabs.draw(&b, s, theme)
        let layout = Layout(s)
        let (bodyTop, bodyHeight, left, rx, rw) = (layout.bodyTop, layout.bodyHeight, layout.left, layout.rx, layout.rw)
        Checklist.draw(&b, s, theme, x: 0, y: bodyTop, width: left, height: bodyHeight)
        for y in bodyTop..<(bodyTop + bodyHeight) { b.put(s.glyphs.vertical, x: left, y: y, style: theme.frame) }
        switch s.focus {
        case .phases:
            if s.detailMode == .timeline {
                Timeline.draw(&b, s, theme, x: rx, y: bodyTop, width: rw, height: bodyHeight)
            } else {
                PhaseDetail.draw(&b, s, theme, x: rx, y: bodyTop, width: rw, height: bodyHeight)
            }
        case .output: OutputView.draw(&b, s, theme, x: rx, y: bodyTop, width: rw, height: bodyHeight)
        case .schema: SchemaView.draw(&b, s, theme, x: rx, y: bodyTop, width: rw, height: bodyHeight)
        case .toggles: TogglesView.draw(&b, s, theme, x: rx, y: bodyTop, width: rw, height: bodyHeight)
        }
        StatusLine.draw(&b, s, theme, y: s.height - 2)
        Footer.draw(&b, s, theme, y: s.height - 1)
        if s.showHelp { HelpOverlay.draw(&b, s, theme) }
        return b
    }

    /// The checklist keeps its timings when it has the focus or the room; otherwise it
    /// shrinks to glyph + name, and below 100 columns to glyph + number, so the focused
    /// pane (a file tree and its preview, the schema) gets the width.
    static func leftWidth(_ w: Int, focus: Pane) -> Int {
        if w >= 110 { return 40 }
        if focus == .phases { return 37 }
        return w >= 100 ? 27 : Checklist.glyphsOnlyWidth
    }
}

/// Styles for meaning; without colour (NO_COLOR) only bold/dim/reverse remain.
struct Theme {
    let color: Bool
    func fg(_ c: Color) -> Style { color ? Style(fg: c) : .plain }
    var ok: Style { fg(.green) }
    var bad: Style { color ? Style(fg: .red, bold: true) : Style(bold: true) }
    var running: Style { fg(.cyan) }
    var muted: Style { color ? Style(fg: .gray) : Style(dim: true) }
    var accent: Style { fg(.yellow) }
    /// A phase restored from the cache.
    var cached: Style { fg(.blue) }
    var frame: Style { muted }
    var title: Style { Style(bold: true) }
    var bar: Style { Style(reverse: true) }
}

enum Header {
    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme) {
        b.fill(x: 0, y: 0, width: b.width, height: 1, style: t.bar)
        let schema = URL(fileURLWithPath: s.schemaPath).lastPathComponent
        var parts = ["PhaseRunner"]
        switch s.run {
        case .idle: parts.append("ready")
        case .running(let since):
            // Phases finished of all; independent phases run at once, and how many is said.
            let done = s.phases.filter(\.status.isDone).count
            let now = s.phases.filter { $0.status == .running }.count
            let atOnce = now > 1 ? " (\(now) at once)" : ""
            parts.append("\(Spinner.frame(s)) running \(done)/\(s.phases.count)\(atOnce) \(DurationFormat.short(since.duration(to: s.now)))")
        case .finished(let status, let d):
            let glyph = status == .succeeded ? s.glyphs.succeeded : status == .failed ? s.glyphs.failed : s.glyphs.skipped
            parts.append("\(glyph) \(status.rawValue) in \(DurationFormat.short(d))")
        }
        parts.append(Plural.count(s.fileCount, "file"))
        let ran = s.lastRunStandalone ?? s.standalone
        var mode = ran ? "standalone" : "no standalone"
        if ran != s.standalone { mode += " (\(s.standalone ? "on" : "off") next run)" }
        parts.append(mode)
        // The paths come last. When the line is too long, the least useful parts go first
        // (the name, the mode, the file count), then the output folder's start is elided: the
        // folder the run writes to stays on screen at 80 columns.
        let separator = " \(s.glyphs.vertical) "
        let paths = { (out: String) in "\(schema) \(s.glyphs.arrow) \(out)" }
        let minimumPath = min(DisplayWidth.of(s.outputDir), 24)
        var kept = parts
        for drop in [0, 3, 2] where DisplayWidth.of(" " + (kept + [paths(String(s.outputDir.suffix(minimumPath)))]).joined(separator: separator)) > b.width {
            if drop < kept.count { kept[drop] = "" }
        }
        kept = kept.filter { !$0.isEmpty }
        let room = b.width - DisplayWidth.of(" " + (kept + [paths("")]).joined(separator: separator)) - 1
        var out = s.outputDir
        if DisplayWidth.of(out) > room { out = room > 4 ? s.glyphs.ellipsis + String(out.suffix(room - 1)) : "" }
        b.put(" " + (kept + [paths(out)]).joined(separator: separator), x: 0, y: 0, style: t.bar.bolded, maxWidth: b.width)
    }
}

enum Tabs {
    /// Each pane's tab label and the columns it takes on row 1 (one space apart from x = 1).
    static func tabs() -> [(pane: Pane, label: String, columns: Range<Int>)] {
        var x = 1
        return Pane.allCases.map { pane in
            let label = " \(pane.rawValue) \(pane.title) "
            defer { x += DisplayWidth.of(label) + 1 }
            return (pane, label, x..<(x + DisplayWidth.of(label)))
        }
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme) {
        var end = 1
        for tab in tabs() {
            b.put(tab.label, x: tab.columns.lowerBound, y: 1, style: tab.pane == s.focus ? Style(bold: true, reverse: true) : t.muted)
            end = tab.columns.upperBound + 1
        }
        if s.runs > 1 { b.put("run #\(s.runs)", x: max(end + 2, b.width - 10), y: 1, style: t.muted) }
    }
}

enum Spinner {
    static func frame(_ s: AppState) -> String {
        guard case .running(let since) = s.run else { return s.glyphs.spinner[0] }
        let ms = Int(RunReportJSON.msPublic(since.duration(to: s.now)))
        return s.glyphs.spinner[(ms / 80) % s.glyphs.spinner.count]
    }
}

enum StatusLine {
    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, y: Int) {
        var text: String
        var style = t.muted
        if s.output.editingFilter && s.focus == .output {
            text = "filter files: \(s.output.filter)▏  (Enter keep, Esc clear)"
            style = t.accent
        } else if s.schema.editingSearch && s.focus == .schema {
            text = "search: \(s.schema.search)▏  (Enter keep, Esc clear)"
            style = t.accent
        } else if let flash = s.flash {
            text = flash
            style = s.confirmQuit ? t.bad : t.accent
        } else if s.run.isRunning, !s.runningRows.isEmpty {
            text = running(s, width: b.width - 1)
        } else if let r = s.lastReport {
            text = compact(r)
            style = r.status == .succeeded ? t.muted : t.bad
        } else {
            text = "starting…"
        }
        b.put(" " + text, x: 0, y: y, style: style, maxWidth: b.width)
    }
}

extension StatusLine {
    /// The phases running now, oldest first: "running 05 writeFiles, 08 generateOpenAPI…";
    /// those that do not fit are counted ("… +2 more").
    static func running(_ s: AppState, width: Int) -> String {
        let names = s.runningRows.map { "\(String(format: "%02d", s.phases[$0].info.order)) \(s.phases[$0].info.name)" }
        for shown in stride(from: names.count, through: 1, by: -1) {
            let more = shown < names.count ? " +\(names.count - shown) more" : ""
            let text = "running " + names.prefix(shown).joined(separator: ", ") + "…" + more
            if DisplayWidth.of(text) <= width || shown == 1 { return text }
        }
        return "running…"
    }

    /// The last run in one short line (the header already shows the output folder).
    static func compact(_ r: RunReport) -> String {
        guard r.status == .succeeded else {
            return r.status == .cancelled ? "run cancelled; the output folder was not changed" : PlainReporter.summary(r)
        }
        // The commit's count includes the manifest, sealed at commit.
        let total = r.commit.map { $0.written + $0.unchanged } ?? r.filesWritten
        var text = "generated \(Plural.count(total, "file")) in \(DurationFormat.short(r.totalDuration))"
        if let c = r.commit { text += " · \(c.written) written, \(c.unchanged) unchanged, \(c.deleted) removed" }
        return text
    }
}

enum Footer {
    /// Always shown, at any width: how to get help and how to leave.
    static let essential: Set<String> = ["?", "q"]

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, y: Int) {
        b.fill(x: 0, y: y, width: b.width, height: 1, style: t.bar)
        let all = KeyMap.footer(for: s.focus)
        let width = { (k: KeyBinding) in DisplayWidth.of(k.keys) + DisplayWidth.of(" \(k.short)  ") }
        let must = all.filter { essential.contains($0.keys) }
        var room = b.width - 1 - must.reduce(0) { $0 + width($1) }
        var shown: [KeyBinding] = []
        for k in all where !essential.contains(k.keys) {
            // Drop whole items that do not fit rather than cutting them.
            guard width(k) <= room else { continue }
            room -= width(k)
            shown.append(k)
        }
        var x = 1
        for k in shown + must {
            x += b.put(k.keys, x: x, y: y, style: Style(bold: true, reverse: true))
            x += b.put(" \(k.short)  ", x: x, y: y, style: t.bar)
        }
    }
}

enum TooSmall {
    static func draw(_ b: inout CellBuffer, _ s: AppState) {
        let lines = ["Terminal too small: \(s.width)×\(s.height)", "PhaseRunner needs at least 60×15.", "Enlarge the window, or press q to quit."]
        let top = max(0, b.height / 2 - 1)
        for (i, l) in lines.enumerated() {
            let w = DisplayWidth.of(l)
            b.put(l, x: max(0, (b.width - w) / 2), y: top + i, style: i == 0 ? Style(bold: true) : .plain)
        }
    }
}

enum HelpOverlay {
    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme) {
        let rows = KeyMap.bindings.map { ($0.keys, $0.help + ($0.pane.map { " (\($0.title))" } ?? "")) }
            + [("", ""), ("Glyphs", "")] + Legend.rows(s.glyphs)
        let keyW = rows.map { DisplayWidth.of($0.0) }.max() ?? 8
        let w = min(b.width - 4, max(50, keyW + 3 + (rows.map { DisplayWidth.of($0.1) }.max() ?? 20) + 4))
        let h = min(b.height - 2, rows.count + 2)
        let visible = h - 2
        let scroll = min(s.helpScroll, max(0, rows.count - visible))
        let x0 = (b.width - w) / 2, y0 = (b.height - h) / 2
        let more = rows.count > visible ? " · j/k scroll \(scroll + 1)-\(scroll + visible)/\(rows.count)" : ""
        Box.draw(&b, x: x0, y: y0, width: w, height: h, title: "Keys (any key closes\(more))", glyphs: s.glyphs, style: t.title)
        for (i, r) in rows.dropFirst(scroll).prefix(visible).enumerated() {
            b.put(DisplayWidth.pad(r.0, to: keyW), x: x0 + 2, y: y0 + 1 + i, style: Style(bold: true))
            b.put(r.1, x: x0 + 3 + keyW, y: y0 + 1 + i, maxWidth: w - keyW - 5)
        }
    }
}

/// What each checklist glyph means (listed in the help overlay).
enum Legend {
    static func rows(_ g: Glyphs) -> [(String, String)] {
        [(g.pending, "pending, or not run after a failure (the time column says which)"),
         (g.spinner[0], "running (independent phases run at once, each with its spinner)"),
         (g.succeeded, "succeeded (dim: reused from the previous run)"), (g.failed, "failed"), (g.skipped, "skipped"),
         (g.cached, "restored from the phase cache (the time column: how long restoring took)"),
         (g.plugin, "after a phase's name: a plugin phase (an external program)"),
         ("+ / ~", "new / changed since the previous run (Output)"),
         ("\(g.barFull) / \(g.barShade)", "timeline: a phase on the critical path / another phase (t)")]
    }
}

enum Box {
    static func draw(_ b: inout CellBuffer, x: Int, y: Int, width w: Int, height h: Int, title: String, glyphs g: Glyphs, style: Style) {
        b.fill(x: x, y: y, width: w, height: h)
        b.put(g.topLeft + String(repeating: g.horizontal, count: max(0, w - 2)) + g.topRight, x: x, y: y, style: style)
        for yy in (y + 1)..<(y + h - 1) {
            b.put(g.vertical, x: x, y: yy, style: style)
            b.put(g.vertical, x: x + w - 1, y: yy, style: style)
        }
        b.put(g.bottomLeft + String(repeating: g.horizontal, count: max(0, w - 2)) + g.bottomRight, x: x, y: y + h - 1, style: style)
        if !title.isEmpty { b.put(" \(title) ", x: x + 2, y: y, style: style) }
    }
}

/// Word-wraps text to a width (hard-breaking words longer than the width).
enum Wrap {
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in raw.split(separator: " ", omittingEmptySubsequences: false) {
                var w = String(word)
                while DisplayWidth.of(w) > width {
                    if !line.isEmpty { out.append(line); line = "" }
                    let head = String(w.prefix(width))
                    out.append(head)
                    w = String(w.dropFirst(width))
                }
                let candidate = line.isEmpty ? w : line + " " + w
                if DisplayWidth.of(candidate) > width {
                    out.append(line)
                    line = w
                } else {
                    line = candidate
                }
            }
            out.append(line)
        }
        return out
    }
}
