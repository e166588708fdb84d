/// The relations of a validated schema, each listed once with both sides (phase 03).
public struct RelationGraph: Sendable, Hashable, Encodable {
    public struct Side: Sendable, Hashable, Encodable {
        public let model: String
        public let field: String
    }

    public struct Relation: Sendable, Hashable, Encodable {
        public let name: String
        public let kind: RelationKind
        /// The side holding the foreign key (for m:n, the first side in source order).
        public let owner: Side
        public let other: Side
        public let fields: [String]
        public let references: [String]
        public var isSelf: Bool { owner.model == other.model }
    }

    public let relations: [Relation]

    public init(_ schema: SchemaModel) {
        var out: [Relation] = []
        // Fields by position (model, field): each relation is listed at whichever side comes first.
        var seen: Set<FieldPosition> = []
        let index = Dictionary(schema.models.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (mi, model) in schema.models.enumerated() {
            for fi in model.fields.indices {
                guard let r = model.fields[fi].relation, let oppField = r.oppositeField else { continue }
                let a = FieldPosition(model: mi, field: fi)
                let b = index[r.oppositeModel].flatMap { o in
                    schema.models[o].fields.firstIndex { $0.name == oppField }.map { FieldPosition(model: o, field: $0) }
                }
                guard !seen.contains(a), !(b.map(seen.contains) ?? false) else { continue }
                seen.insert(a)
                if let b { seen.insert(b) }
                let opposite = b.map { schema.models[$0.model].fields[$0.field] }
                let ownsHere = !r.fields.isEmpty || (opposite?.relation?.fields.isEmpty ?? true)
                let here = Side(model: model.name, field: model.fields[fi].name), there = Side(model: r.oppositeModel, field: oppField)
                let info = ownsHere ? r : (opposite?.relation ?? r)
                out.append(Relation(name: r.name, kind: r.kind, owner: ownsHere ? here : there, other: ownsHere ? there : here,
                                    fields: info.fields, references: info.references))
            }
        }
        relations = out
    }

    public var count: Int { relations.count }

    public func count(of kind: RelationKind) -> Int { relations.filter { $0.kind == kind }.count }
}

/// A field by position: its model's index in the schema and its own in the model's fields.
private struct FieldPosition: Hashable {
    let model: Int
    let field: Int
}
