import Foundation

/// What the generated API exposes, decided once from the validated schema and
/// shared by every emitter (so routes, OpenAPI and tests can never disagree).
public struct ApiPlan: Sendable {
    public let schema: SchemaModel
    public let models: [ApiModel]
    public let relations: RelationGraph
    /// Models with no API, and why (for logs and the README).
    public let excluded: [(model: String, reason: String)]
    /// Position in `models` by model name (emitters look targets up once per relation).
    private let indexByName: [String: Int]
    /// Position in `models` by kebab-case name (the first model wins when two share one).
    private let indexByKebab: [String: Int]
    /// Position in `schema.models` by name (with or without an API).
    private let schemaIndexByName: [String: Int]
    /// Fingerprints computed on first use (see `ownModelFingerprints()`).
    let memo: ApiPlanMemo

    public init(schema: SchemaModel, relations: RelationGraph? = nil) {
        self.init(schema: schema, relations: relations, schemaModelFingerprints: nil)
    }

    /// A plan whose schema's model fingerprints are known (`SchemaModel.modelFingerprints()`).
    init(schema: SchemaModel, relations: RelationGraph?, schemaModelFingerprints: [Fingerprint]?) {
        memo = ApiPlanMemo(schemaModels: schemaModelFingerprints?.count == schema.models.count ? schemaModelFingerprints : nil)
        self.schema = schema
        self.relations = relations ?? RelationGraph(schema)
        var models: [ApiModel] = []
        var excluded: [(String, String)] = []
        var included: [Model] = []
        for m in schema.models {
            if m.isIgnored { excluded.append((m.name, "@@ignore")); continue }
            if ApiModel.docDirective(m.documentation, "api") == "none" { excluded.append((m.name, "/// @api none")); continue }
            included.append(m)
        }
        let names = Set(included.map(\.name))
        // Whether each model is ignored, by name (relation fields look their targets up).
        let ignored = Dictionary(schema.models.map { ($0.name, $0.isIgnored) }, uniquingKeysWith: { first, _ in first })
        // Each model's API on its own (on all cores); then routes made unique in model order.
        let built = ResultSlots<ApiModel>(count: included.count)
        let toBuild = included
        DispatchQueue.concurrentPerform(iterations: toBuild.count) { i in
            built[i] = ApiModel(toBuild[i], ignored: ignored, apiModels: names)
        }
        var usedRoutes: Set<String> = []
        for i in included.indices {
            guard var api = built[i] else { continue }
            // Two models with the same plural (Person, People) must not share a mount point.
            if usedRoutes.contains(api.route) { api.route = api.kebab }
            var n = 2
            while usedRoutes.contains(api.route) { api.route = "\(api.kebab)-\(n)"; n += 1 }
            usedRoutes.insert(api.route)
            models.append(api)
        }
        self.models = models
        self.excluded = excluded
        // Model names are unique in a valid schema; should one repeat, the first wins (as a scan would find it).
        self.indexByName = Dictionary(models.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.indexByKebab = Dictionary(models.enumerated().map { ($1.kebab, $0) }, uniquingKeysWith: { first, _ in first })
        self.schemaIndexByName = Dictionary(schema.models.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func model(_ name: String) -> ApiModel? { indexByName[name].map { models[$0] } }
    /// The first model whose folder is `kebab`.
    func model(kebab: String) -> ApiModel? { indexByKebab[kebab].map { models[$0] } }
    /// For every schema model, the models its required to-one relation fields point at (its
    /// required parents), computed once per plan.
    var requiredParents: [String: [String]] {
        memo.requiredParents {
            var out: [String: [String]] = [:]
            for m in schema.models where out[m.name] == nil {
                out[m.name] = m.fields.compactMap { f in
                    guard f.isRequired, !f.isList, case .model(let t) = f.type else { return nil }
                    return t
                }
            }
            return out
        }
    }

    /// The schema's model `name`, with or without an API (as `schema.model(name)`, without a scan).
    public func schemaModel(_ name: String) -> Model? { schemaIndexByName[name].map { schema.models[$0] } }

    /// The environment variable that holds the database URL: the datasource's own
    /// `url = env("…")`, else `DATABASE_URL` (a literal `url` or a Prisma 7 datasource without one).
    public var databaseURLVariable: String {
        if let url = schema.datasources.first?.url, url.hasPrefix("env("), url.hasSuffix(")") {
            let name = String(url.dropFirst(4).dropLast())
            if !name.isEmpty { return name }
        }
        return "DATABASE_URL"
    }

    /// A literal `url = "…"` of the datasource, if the schema spells one out.
    public var literalDatabaseURL: String? {
        guard let url = schema.datasources.first?.url, !url.hasPrefix("env(") else { return nil }
        return url
    }
    public var hasEnums: Bool { !schema.enums.isEmpty }
    public var hasCompositeTypes: Bool { !schema.compositeTypes.isEmpty }
}

/// What the manifest says about the plan: which models have an API and which have none, and
/// why. Small and storable, so the manifest needs neither the plan nor the schema.
public struct ApiSummary: Sendable, Hashable, Codable {
    public struct Excluded: Sendable, Hashable, Codable {
        public let model: String
        public let reason: String
    }
    public let models: [String]
    public let excluded: [Excluded]

    public init(_ plan: ApiPlan) {
        models = plan.models.map(\.name)
        excluded = plan.excluded.map { Excluded(model: $0.model, reason: $0.reason) }
    }
}

/// One model's API: names, the key that addresses a row, and which fields go where.
public struct ApiModel: Sendable {
    public let model: Model
    public var name: String { model.name }
    /// `user-profile`: folder and file names.
    public let kebab: String
    /// `UserProfile`: type names.
    public let pascal: String
    /// `userProfile`: value names.
    public let camel: String
    /// `user-profiles`: the URL segment under `/api`.
    public internal(set) var route: String
    /// Prisma client delegate (`prisma.userProfile`): the model name with its first letter lowered.
    public let delegate: String
    /// Fields that address one row (primary key, else the first all-required unique), in order.
    public let key: [Field]
    /// Prisma's `where` name for a compound key (`a_b` or the custom `name:`); nil for a single field.
    public let compoundKeyName: String?
    public let isReadOnly: Bool
    /// Scalar, enum and composite fields the client exposes (no relations, no @ignore, no Unsupported).
    public let scalars: [Field]
    /// Fields never returned or filtered on (password, hash, secret, token, `/// @hidden`).
    public let hidden: Set<String>
    /// Relation fields usable in `include` and nested reads.
    public let relations: [Field]
    /// All unique criteria (for `connect`): each a list of fields and the `where` name for compounds.
    public let uniqueCriteria: [(fields: [Field], name: String?)]
    /// Relations whose foreign key lives on this model.
    /// (MongoDB many-to-many relations also list `fields`, on both sides; they are not owned.)
    public let ownedRelations: [Field]
    public let manyToMany: [Field]
    /// Foreign-key scalar fields (set through their relation).
    public let foreignKeyFields: Set<String>
    /// Fields a client may write on create: not @updatedAt, and only ids it may set (`isClientSettable`).
    /// (A `var`: it is worked out by a method, once every other property is set.)
    public private(set) var writable: [Field] = []

    /// `ignored`: whether each of the schema's models is `@@ignore`d, by name.
    init(_ m: Model, ignored: [String: Bool], apiModels: Set<String>) {
        model = m
        kebab = Naming.kebab(m.name)
        pascal = Naming.pascal(m.name)
        camel = Naming.identifier(m.name)
        route = Naming.routeSegment(m.name)
        delegate = m.name.prefix(1).lowercased() + m.name.dropFirst()
        isReadOnly = m.isView
        let usable: (Field) -> Bool = { f in
            if f.isIgnored { return false }
            if case .unsupported = f.type { return false }
            if case .model(let t) = f.type, ignored[t] ?? true { return false }
            return true
        }
        scalars = m.fields.filter { usable($0) && !$0.isRelation }
        // Relations to models without an API (`/// @api none`) are left out; their foreign keys stay plain fields.
        relations = m.fields.filter {
            guard usable($0), case .model(let t) = $0.type else { return false }
            return apiModels.contains(t)
        }
        var criteria: [(fields: [Field], name: String?)] = []
        func add(_ idx: IndexDefinition) {
            let fields = idx.fieldNames.compactMap { m.field($0) }
            guard fields.count == idx.fields.count, !fields.isEmpty,
                  fields.allSatisfy({ $0.isRequired && usable($0) }) else { return }
            let name = fields.count > 1 ? (idx.name ?? idx.fieldNames.joined(separator: "_")) : nil
            if !criteria.contains(where: { $0.fields.map(\.name) == fields.map(\.name) }) { criteria.append((fields, name)) }
        }
        if let pk = m.primaryKey { add(pk) }
        // (A partial unique holds only for the rows its condition selects: no key to look a row up by.)
        for u in m.indexes where u.kind == .unique && u.condition == nil { add(u) }
        uniqueCriteria = criteria
        key = criteria.first?.fields ?? []
        compoundKeyName = criteria.first?.name
        let keyNames = Set(key.map(\.name))
        hidden = Set(m.fields.filter { ApiModel.isSensitive($0) && !keyNames.contains($0.name) }.map(\.name))
        // Worked out once: every emitter asks for these, many times per model.
        ownedRelations = relations.filter { !$0.isList && !($0.relation?.fields.isEmpty ?? true) }
        manyToMany = relations.filter { $0.relation?.kind == .manyToMany }
        foreignKeyFields = Set(ownedRelations.flatMap { $0.relation?.fields ?? [] })
        writable = scalars.filter { !$0.isUpdatedAt && isClientSettable($0) }
    }

    /// Visible scalar fields (what responses carry).
    public var visible: [Field] { scalars.filter { !hidden.contains($0.name) } }
    public var hasKey: Bool { !key.isEmpty }

    /// An owned relation can be cleared on update when every foreign-key field is optional.
    public func canDisconnect(_ r: Field) -> Bool {
        guard let fks = r.relation?.fields, !fks.isEmpty, !r.isRequired else { return false }
        return fks.allSatisfy { model.field($0)?.isRequired == false }
    }

    /// List relations that get `GET /:key/<relation>`.
    public var listRelations: [Field] { relations.filter(\.isList) }

    /// Whether a client may send this field. Never a sequence (`autoincrement()`, `sequence()`):
    /// an explicit value does not advance it, so later inserts collide. A key or unique field
    /// whose default generates it (`uuid()`, `cuid()`, `nanoid()`, `ulid()`, `auto()`,
    /// `dbgenerated(…)`) only when its doc comment opts in with `/// @writable`.
    public func isClientSettable(_ f: Field) -> Bool {
        switch f.defaultValue {
        case .autoincrement?, .sequence?:
            return false
        case .uuid?, .cuid?, .nanoid?, .ulid?, .auto?, .dbgenerated?:
            let identifying = f.isId || f.isUnique || key.contains { $0.name == f.name }
                || model.primaryKey?.fieldNames.contains(f.name) == true
            return !identifying || ApiModel.docDirective(f.documentation, "writable") != nil
        default:
            return true
        }
    }

    /// Whether a field gets query-string filters.
    public func isFilterable(_ f: Field) -> Bool {
        guard !hidden.contains(f.name), !f.isList else { return false }
        if ApiModel.reservedQueryNames.contains(f.name) { return false }
        switch f.type {
        case .scalar(let s): return s != .json && s != .bytes
        case .enumeration: return true
        default: return false
        }
    }

    public func isSortable(_ f: Field) -> Bool { isFilterable(f) }

    public static let reservedQueryNames: Set<String> = ["skip", "take", "orderBy", "include"]

    static let sensitiveWords: Set<String> = ["password", "passwd", "hash", "secret", "token", "salt"]

    public static func isSensitive(_ f: Field) -> Bool {
        if docDirective(f.documentation, "hidden") != nil { return true }
        if Naming.containsASCII(f.name.lowercased(), "password") { return true }
        return !Naming.words(f.name).filter { sensitiveWords.contains($0) }.isEmpty
    }

    /// `/// @name value` in a doc comment: the value (empty string when there is none).
    public static func docDirective(_ doc: String?, _ name: String) -> String? {
        guard let doc else { return nil }
        for line in doc.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == "@\(name)" { return "" }
            if t.hasPrefix("@\(name) ") { return String(t.dropFirst(name.count + 2)).trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// The doc comment without `@…` directive lines (for TSDoc and OpenAPI descriptions).
    public static func description(_ doc: String?) -> String? {
        guard let doc else { return nil }
        // The usual doc comment (ASCII, no `@`, nothing to trim) is its own description.
        let utf8 = doc.utf8
        let blank: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        if let first = utf8.first, let last = utf8.last, !blank(first), !blank(last),
           utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "@") }) {
            return doc
        }
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("@") }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
