import Core

/// Models, views, composite types and enums on the left; the selected one's fields and
/// relations on the right. Columns are sized from the content and the terminal; a name is
/// cut in the middle only when there is truly no room.
enum SchemaView {
    static func label(_ e: SchemaState.Entity, _ model: SchemaModel) -> String {
        switch e {
        case .model(let n): return "\(model.model(n)?.isView == true ? "view" : "model") \(n)"
        case .composite(let n): return "type \(n)"
        case .enumeration(let n): return "enum \(n)"
        }
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        let entities = SchemaExplorer.entities(s.schema)
        guard let model = s.schema.model else {
            b.put("Schema", x: x, y: y, style: t.title)
            b.put("no valid schema yet", x: x, y: y + 2, style: t.muted)
            return
        }
        // The list takes what its longest label needs, up to 40% of the pane.
        let longest = entities.map { DisplayWidth.of(label($0, model)) }.max() ?? 10
        let listWidth = max(14, min(longest, width * 2 / 5))
        var title = s.schema.search.isEmpty ? "Schema" : "Schema /\(s.schema.search)"
        if s.schema.stale { title += " (stale)" }
        b.put(title, x: x, y: y, style: s.schema.stale ? t.accent : t.title, maxWidth: listWidth)
        if entities.isEmpty && !s.schema.search.isEmpty {
            b.put("no match for '\(s.schema.search)' (Esc clears)", x: x, y: y + 2, style: t.muted, maxWidth: width)
            return
        }
        let visible = height - 1
        let first = max(0, min(s.schema.selected - visible / 2, entities.count - visible))
        for (i, e) in entities.dropFirst(first).prefix(visible).enumerated() {
            let index = first + i
            let selected = index == s.schema.selected
            let style: Style = selected ? (s.schema.inFields ? Style(bold: true, underline: true) : Style(reverse: true)) : .plain
            if selected && !s.schema.inFields { b.fill(x: x, y: y + 1 + i, width: listWidth, height: 1, style: style) }
            b.put(DisplayWidth.truncateMiddle(label(e, model), to: listWidth), x: x, y: y + 1 + i, style: style)
        }
        let dx = x + listWidth + 3, dw = width - listWidth - 3
        for yy in y..<(y + height) { b.put(s.glyphs.vertical, x: dx - 2, y: yy, style: t.frame) }
        guard entities.indices.contains(s.schema.selected) else { return }
        let (header, rows) = detail(entities[s.schema.selected], s, model, width: dw, theme: t)
        let visibleRows = max(1, height - header.count)
        let firstRow = max(0, min(s.schema.fieldSelected - visibleRows / 2, rows.count - visibleRows))
        for (i, l) in header.prefix(height).enumerated() { b.put(l.0, x: dx, y: y + i, style: l.1, maxWidth: dw) }
        for (i, l) in rows.dropFirst(firstRow).prefix(visibleRows).enumerated() {
            let index = firstRow + i
            let yy = y + header.count + i
            guard yy < y + height else { break }
            let selected = s.schema.inFields && index == s.schema.fieldSelected
            if selected { b.fill(x: dx, y: yy, width: dw, height: 1, style: Style(reverse: true)) }
            b.put(l.0, x: dx, y: yy, style: selected ? l.1.reversed : l.1, maxWidth: dw)
        }
    }

    /// The title and wrapped doc comment, then one row per field or value.
    static func detail(_ e: SchemaState.Entity, _ s: AppState, _ model: SchemaModel, width: Int, theme t: Theme) -> ([(String, Style)], [(String, Style)]) {
        var header: [(String, Style)] = []
        var rows: [(String, Style)] = []
        func doc(_ text: String?) {
            guard let d = ApiModel.description(text) else { return }
            // Doc comment lines are separate lines of text: wrap each, never join them.
            for l in Wrap.lines(d, width: width) { header.append((l, t.muted)) }
        }
        /// A model or composite type: its title (and where Enter came from), doc, fields.
        func fielded(_ title: String, _ documentation: String?, _ fields: [Field]) {
            let from = s.schema.back.last.map { "   \(s.glyphs.arrow) from \($0.entity)" } ?? ""
            header.append((title + from, t.title))
            doc(documentation)
            rows = fieldRows(fields, s, width: width, theme: t)
        }
        switch e {
        case .model(let n):
            guard let m = model.model(n) else { break }
            fielded("\(m.isView ? "view" : "model") \(m.name)" + (m.dbName.map { " (table \($0))" } ?? ""), m.documentation, m.fields)
        case .composite(let n):
            guard let c = model.compositeType(n) else { break }
            fielded("type \(c.name)", c.documentation, c.fields)
        case .enumeration(let n):
            guard let en = model.enumType(n) else { break }
            header.append(("enum \(en.name)", t.title))
            doc(en.documentation)
            rows = en.values.map { ($0.name + ($0.dbName.map { "  @map(\"\($0)\")" } ?? ""), .plain) }
        }
        return (header, rows)
    }

    /// Name, type and notes in columns sized from the content (two spaces between them). The
    /// notes go first when room runs out (cut at the edge); the name and type columns give way
    /// only when they alone would leave the notes fewer than 14 columns — the type first (a
    /// long `Unsupported(…)` type must not cut every field name), then the name.
    static func fieldRows(_ fields: [Field], _ s: AppState, width: Int, theme t: Theme) -> [(String, Style)] {
        let gap = 2
        var nameW = fields.map { DisplayWidth.of($0.name) }.max() ?? 4
        var typeW = fields.map { DisplayWidth.of(typeLabel($0)) }.max() ?? 4
        let budget = max(20, width - 14)
        if nameW + typeW + 2 * gap > budget {
            let sortedTypes = fields.map { DisplayWidth.of(typeLabel($0)) }.sorted()
            // Size the type column for most fields (the 90th percentile), not the one outlier.
            let typical = sortedTypes[min(sortedTypes.count - 1, sortedTypes.count * 9 / 10)]
            typeW = max(8, min(typeW, max(typical, budget - nameW - 2 * gap)))
            if nameW + typeW + 2 * gap > budget { nameW = max(8, budget - typeW - 2 * gap) }
        }
        return fields.map { f in
            var notes: [String] = []
            if f.isId { notes.append("@id") }
            if f.isUnique { notes.append("@unique") }
            if let d = f.defaultValue { notes.append("@default(\(d))") }
            if f.isUpdatedAt { notes.append("@updatedAt") }
            if let db = f.dbName { notes.append("@map(\"\(db)\")") }
            if f.isIgnored { notes.append("@ignore") }
            if let r = f.relation {
                notes.append("\(r.kind.rawValue) \(s.glyphs.arrow) \(r.oppositeModel)\(r.oppositeField.map { ".\($0)" } ?? "")")
                if !r.fields.isEmpty { notes.append("via \(r.fields.joined(separator: ", "))") }
                if let d = r.onDelete { notes.append("onDelete: \(d.rawValue)") }
            }
            let name = DisplayWidth.pad(DisplayWidth.truncateMiddle(f.name, to: nameW), to: nameW + gap)
            let type = DisplayWidth.pad(DisplayWidth.truncateMiddle(typeLabel(f), to: typeW), to: typeW + gap)
            let followable: Bool
            switch f.type {
            case .model, .composite: followable = true
            default: followable = false
            }
            return (name + type + notes.joined(separator: " "), followable ? t.accent : .plain)
        }
    }

    static func typeLabel(_ f: Field) -> String {
        f.type.typeName + (f.arity == .list ? "[]" : f.arity == .optional ? "?" : "")
    }
}
