/// The names databases give constraints (primary keys, unique constraints and indexes, foreign
/// keys, SQL Server's default constraints), given with `map:` or made as Prisma makes them
/// (`User_pkey`, `User_email_key`, `Post_authorId_fkey`, …), and the rules they must follow:
/// unique in the namespaces the database has (global or per table, by kind), and no longer
/// than the database allows. Messages and places are Prisma's.
enum ConstraintNames {
    /// A namespace a database keeps constraint names in.
    enum Scope: CaseIterable {
        case globalKeyIndex, globalForeignKey, globalPrimaryKeyKeyIndex, globalPrimaryKeyForeignKeyDefault
        case modelKeyIndex, modelPrimaryKeyKeyIndex, modelPrimaryKeyKeyIndexForeignKey

        var isGlobal: Bool {
            switch self {
            case .globalKeyIndex, .globalForeignKey, .globalPrimaryKeyKeyIndex, .globalPrimaryKeyForeignKeyDefault: return true
            default: return false
            }
        }

        func description(model: String) -> String {
            switch self {
            case .globalKeyIndex: return "global for indexes and unique constraints"
            case .globalForeignKey: return "global for foreign keys"
            case .globalPrimaryKeyKeyIndex: return "global for primary key, indexes and unique constraints"
            case .globalPrimaryKeyForeignKeyDefault: return "global for primary keys, foreign keys and default constraints"
            case .modelKeyIndex: return "on model `\(model)` for indexes and unique constraints"
            case .modelPrimaryKeyKeyIndex: return "on model `\(model)` for primary key, indexes and unique constraints"
            case .modelPrimaryKeyKeyIndexForeignKey: return "on model `\(model)` for primary key, indexes, unique constraints and foreign keys"
            }
        }
    }

    enum Kind {
        case primaryKey, index, foreignKey, defaultValue

        /// The namespaces a constraint of this kind can clash in, in the order they are reported.
        var scopes: [Scope] {
            switch self {
            case .index: return [.globalKeyIndex, .globalPrimaryKeyKeyIndex, .modelKeyIndex, .modelPrimaryKeyKeyIndex]
            case .foreignKey: return [.globalForeignKey, .globalPrimaryKeyForeignKeyDefault, .modelPrimaryKeyKeyIndexForeignKey]
            case .defaultValue: return [.globalPrimaryKeyForeignKeyDefault]
            case .primaryKey: return [.globalPrimaryKeyForeignKeyDefault, .globalPrimaryKeyKeyIndex, .modelPrimaryKeyKeyIndex, .modelPrimaryKeyKeyIndexForeignKey]
            }
        }
    }

    /// The namespaces each database keeps.
    static func scopes(_ provider: Provider?) -> Set<Scope> {
        switch provider {
        case .postgresql, .cockroachdb: return [.globalPrimaryKeyKeyIndex, .modelPrimaryKeyKeyIndexForeignKey]
        case .mysql: return [.globalForeignKey, .modelKeyIndex]
        case .sqlite: return [.globalKeyIndex]
        case .sqlserver: return [.globalPrimaryKeyForeignKeyDefault, .modelPrimaryKeyKeyIndex]
        case .mongodb, nil: return []
        }
    }

    /// The longest identifier each database takes, in bytes.
    static func maximumLength(_ provider: Provider?) -> Int {
        switch provider {
        case .postgresql, .cockroachdb: return 63
        case .mysql: return 64
        case .sqlserver: return 128
        case .mongodb: return 127
        case .sqlite, nil: return 10_000
        }
    }

    // MARK: names made as Prisma makes them (a table's and columns' database names)

    /// `s` cut to at most `limit` bytes (on a character boundary), as Prisma cuts a name before
    /// adding its suffix.
    static func truncated(_ s: String, to limit: Int) -> String {
        guard s.utf8.count > limit, limit > 0 else { return s }
        let bytes = Array(s.utf8)
        var end = limit
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    // MARK: checking

    /// One constraint of a model, with where a problem with its name is reported. Its name is the
    /// given one or made from its table, columns and suffix, and is only put together as a string
    /// when it may clash: almost every name is used once, and a hash of its bytes shows that.
    struct Constraint {
        var kind: Kind
        var given: String?
        /// Where the columns of a made name come from (read from the model when needed).
        var columns: Columns
        var suffix: String
        var model: Int
        /// The attribute a message names (`@@unique`, `@relation`, …).
        var label: String
        /// Where it is written: an attribute (`@@unique(…)`) or a field; the exact place of a
        /// problem is looked up in the source only when one is reported.
        var written: Span
    }

    enum Columns {
        case none
        case index(Int)       // the fields of the model's index at this position
        case foreignKey(Int)  // the `fields` of the relation field at this position
        case field(Int)       // the field at this position
    }

    /// Calls `body` with the database name of each column of a made name, in order.
    static func forEachColumn(_ c: Constraint, _ models: [Model], _ body: (String) -> Void) {
        // (Read in place: copying the model or a field out of its array would copy all its parts.)
        func column(_ name: String) -> String {
            models.inPlace(c.model) { $0.withField(name) { $0.dbName ?? name } } ?? name
        }
        switch c.columns {
        case .none: break
        case .index(let ii): for f in models.inPlace(c.model, { $0.indexes[ii].fields }) { body(column(f.name)) }
        case .foreignKey(let fi): for name in models.withFields(of: c.model, { $0[fi].relation?.fields ?? [] }) { body(column(name)) }
        case .field(let fi): body(models.withFields(of: c.model) { $0[fi].dbName ?? $0[fi].name })
        }
    }

    /// The place of a problem with `c`'s name: its `map:` (or an index's `name:`) argument, else
    /// its attribute, else its field.
    static func place(_ c: Constraint, _ ctx: ValidationContext) -> Span {
        switch c.kind {
        case .primaryKey:
            return SourcePlaces.argument("map", in: c.written, ctx) ?? c.written
        case .index:
            return SourcePlaces.argument("map", in: c.written, ctx) ?? SourcePlaces.argument("name", in: c.written, ctx) ?? c.written
        case .foreignKey:
            return SourcePlaces.attribute("relation", in: c.written, ctx).flatMap { SourcePlaces.argument("map", in: $0, ctx) } ?? c.written
        case .defaultValue:
            let attribute = SourcePlaces.attribute("default", in: c.written, ctx)
            return attribute.flatMap { SourcePlaces.argument("map", in: $0, ctx) } ?? attribute ?? c.written
        }
    }

    /// The name, as Prisma makes it when none is given: `{table}_{columns}{suffix}` (a primary
    /// key has no columns), the first part cut to fit the database with the suffix.
    static func name(_ c: Constraint, _ models: [Model], limit: Int) -> String {
        if let given = c.given { return given }
        var base = models[c.model].dbName ?? models[c.model].name
        forEachColumn(c, models) { base += "_" + $0 }
        return truncated(base, to: limit - c.suffix.utf8.count) + c.suffix
    }

    /// A hash of the name's bytes, fed piece by piece (no string is made for a name that is not cut).
    static func nameHash(_ c: Constraint, _ models: [Model], limit: Int) -> Int {
        var hasher = Hasher()
        func feed(_ s: String) {
            var s = s
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
        if let given = c.given {
            feed(given)
            return hasher.finalize()
        }
        let table = models[c.model].dbName ?? models[c.model].name
        var baseLength = table.utf8.count
        forEachColumn(c, models) { baseLength += 1 + $0.utf8.count }
        if baseLength > limit - c.suffix.utf8.count {
            feed(name(c, models, limit: limit))
            return hasher.finalize()
        }
        feed(table)
        forEachColumn(c, models) {
            feed("_")
            feed($0)
        }
        feed(c.suffix)
        return hasher.finalize()
    }

    static func check(models: [Model], ctx: ValidationContext) {
        let scopes = scopes(ctx.provider)
        let limit = maximumLength(ctx.provider)
        tooLong(models: models, limit: limit, ctx: ctx)
        guard !scopes.isEmpty else { return }
        // Each model's constraints and their names' hashes (in parts on all cores for a large schema).
        let parts = Concurrent.map(models.count, minimumPerPart: 64, ctx: ctx) { range, ctx in
            let found = range.flatMap { self.constraints(of: models, at: $0, ctx: ctx) }
            return (found, found.map { nameHash($0, models, limit: limit) })
        }
        let hashes = parts.flatMap(\.1)
        struct Key: Hashable {
            var scope: Scope
            var owner: Int // a global namespace's schema (by number); a local one's model position
            var name: String
        }
        var schemaNumbers: [String: Int] = [:]
        var schemaOf: [Int] = [] // by model position; 0 without `@@schema`
        schemaOf.reserveCapacity(models.count)
        for mi in models.indices {
            guard let name = models.inPlace(mi, \.schema) else { schemaOf.append(0); continue }
            if schemaNumbers[name] == nil { schemaNumbers[name] = schemaNumbers.count + 1 }
            schemaOf.append(schemaNumbers[name] ?? 0)
        }
        // Only constraints whose name's hash is shared are looked at further: their names are
        // made and counted in each namespace they belong to.
        var last: [Int: Int] = [:]
        last.reserveCapacity(hashes.count)
        var shared = [Bool](repeating: false, count: hashes.count)
        for i in hashes.indices {
            if let j = last.updateValue(i, forKey: hashes[i]) { shared[i] = true; shared[j] = true }
        }
        var candidates: [(constraint: Constraint, name: String)] = []
        var offset = 0
        for (found, _) in parts {
            for k in found.indices where shared[offset + k] { candidates.append((found[k], name(found[k], models, limit: limit))) }
            offset += found.count
        }
        func key(_ c: (constraint: Constraint, name: String), _ scope: Scope) -> Key {
            Key(scope: scope, owner: scope.isGlobal ? schemaOf[c.constraint.model] : c.constraint.model, name: c.name)
        }
        var counts: [Key: Int] = [:]
        for c in candidates {
            for scope in c.constraint.kind.scopes where scopes.contains(scope) { counts[key(c, scope), default: 0] += 1 }
        }
        for (c, name) in candidates {
            // Global namespaces first, then the model's own.
            let clashes = c.kind.scopes.filter { scopes.contains($0) && counts[key((c, name), $0), default: 0] > 1 }
            for scope in clashes.filter(\.isGlobal) + clashes.filter({ !$0.isGlobal }) {
                ctx.attributeError(c.label, "The given constraint name `\(name)` has to be unique in the following namespace: \(scope.description(model: models[c.model].name)). Please provide a different name using the `map` argument.", place(c, ctx))
            }
        }
    }

    /// The named constraints of `models[mi]`, in the order Prisma meets them (read in place:
    /// no model, field or index is copied).
    static func constraints(of models: [Model], at mi: Int, ctx: ValidationContext) -> [Constraint] {
        var out: [Constraint] = []
        if ctx.supportsNamedPrimaryKeys, let pk = models[mi].primaryKey {
            out.append(Constraint(kind: .primaryKey, given: pk.map, columns: .none, suffix: "_pkey", model: mi,
                                  label: pk.attributeName, written: pk.span))
        }
        for ii in models[mi].indexes.indices {
            let kind = models[mi].indexes[ii].kind
            // An index's `name:` is its database name (Prisma's older spelling of `map:`).
            let given = models[mi].indexes[ii].map ?? (kind == .normal ? models[mi].indexes[ii].name : nil)
            out.append(Constraint(kind: .index, given: given, columns: .index(ii), suffix: kind == .unique ? "_key" : "_idx",
                                  model: mi, label: models[mi].indexes[ii].attributeName, written: models[mi].indexes[ii].span))
        }
        // Foreign keys: the relation fields that hold one.
        let fields = models[mi].fields // (the array, shared: no field is copied)
        for fi in fields.indices where fields[fi].isRelation {
            guard let relation = fields[fi].relation, !relation.fields.isEmpty, relation.kind != .manyToMany else { continue }
            out.append(Constraint(kind: .foreignKey, given: relation.map, columns: .foreignKey(fi), suffix: "_fkey", model: mi,
                                  label: "@relation", written: fields[fi].span))
        }
        // Default constraints (SQL Server).
        if ctx.provider == .sqlserver {
            for fi in fields.indices where fields[fi].defaultValue != nil {
                let span = fields[fi].span
                // (The map of a default is not kept in the model: read from the source.)
                let given = SourcePlaces.attribute("default", in: span, ctx).flatMap { SourcePlaces.argument("map", in: $0, ctx) }.flatMap { SourcePlaces.stringValue(of: $0, ctx) }
                out.append(Constraint(kind: .defaultValue, given: given, columns: .field(fi), suffix: "_df", model: mi,
                                      label: "@default", written: span))
            }
        }
        return out
    }

    /// A `map:` longer than the database allows, on a primary key or an index.
    static func tooLong(models: [Model], limit: Int, ctx: ValidationContext) {
        for mi in models.indices where models[mi].primaryKey?.map != nil || models[mi].indexes.contains(where: { $0.map != nil }) {
            let model = models[mi]
            for key in [model.primaryKey].compactMap({ $0 }) + model.indexes {
                guard let map = key.map, map.utf8.count > limit else { continue }
                ctx.modelError(model.name, "The constraint name '\(map)' specified in the `map` argument for the `\(key.attributeName)` constraint is too long for your chosen provider. The maximum allowed length is \(limit) bytes.", key.span)
            }
        }
    }
}
