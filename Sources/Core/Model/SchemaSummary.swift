/// A readable, plain-text summary of a schema (`phaserunner inspect`).
public enum SchemaSummary {
    public static func render(_ m: SchemaModel) -> String {
        var out = ""
        if let ds = m.datasources.first {
            out += "datasource \(ds.name): \(ds.provider)\(ds.relationMode.map { " (relationMode \($0))" } ?? "")\n"
        }
        for g in m.generators {
            out += "generator \(g.name): \(g.provider)\(g.previewFeatures.isEmpty ? "" : " [\(g.previewFeatures.joined(separator: ", "))]")\n"
        }
        let relationCount = m.models.reduce(0) { $0 + $1.relationFields.count }
        out += "\(m.models.filter { !$0.isView }.count) models, \(m.models.filter(\.isView).count) views, \(m.enums.count) enums, \(m.compositeTypes.count) composite types, \(relationCount) relation fields\n"
        for model in m.models {
            out += "\n\(model.isView ? "view" : "model") \(model.name)"
            if let db = model.dbName { out += " (table \(db))" }
            if model.isIgnored { out += " [ignored]" }
            out += "\n"
            let width = model.fields.map(\.name.count).max() ?? 0
            let typeWidth = model.fields.map { typeLabel($0).count }.max() ?? 0
            for f in model.fields {
                let type = typeLabel(f).padding(toLength: typeWidth, withPad: " ", startingAt: 0)
                var notes: [String] = []
                if f.isId { notes.append("id") }
                if f.isUnique { notes.append("unique") }
                if let d = f.defaultValue { notes.append("default \(d)") }
                if f.isUpdatedAt { notes.append("updatedAt") }
                if let n = f.nativeType { notes.append("@\(n.prefix).\(n.description)") }
                if let r = f.relation {
                    var rel = "\(r.kind.rawValue) → \(r.oppositeModel)"
                    if let o = r.oppositeField { rel += ".\(o)" }
                    if !r.fields.isEmpty { rel += " via \(r.fields.joined(separator: ", "))" }
                    notes.append(rel)
                }
                out += "  \(f.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(type)"
                if !notes.isEmpty { out += "  " + notes.joined(separator: ", ") }
                while out.hasSuffix(" ") { out.removeLast() }
                out += "\n"
            }
            if let pk = model.primaryKey, !pk.isFieldLevel {
                out += "  @@id(\(pk.fieldNames.joined(separator: ", ")))\n"
            }
            for u in model.indexes where !u.isFieldLevel {
                out += "  @@\(u.kind == .unique ? "unique" : u.kind == .fulltext ? "fulltext" : "index")(\(u.fieldNames.joined(separator: ", ")))\n"
            }
        }
        for e in m.enums {
            out += "\nenum \(e.name): \(e.values.map(\.name).joined(separator: ", "))\n"
        }
        for t in m.compositeTypes {
            out += "\ntype \(t.name): " + t.fields.map { "\($0.name) \($0.type.typeName)\($0.arity == .list ? "[]" : $0.arity == .optional ? "?" : "")" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func typeLabel(_ f: Field) -> String {
        f.type.typeName + (f.arity == .list ? "[]" : f.arity == .optional ? "?" : "")
    }
}
