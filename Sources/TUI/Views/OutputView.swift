import Core

/// The generated files as a collapsible tree (size, new/changed markers) with a preview.
enum OutputView {
    /// The first tree row shown (the selected one is kept in the middle); rows start one line
    /// below the pane's top.
    static func firstVisible(_ s: AppState, height: Int) -> Int {
        max(0, min(s.output.selected - (height - 1) / 2, s.output.rows.count - (height - 1)))
    }

    /// The tree takes what its visible rows need, at most 40% of the pane: the preview gets the
    /// rest (so it stays readable at 80 columns).
    static func treeWidth(_ s: AppState, width: Int, height: Int) -> Int {
        let needed = s.output.rows.dropFirst(firstVisible(s, height: height)).prefix(height - 1).map { 2 * $0.depth + DisplayWidth.of($0.name) + 12 }.max() ?? 24
        return max(24, min(needed, width * 2 / 5))
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        let rows = s.output.rows
        let treeWidth = treeWidth(s, width: width, height: height)
        var header = "Output \(Plural.count(s.fileCount, "file"))"
        if !s.output.filter.isEmpty { header += " · filter \"\(s.output.filter)\" (\(s.output.matchCount))" }
        b.put(header, x: x, y: y, style: t.title, maxWidth: treeWidth)
        if rows.isEmpty {
            let empty = !s.output.filter.isEmpty && !s.output.files.isEmpty ? "no match for '\(s.output.filter)' (Esc clears)"
                : s.run.isRunning ? "generating…" : "nothing generated yet (r runs)"
            b.put(empty, x: x, y: y + 2, style: t.muted, maxWidth: treeWidth)
        }
        let visible = height - 1
        let first = firstVisible(s, height: height)
        for (i, row) in rows.dropFirst(max(0, first)).prefix(visible).enumerated() {
            let index = max(0, first) + i
            let indent = String(repeating: "  ", count: row.depth)
            let marker = row.isDir ? (row.expanded ? s.glyphs.expanded : s.glyphs.collapsed) + " " : "  "
            let change = row.change == .new ? "+" : row.change == .changed ? "~" : " "
            let size = row.isDir ? "\(row.fileCount)" : FileTree.size(row.bytes)
            let nameWidth = treeWidth - DisplayWidth.of(size) - 3
            let label = DisplayWidth.truncateMiddle(row.name + (row.isDir ? "/" : ""), to: max(4, nameWidth - DisplayWidth.of(indent + marker)))
            let name = DisplayWidth.pad(indent + marker + label, to: nameWidth)
            let yy = y + 1 + i
            let selected = index == s.output.selected
            let style: Style = row.isDir ? Style(bold: true) : .plain
            if selected { b.fill(x: x, y: yy, width: treeWidth, height: 1, style: Style(reverse: true)) }
            b.put(change, x: x, y: yy, style: selected ? Style(reverse: true) : (row.change == .new ? t.ok : t.accent))
            b.put(name, x: x + 1, y: yy, style: selected ? style.reversed : style)
            b.put(size, x: x + treeWidth - DisplayWidth.of(size), y: yy, style: selected ? Style(reverse: true) : t.muted)
        }
        // preview
        let px = x + treeWidth + 3, pw = width - treeWidth - 3
        guard pw > 10 else { return }
        for yy in y..<(y + height) { b.put(s.glyphs.vertical, x: px - 2, y: yy, style: t.frame) }
        guard let preview = s.output.preview, rows.indices.contains(s.output.selected), rows[s.output.selected].path == preview.path else {
            b.put(rows.indices.contains(s.output.selected) && rows[s.output.selected].isDir ? (rows[s.output.selected].expanded ? "Enter closes the folder" : "Enter opens the folder") : "", x: px + 1, y: y, style: t.muted)
            return
        }
        let row = rows[s.output.selected]
        if row.change == .changed, s.output.showDiff, let diff = s.output.diff, diff.path == preview.path {
            switch diff.diff {
            case .lines(let lines):
                drawDiff(&b, s, t, path: preview.path, lines: lines, x: px, y: y, width: pw, height: height)
                return
            case .unavailable(let why):
                b.put(preview.path, x: px + 1, y: y, style: t.title, maxWidth: pw - 1)
                b.put("no diff: \(why)", x: px + 1, y: y + 1, style: t.muted, maxWidth: pw - 1)
                drawText(&b, s, t, lines: preview.lines, x: px, y: y + 1, width: pw, height: height - 1)
                return
            }
        }
        b.put(preview.path, x: px + 1, y: y, style: t.title, maxWidth: pw - 1)
        drawText(&b, s, t, lines: preview.lines, x: px, y: y, width: pw, height: height)
    }

    /// The file's lines, numbered, from the preview scroll on.
    static func drawText(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, lines: [String], x px: Int, y: Int, width pw: Int, height: Int) {
        let numberWidth = String(lines.count).count
        let scroll = min(s.output.previewScroll, max(0, lines.count - (height - 1)))
        for (i, line) in lines.dropFirst(scroll).prefix(height - 1).enumerated() {
            let n = String(scroll + i + 1)
            b.put(String(repeating: " ", count: numberWidth - n.count) + n, x: px + 1, y: y + 1 + i, style: t.muted)
            b.put(line.replacingOccurrences(of: "\t", with: "  "), x: px + 2 + numberWidth, y: y + 1 + i, maxWidth: pw - numberWidth - 2)
        }
    }

    /// A changed file as its unified diff against the previous generation: hunk headers, removed
    /// lines in red with `-`, added ones in green with `+`, unchanged context lines.
    static func drawDiff(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, path: String, lines: [UnifiedDiff.Line],
                         x px: Int, y: Int, width pw: Int, height: Int) {
        let added = lines.filter { if case .added = $0 { return true } else { return false } }.count
        let removed = lines.filter { if case .removed = $0 { return true } else { return false } }.count
        // The path gives way (cut in the middle) to what the diff says.
        let summary = lines.isEmpty ? "  same lines as before" : "  +\(added) -\(removed) vs previous"
        let shownPath = DisplayWidth.truncateMiddle(path, to: max(8, pw - 1 - DisplayWidth.of(summary)))
        b.put(shownPath, x: px + 1, y: y, style: t.title, maxWidth: pw - 1)
        b.put(summary, x: px + 1 + DisplayWidth.of(shownPath), y: y, style: t.muted, maxWidth: max(0, pw - 1 - DisplayWidth.of(shownPath)))
        let scroll = min(s.output.previewScroll, max(0, lines.count - (height - 1)))
        for (i, line) in lines.dropFirst(scroll).prefix(height - 1).enumerated() {
            let (text, style): (String, Style)
            switch line {
            case .hunk(let h): (text, style) = (h, t.accent)
            case .same(let l): (text, style) = (" " + l, .plain)
            case .removed(let l): (text, style) = ("-" + l, t.bad)
            case .added(let l): (text, style) = ("+" + l, t.ok)
            }
            b.put(text.replacingOccurrences(of: "\t", with: "  "), x: px + 1, y: y + 1 + i, style: style, maxWidth: pw - 1)
        }
    }
}
