import Core

/// The generated files as a collapsible tree (size, new/changed markers) with a preview.
enum OutputView {
    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        let rows = s.output.rows
        // The tree takes what its visible rows need, at most 40% of the pane: the preview
        // gets the rest (so it stays readable at 80 columns).
        let visibleRange = max(0, min(s.output.selected - (height - 1) / 2, rows.count - (height - 1)))
        let needed = rows.dropFirst(visibleRange).prefix(height - 1).map { 2 * $0.depth + DisplayWidth.of($0.name) + 12 }.max() ?? 24
        let treeWidth = max(24, min(needed, width * 2 / 5))
        var header = "Output \(Plural.count(s.fileCount, "file"))"
        if !s.output.filter.isEmpty { header += " · filter \"\(s.output.filter)\" (\(s.output.matchCount))" }
        b.put(header, x: x, y: y, style: t.title, maxWidth: treeWidth)
        if rows.isEmpty {
            let empty = !s.output.filter.isEmpty && !s.output.files.isEmpty ? "no match for '\(s.output.filter)' (Esc clears)"
                : s.run.isRunning ? "generating…" : "nothing generated yet (r runs)"
            b.put(empty, x: x, y: y + 2, style: t.muted, maxWidth: treeWidth)
        }
        let visible = height - 1
        let first = max(0, min(s.output.selected - visible / 2, rows.count - visible))
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
        b.put(preview.path, x: px + 1, y: y, style: t.title, maxWidth: pw - 1)
        let numberWidth = String(preview.lines.count).count
        let scroll = min(s.output.previewScroll, max(0, preview.lines.count - (height - 1)))
        for (i, line) in preview.lines.dropFirst(scroll).prefix(height - 1).enumerated() {
            let n = String(scroll + i + 1)
            b.put(String(repeating: " ", count: numberWidth - n.count) + n, x: px + 1, y: y + 1 + i, style: t.muted)
            b.put(line.replacingOccurrences(of: "\t", with: "  "), x: px + 2 + numberWidth, y: y + 1 + i, maxWidth: pw - numberWidth - 2)
        }
    }
}
