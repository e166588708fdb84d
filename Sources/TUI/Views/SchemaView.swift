import Core

/// Models, views, composite types and enums on the left; the selected one's fields and
/// relations on the right. Columns are sized from the content and the terminal; a name is
/// cut in the middle only when there is truly no room.
enum SchemaView {
    /// (`views`: the names of the schema's views, found once per frame rather than per label.)
    static func label(_ e: SchemaState.Entity, views: Set<String>) -> String {
        switch e {
        case .model(let n): return "\(views.contains(n) ? "view" : "model") \(n)"
        case .composite(let n): return "type \(n)"
        case .enumeration(let n): return "enum \(n)"
        }
    }

    /// The list takes what its longest label needs, up to 40% of the pane.
    static func listWidth(_ entities: [SchemaState.Entity], views: Set<String>, width: Int) -> Int {
        let longest = entities.map { DisplayWidth.of(label($0, views: views)) }.max() ?? 10
        return max(14, min(longest, width * 2 / 5))
    }

    /// The first entity shown (the selected one is kept in the middle); rows start one line below the top.
    static func firstVisible(_ s: AppState, count: Int, height: Int) -> Int {
        max(0, min(s.schema.selected - (height - 1) / 2, count - (height - 1)))
    }

    static func draw(_ b: inout CellBuffer, _ s: AppState, _ t: Theme, x: Int, y: Int, width: Int, height: Int) {
        let entities = SchemaExplorer.entities(s.schema)
        guard let model = s.schema.model else {
            b.put("Schema", x: x, y: y, style: t.title)
            b.put("no valid schema yet", x: x, y: y + 2, style: t.muted)
            return
        }
        let views = Set(model.models.lazy.filter(\.isView).map(\.name))
        let listWidth = listWidth(entities, views: views, width: width)
        var title = s.schema.search.isEmpty ? "Schema" : "Schema /\(s.schema.search)"
        if s.schema.stale { title += " (stale)" }
        b.put(title, x: x, y: y, style: s.schema.stale ? t.accent : t.title, maxWidth: listWidth)
        if entities.isEmpty && !s.schema.search.isEmpty {
            b.put("no match for '\(s.schema.search)' (Esc clears)", x: x, y: y + 2, style: t.muted, maxWidth: width)
            return
        }
        let visible = height - 1
        let first = firstVisible(s, count: entities.count, height: height)
        for (i, e) in entities.dropFirst(first).prefix(visible).enumerated() {
            let index = first + i
            let selected = index == s.schema.selected
            let style: Style = selected ? (s.schema.inFields ? Style(bold: true, underline: true) : Style(reverse: true)) : .plain
            if selected && !s.schema.inFields { b.fill(x: x, y: y + 1 + i, width: listWidth, height: 1, style: style) }
            b.put(DisplayWidth.truncateMiddle(label(e, views: views), to: listWidth), x: x, y: y + 1 + i, style: style)
        }
        let dx = x + listWidth + 3, dw = width - listWidth - 3
        for yy in y..<(y + height) { b.put(s.glyphs.vertical, x: dx - 2, y: yy, style: t.frame) }
        guard entities.indices.contains(s.schema.selected) else { return }
        if s.schema.showMap, case .model(let name) = entities[s.schema.selected], let m = model.model(name) {
            RelationMap.draw(&b, s, t, model: m, x: dx, y: y, width: dw, height: height)
            return
        }
        // Rows are items (fields, endpoints, files, references) and the section titles between
        // them; the selected item is kept in view. Field rows come first, one per field, so
        // where the view starts is known before any is written: only the shown ones are.
        let (header, outline) = detail(entities[s.schema.selected], s, model, width: dw, theme: t, fieldWindow: 0..<0)
        let visibleRows = max(1, height - header.count)
        let selectedLine = outline.firstIndex { $0.item == s.schema.fieldSelected } ?? 0
        let firstRow = max(0, min(selectedLine - visibleRows / 2, outline.count - visibleRows))
        let (_, rows) = detail(entities[s.schema.selected], s, model, width: dw, theme: t, fieldWindow: firstRow..<(firstRow + visibleRows))
        for (i, l) in header.prefix(height).enumerated() { b.put(l.0, x: dx, y: y + i, style: l.1, maxWidth: dw) }
        for (i, l) in rows.dropFirst(firstRow).prefix(visibleRows).enumerated() {
            let yy = y + header.count + i
            guard yy < y + height else { break }
            let selected = s.schema.inFields && l.item != nil && l.item == s.schema.fieldSelected
            if selected { b.fill(x: dx, y: yy, width: dw, height: 1, style: Style(reverse: true)) }
            b.put(l.text, x: dx, y: yy, style: selected ? l.style.reversed : l.style, maxWidth: dw)
        }
    }

    /// A line of the detail: an item's (its position among `SchemaExplorer.items`) or a section title's.
    struct Line {
        var text: String
        var style: Style
        var item: Int?
    }

    /// What the generator makes of a model, after its fields: endpoints (method and path),
    /// generated files (with their size), and the fields of other models that point at it.
    static func generatedRows(_ name: String, _ s: AppState, first: Int, width: Int, theme t: Theme) -> [Line] {
        var out: [Line] = []
        var item = first
        func section(_ title: String, _ count: Int) {
            out.append(Line(text: "", style: .plain, item: nil))
            out.append(Line(text: "\(title) (\(count))", style: t.title, item: nil))
        }
        let endpoints = s.schema.endpoints[name] ?? []
        if !endpoints.isEmpty {
            section("Endpoints", endpoints.count)
            let methodWidth = endpoints.map { DisplayWidth.of($0.method) }.max() ?? 6
            for e in endpoints {
                out.append(Line(text: DisplayWidth.pad(e.method, to: methodWidth + 1) + e.path, style: .plain, item: item))
                item += 1
            }
        }
        let files = SchemaExplorer.files(of: name, in: s.output)
        if !files.isEmpty {
            section("Files", files.count)
            for f in files {
                let size = FileTree.size(f.bytes)
                let room = max(8, width - DisplayWidth.of(size) - 2)
                out.append(Line(text: DisplayWidth.pad(DisplayWidth.truncateMiddle(f.path, to: room), to: room + 2) + size, style: t.accent, item: item))
                item += 1
            }
        } else if s.schema.endpoints[name] != nil {
            out.append(Line(text: "", style: .plain, item: nil))
            out.append(Line(text: "Files: none yet (r runs the generator)", style: t.muted, item: nil))
        }
        let refs = s.schema.referencedBy[name] ?? []
        if !refs.isEmpty {
            section("Referenced by", refs.count)
            for r in refs {
                out.append(Line(text: "\(r.model).\(r.field)", style: t.accent, item: item))
                item += 1
            }
        }
        return out
    }

    /// The title and wrapped doc comment, then one row per field or value (and for a model,
    /// what the generator makes of it).
    /// (`fieldWindow`: the field rows whose text is wanted; the others are left empty.)
    static func detail(_ e: SchemaState.Entity, _ s: AppState, _ model: SchemaModel, width: Int, theme t: Theme,
                       fieldWindow: Range<Int>? = nil) -> ([(String, Style)], [Line]) {
        var header: [(String, Style)] = []
        var rows: [Line] = []
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
            rows = fieldRows(fields, s, width: width, theme: t, only: fieldWindow).enumerated().map { Line(text: $1.0, style: $1.1, item: $0) }
        }
        switch e {
        case .model(let n):
            guard let m = model.model(n) else { break }
            fielded("\(m.isView ? "view" : "model") \(m.name)" + (m.dbName.map { " (table \($0))" } ?? ""), m.documentation, m.fields)
            rows += generatedRows(n, s, first: m.fields.count, width: width, theme: t)
        case .composite(let n):
            guard let c = model.compositeType(n) else { break }
            fielded("type \(c.name)", c.documentation, c.fields)
        case .enumeration(let n):
            guard let en = model.enumType(n) else { break }
            header.append(("enum \(en.name)", t.title))
            doc(en.documentation)
            rows = en.values.enumerated().map { Line(text: $1.name + ($1.dbName.map { "  @map(\"\($0)\")" } ?? ""), style: .plain, item: $0) }
        }
        return (header, rows)
    }

    /// Name, type and notes in columns sized from the content (two spaces between them). The
    /// notes go first when room runs out (cut at the edge); the name and type columns give way
    /// only when they alone would leave the notes fewer than 14 columns — the type first (a
    /// long `Unsupported(…)` type must not cut every field name), then the name.
    static func fieldRows(_ fields: [Field], _ s: AppState, width: Int, theme t: Theme, only: Range<Int>? = nil) -> [(String, Style)] {
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
        return fields.indices.map { i in
            if let only, !only.contains(i) { return ("", .plain) }
            let f = fields[i]
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
