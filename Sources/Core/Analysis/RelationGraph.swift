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
            for fi in model.fields.indices where model.fields[fi].relation?.oppositeField != nil {
                let f = model.fields[fi]
                guard let r = f.relation, let oppField = r.oppositeField else { continue }
                let oi = index[r.oppositeModel]
                let oj = oi.flatMap { o in schema.models[o].fields.firstIndex { $0.name == oppField } }
                let a = FieldPosition(model: mi, field: fi)
                let b = FieldPosition(model: oi ?? -1, field: oj ?? -1)
                guard !seen.contains(a), oj == nil || !seen.contains(b) else { continue }
                seen.insert(a)
                if oj != nil { seen.insert(b) }
                let opposite = oi.flatMap { o in oj.map { schema.models[o].fields[$0] } }
                let ownsHere = !r.fields.isEmpty || (opposite?.relation?.fields.isEmpty ?? true)
                let here = Side(model: model.name, field: f.name), there = Side(model: r.oppositeModel, field: oppField)
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
