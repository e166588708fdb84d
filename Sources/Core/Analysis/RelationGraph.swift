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
        var seen: Set<String> = []
        let index = Dictionary(schema.models.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        for model in schema.models {
            for f in model.fields {
                guard let r = f.relation, let oppField = r.oppositeField else { continue }
                let a = "\(model.name).\(f.name)", b = "\(r.oppositeModel).\(oppField)"
                guard !seen.contains(a), !seen.contains(b) else { continue }
                seen.insert(a); seen.insert(b)
                let opposite = index[r.oppositeModel].flatMap { schema.models[$0].field(oppField) }
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
