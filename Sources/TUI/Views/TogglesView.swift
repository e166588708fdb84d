import Core

/// Conditional and optional phases with [x]/[ ], and the standalone switch.
enum TogglesView {
    static let helpText = "space toggles the selected phase · s toggles standalone mode · r re-runs with these settings"

    /// The screen line of the first toggle, for a pane drawn from `y` in `width` columns.
    static func firstToggleLine(y: Int, width: Int) -> Int { y + 4 + Wrap.lines(helpText, width: width).count }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        b.put("Toggles", x: x, y: y, style: t.title)
        let help = Wrap.lines(helpText, width: width)
        for (i, l) in help.enumerated() { b.put(l, x: x, y: y + 1 + i, style: t.muted, maxWidth: width) }
        let top = y + 2 + help.count
        b.put("standalone mode: \(s.standalone ? "on" : "off")", x: x, y: top, style: s.standalone ? t.ok : t.accent, maxWidth: width)
        // What r would change, against the last run (before it is re-run).
        if let change = NextRun.change(s) {
            let lines = Wrap.lines("next run: " + NextRun.summary(change), width: width)
            let below = top + 3 + s.togglePhases.count
            for (i, l) in lines.enumerated() where below + i < y + height {
                b.put(l, x: x, y: below + i, style: change.isEmpty ? t.muted : t.accent, maxWidth: width)
            }
        }
        for (i, info) in s.togglePhases.enumerated() {
            let yy = firstToggleLine(y: y, width: width) + i
            guard yy < y + height else { break }
            let on = s.willRun(info)
            let box = on ? s.glyphs.checked : s.glyphs.unchecked
            var note = info.condition == "always" ? "" : info.condition
            if info.recovery == .continueRun { note = note.isEmpty ? "optional" : note + ", optional" }
            if s.disabledPhases.contains(info.name) { note += note.isEmpty ? "turned off" : " · turned off" }
            if s.enabledPhases.contains(info.name) { note += note.isEmpty ? "forced on" : " · forced on" }
            // What the plan adds: pulled in by a forced phase, or held back by one turned off.
            if let entry = s.planned(info) {
                if let why = entry.runReason, why != "forced on" { note += (note.isEmpty ? "" : " · ") + why }
                if let why = entry.skipReason, why.hasPrefix("needs") { note += (note.isEmpty ? "" : " · ") + why }
            }
            let text = "\(box) \(String(format: "%02d", info.order)) \(DisplayWidth.pad(info.name, to: 22)) \(note)"
            let selected = i == s.toggleSelected
            if selected { b.fill(x: x, y: yy, width: width, height: 1, style: Style(reverse: true)) }
            b.put(text, x: x, y: yy, style: selected ? Style(reverse: true) : (on ? .plain : t.muted), maxWidth: width)
        }
    }
}
