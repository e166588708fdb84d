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
        for model in schema.models {
            for f in model.fields {
                guard let r = f.relation, let oppField = r.oppositeField else { continue }
                let a = "\(model.name).\(f.name)", b = "\(r.oppositeModel).\(oppField)"
                guard !seen.contains(a), !seen.contains(b) else { continue }
                seen.insert(a); seen.insert(b)
                let opposite = schema.model(r.oppositeModel)?.field(oppField)
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

    /// Models ordered so that every model comes after the models its required foreign keys point to
    /// (parents first). Cycles through optional relations are broken there; what is left keeps source order.
    public static func creationOrder(_ schema: SchemaModel) -> [String] {
        let names = schema.models.map(\.name)
        var deps: [String: Set<String>] = [:]
        for m in schema.models {
            var d: Set<String> = []
            for f in m.fields {
                guard let r = f.relation, !r.fields.isEmpty, r.oppositeModel != m.name else { continue }
                let required = r.fields.contains { m.field($0)?.isRequired == true }
                if required { d.insert(r.oppositeModel) }
            }
            deps[m.name] = d
        }
        var order: [String] = []
        var placed: Set<String> = []
        while order.count < names.count {
            var progressed = false
            for n in names where !placed.contains(n) {
                if deps[n, default: []].isSubset(of: placed) {
                    order.append(n); placed.insert(n); progressed = true
                }
            }
            if !progressed, let n = names.first(where: { !placed.contains($0) }) {
                order.append(n); placed.insert(n)
            }
        }
        return order
    }
}
