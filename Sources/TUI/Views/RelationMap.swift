import Core

/// The selected model's relations as a small graph (`m` in the Schema pane): the model as a
/// box on the left, a box per related model on the right, each joined to it by an edge that
/// says the cardinality from this side (1:1, 1:n, n:1, m:n) and names the two fields; a
/// self-relation loops back to the model itself. ↑/↓ choose a relation, Enter goes to the
/// related model's map.
enum RelationMap {
    /// One relation of the model, as the map draws it.
    struct Edge: Hashable {
        let field: String
        let target: String
        let opposite: String?
        let label: String
    }

    /// The model's relation fields, in field order.
    static func edges(_ model: Model) -> [Edge] {
        model.fields.compactMap { f in
            guard case .model(let target) = f.type, let r = f.relation else { return nil }
            let label: String
            switch r.kind {
            case .manyToMany: label = "m:n"
            case .oneToOne: label = "1:1"
            case .oneToMany: label = f.isList ? "1:n" : "n:1"
            }
            return Edge(field: f.name, target: target, opposite: r.oppositeField, label: label)
        }
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, model: Model, x: Int, y: Int, width: Int, height: Int) {
        let g = s.glyphs
        let edges = edges(model)
        b.put("relations of \(model.name)", x: x, y: y, style: t.title, maxWidth: width)
        b.put("↑/↓ choose · Enter go to it · m fields", x: x, y: y + 1, style: t.muted, maxWidth: width)
        guard !edges.isEmpty else {
            b.put("\(model.name) has no relation fields", x: x, y: y + 3, style: t.muted, maxWidth: width)
            return
        }
        let top = y + 3
        // Three rows a relation (a box); the chosen one kept in view.
        let perPage = max(1, (height - 3) / 3)
        let selected = min(s.schema.mapSelected, edges.count - 1)
        let first = max(0, min(selected - perPage / 2, edges.count - perPage))
        let shown = Array(edges.enumerated().dropFirst(first).prefix(perPage))
        // The model's box spans every shown relation.
        let name = DisplayWidth.truncateMiddle(model.name, to: max(4, width / 4))
        let leftWidth = DisplayWidth.of(name) + 4
        let boxHeight = shown.count * 3
        Box.draw(&b, x: x, y: top, width: leftWidth, height: boxHeight, title: "", glyphs: g, style: t.accent)
        b.put(name, x: x + 2, y: top + boxHeight / 2, style: t.title)
        let edgeX = x + leftWidth - 1
        let targetX = edgeX + 16
        let targetWidth = max(8, min(width - (targetX - x) - 1, (shown.map { DisplayWidth.of($0.element.target) }.max() ?? 4) + 4))
        for (row, (index, edge)) in shown.enumerated() {
            let mid = top + row * 3 + 1
            let chosen = index == selected
            let style = chosen ? t.title.reversed : .plain
            if edge.target == model.name {
                // A self-relation: a loop out of the box and back.
                b.put(g.teeRight, x: edgeX, y: mid, style: t.accent)
                b.put(String(repeating: g.horizontal, count: 3) + " \(edge.label) self ", x: edgeX + 1, y: mid, style: chosen ? style : t.muted)
                b.put("\(edge.field) \(g.loop) \(edge.opposite ?? "?")", x: targetX, y: mid, style: style, maxWidth: max(0, width - (targetX - x)))
                continue
            }
            b.put(g.teeRight, x: edgeX, y: mid, style: t.accent)
            let line = String(repeating: g.horizontal, count: 2) + " \(edge.label) " + String(repeating: g.horizontal, count: max(1, targetX - edgeX - 8))
            b.put(line, x: edgeX + 1, y: mid, style: chosen ? t.accent.bolded : t.muted)
            Box.draw(&b, x: targetX, y: mid - 1, width: targetWidth, height: 3, title: "", glyphs: g, style: chosen ? t.accent.bolded : t.frame)
            b.put(g.teeLeft, x: targetX, y: mid, style: chosen ? t.accent.bolded : t.frame)
            b.put(DisplayWidth.truncateMiddle(edge.target, to: targetWidth - 4), x: targetX + 2, y: mid, style: chosen ? t.title : .plain)
            let fields = "\(edge.field) \(g.arrow) \(edge.target).\(edge.opposite ?? "?")"
            let fx = targetX + targetWidth + 1
            if fx < x + width { b.put(fields, x: fx, y: mid, style: chosen ? t.title : t.muted, maxWidth: x + width - fx) }
        }
        if edges.count > perPage {
            b.put("\(first + 1)-\(first + shown.count) of \(edges.count)", x: x, y: top + boxHeight, style: t.muted, maxWidth: width)
        }
    }
}
