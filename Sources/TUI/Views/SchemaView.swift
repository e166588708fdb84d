import Core

/// Models, views and enums on the left; the selected one's fields and relations on the right.
enum SchemaView {
    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        let listWidth = max(18, min(28, width / 3))
        let entities = SchemaExplorer.entities(s.schema)
        b.put(s.schema.search.isEmpty ? "Schema" : "Schema /\(s.schema.search)", x: x, y: y, style: t.title, maxWidth: listWidth)
        guard let model = s.schema.model else {
            b.put("no valid schema yet", x: x, y: y + 2, style: t.muted)
            return
        }
        let visible = height - 1
        let first = max(0, min(s.schema.selected - visible / 2, entities.count - visible))
        for (i, e) in entities.dropFirst(first).prefix(visible).enumerated() {
            let index = first + i
            let label: String
            switch e {
            case .model(let n):
                let m = model.model(n)
                label = "\(m?.isView == true ? "view" : "model") \(n)"
            case .enumeration(let n): label = "enum \(n)"
            }
            let selected = index == s.schema.selected
            let style: Style = selected ? (s.schema.inFields ? Style(bold: true, underline: true) : Style(reverse: true)) : .plain
            if selected && !s.schema.inFields { b.fill(x: x, y: y + 1 + i, width: listWidth, height: 1, style: style) }
            b.put(label, x: x, y: y + 1 + i, style: style, maxWidth: listWidth)
        }
        let dx = x + listWidth + 3, dw = width - listWidth - 3
        for yy in y..<(y + height) { b.put(s.glyphs.vertical, x: dx - 2, y: yy, style: t.frame) }
        guard entities.indices.contains(s.schema.selected) else { return }
        var lines: [(String, Style)] = []
        switch entities[s.schema.selected] {
        case .model(let n):
            guard let m = model.model(n) else { return }
            var title = "\(m.isView ? "view" : "model") \(m.name)"
            if let db = m.dbName { title += " (table \(db))" }
            if !s.schema.back.isEmpty { title += "   \(s.glyphs.arrow) from \(s.schema.back.last!.entity)" }
            lines.append((title, t.title))
            if let doc = ApiModel.description(m.documentation) { lines.append((doc, t.muted)) }
            let nameW = min(18, (m.fields.map { $0.name.count }.max() ?? 4) + 1)
            let typeW = min(16, (m.fields.map { typeLabel($0).count }.max() ?? 4) + 1)
            for f in m.fields {
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
                let text = DisplayWidth.pad(f.name, to: nameW) + DisplayWidth.pad(typeLabel(f), to: typeW) + notes.joined(separator: " ")
                lines.append((text, f.isRelation ? t.accent : .plain))
            }
        case .enumeration(let n):
            guard let e = model.enumType(n) else { return }
            lines.append(("enum \(e.name)", t.title))
            if let doc = ApiModel.description(e.documentation) { lines.append((doc, t.muted)) }
            for v in e.values { lines.append((v.name + (v.dbName.map { "  @map(\"\($0)\")" } ?? ""), .plain)) }
        }
        let header = lines.count > 0 && lines.count > 1 && ApiModel.description({ () -> String? in
            if case .model(let n) = entities[s.schema.selected] { return model.model(n)?.documentation }
            if case .enumeration(let n) = entities[s.schema.selected] { return model.enumType(n)?.documentation }
            return nil
        }()) != nil ? 2 : 1
        let fieldRows = lines.count - header
        let visibleFields = height - header
        let firstField = max(0, min(s.schema.fieldSelected - visibleFields / 2, fieldRows - visibleFields))
        for (i, l) in lines.prefix(header).enumerated() { b.put(l.0, x: dx, y: y + i, style: l.1, maxWidth: dw) }
        for (i, l) in lines.dropFirst(header + firstField).prefix(visibleFields).enumerated() {
            let index = firstField + i
            let yy = y + header + i
            let selected = s.schema.inFields && index == s.schema.fieldSelected
            if selected { b.fill(x: dx, y: yy, width: dw, height: 1, style: Style(reverse: true)) }
            b.put(l.0, x: dx, y: yy, style: selected ? l.1.reversed : l.1, maxWidth: dw)
        }
    }

    static func typeLabel(_ f: Field) -> String {
        f.type.typeName + (f.arity == .list ? "[]" : f.arity == .optional ? "?" : "")
    }
}
