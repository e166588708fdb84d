/// Primary keys, unique constraints, indexes and shard keys: `@id`, `@unique`,
/// `@@id`, `@@unique`, `@@index`, `@@fulltext`, `@@shardKey`, and the model-level
/// rules that depend on them (unique criteria, id counts, connector limits).
enum IndexValidation {
    /// Builds the definition for a field-level `@id` / `@unique`.
    static func fieldIndex(kind: IndexKind, field: Field, attribute a: Attribute, args: inout AttributeArguments,
                           ctx: ValidationContext) -> IndexDefinition {
        let label = "@" + a.name
        var map: String?
        if let m = args.defaultArgument("map", context: ctx) ?? args.optional("name") {
            map = Coerce.string(m, ctx)
            if map == "" { ctx.attributeError(label, "The `name` argument cannot be an empty string.", a.span) }
        }
        var item = IndexField(name: field.name)
        if let s = args.optional("sort"), let c = Coerce.constant(s, ctx) {
            item.sort = SortOrder(rawValue: c)
            if kind == .primaryKey, ctx.provider != .sqlserver, ctx.provider != nil {
                ctx.within(.models) { ctx.attributeError(label, "The sort argument is not supported in the primary key with the current connector", a.span) }
            }
        }
        if let l = args.optional("length"), let v = Coerce.int(l, ctx) {
            item.length = v
            if ctx.provider != .mysql, ctx.provider != nil {
                ctx.within(.models) { ctx.attributeError(label, "The length argument is not supported in an index definition with the current connector", a.span) }
            }
        }
        let condition = kind == .unique ? PartialIndexes.read(&args, label: label, span: a.span, ctx: ctx) : nil
        var clustered: Bool?
        if let c = args.optional("clustered") {
            clustered = Coerce.bool(c, ctx)
            if !ctx.supportsClustering, ctx.provider != nil {
                ctx.within(.models) { ctx.attributeError(label, "Defining clustering is not supported in the current connector.", a.span) }
            }
        }
        args.reportUnused(context: ctx)
        return IndexDefinition(kind: kind, fields: [item], name: nil, map: map, indexType: nil, clustered: clustered,
                               isFieldLevel: true, span: a.span, condition: condition)
    }

    /// Reads `[a, b(sort: Desc)]`.
    private static func fieldList(_ e: Expression, label: String, strictConstant: Bool, ctx: ValidationContext) -> [IndexField]? {
        var out: [IndexField] = []
        var ok = true
        for item in Coerce.array(e) {
            switch item {
            case .constant(let name, _):
                out.append(IndexField(name: name))
            case .function(let name, let args, _) where !strictConstant:
                var f = IndexField(name: name)
                for arg in args.arguments {
                    guard let v = arg.value else { continue }
                    switch arg.name?.name {
                    case "sort": f.sort = v.asConstant.flatMap(SortOrder.init(rawValue:))
                        if case .string = v { ctx.error("Expected a constant value, but received string value `\(ctx.sources.text(of: v.span))`.", v.span) }
                    case "length": if case .number(let n, _) = v { f.length = Int(n) }
                    case "ops":
                        switch v {
                        case .constant(let c, _): f.operatorClass = c
                        case .function(let fn, _, _): f.operatorClass = fn
                        default: break
                        }
                    default:
                        ctx.error("No such argument.", arg.span)
                    }
                }
                out.append(f)
            default:
                let kind = strictConstant ? "constant" : "constant literal"
                ctx.error("Expected a \(kind) value, but received \(item.kindDescription) value `\(ctx.sources.text(of: item.span))`.", item.span)
                ok = false
            }
        }
        return ok ? out : nil
    }

    static func validate(models: inout [Model], composites: [CompositeType], builder: ModelBuilder, ctx: ValidationContext) {
        let compositeByName = Dictionary(composites.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let fieldIndexes = builder.fieldIndexes
        // Each model on its own: in parts on all cores for a large schema. The parts read the
        // models and return only their keys, set below in place (no model is copied).
        let parts = { (input: [Model]) in
            Concurrent.map(input.count, minimumPerPart: 64, ctx: ctx) { range, ctx in
                input.withUnsafeBufferPointer { input in
                    range.map { i in
                        validate(input[i], at: i, attributes: i < builder.blockAttributes.count ? builder.blockAttributes[i] : [],
                                 fieldLevel: i < fieldIndexes.count ? fieldIndexes[i] : [], compositeByName: compositeByName, builder: builder, ctx: ctx)
                    }
                }
            }
        }(models)
        var i = 0
        for part in parts {
            for keys in part {
                models[i].primaryKey = keys.primaryKey
                models[i].indexes = keys.indexes
                i += 1
            }
        }
    }

    /// A model's primary key and indexes, as validated.
    private struct Keys {
        var primaryKey: IndexDefinition?
        var indexes: [IndexDefinition]
    }

    /// The keys and indexes of one model (`i`: its index in the model list).
    private static func validate(_ model: Model, at i: Int, attributes attrs: [Attribute], fieldLevel: [IndexDefinition],
                                 compositeByName: [String: CompositeType], builder: ModelBuilder, ctx: ValidationContext) -> Keys {
        let kind: ContainerKind = model.isView ? .view : .model
        var blockId: IndexDefinition?
        var indexes: [IndexDefinition] = []
        // The field-level ids (the first, and how many) and uniques, and their conditions: one pass.
        var fieldId: IndexDefinition?, fieldIdCount = 0
        for def in fieldLevel {
            switch def.kind {
            case .primaryKey:
                if fieldId == nil { fieldId = def }
                fieldIdCount += 1
            case .unique: indexes.append(def)
            default: break
            }
            if let condition = def.condition {
                PartialIndexes.check(condition, label: "@unique", model: model, enumValues: builder.enumValues, ctx: ctx)
            }
        }
        if model.isView {
            for u in fieldLevel where u.kind == .unique && u.map != nil {
                ctx.within(.models) { ctx.validationError("@@unique annotations on views are not backed by unique indexes in the database and cannot specify a mapped database name.", u.span) }
            }
        }
        var shardKeyBlocks = 0
        for a in attrs {
            let label = "@@" + a.name
            switch a.name {
            case "id", "unique", "index", "fulltext":
                var args = AttributeArguments(a, prefix: "@@", context: ctx)
                guard let fieldsExpr = args.defaultArgument("fields", context: ctx) else {
                    ctx.error("Argument \"fields\" is missing.", a.span)
                    continue
                }
                var def = IndexDefinition(kind: a.name == "id" ? .primaryKey : a.name == "unique" ? .unique : a.name == "index" ? .normal : .fulltext,
                                          fields: [], name: nil, map: nil, indexType: nil, clustered: nil,
                                          isFieldLevel: false, span: a.span)
                if let n = args.optional("name"), a.name != "fulltext" {
                    def.name = Coerce.string(n, ctx)
                    if def.name == "" {
                        ctx.attributeError("@" + a.name, "The `name` argument cannot be an empty string.", a.span)
                    }
                }
                if let m = args.optional("map") { def.map = Coerce.string(m, ctx) }
                if a.name == "index", let t = args.optional("type") {
                    def.indexType = Coerce.constant(t, ctx)
                    if let type = def.indexType, ctx.provider != .postgresql, ctx.provider != .cockroachdb || !["BTree", "Gin"].contains(type) {
                        ctx.within(.models) { ctx.attributeError(label, "The given index type is not supported with the current connector", args.argumentSpan("type") ?? a.span) }
                    }
                }
                if a.name != "fulltext", let c = args.optional("clustered") { def.clustered = Coerce.bool(c, ctx) }
                if def.kind == .unique || def.kind == .normal {
                    def.condition = PartialIndexes.read(&args, label: label, span: a.span, ctx: ctx)
                }
                args.reportUnused(context: ctx)
                guard let list = fieldList(fieldsExpr, label: label, strictConstant: false, ctx: ctx) else { continue }
                def.fields = list
                if list.isEmpty {
                    if a.name == "id" {
                        ctx.attributeError(label, "The list of fields in an `@@id()` attribute cannot be empty. Please specify at least one field.", a.span)
                    } else {
                        ctx.attributeError(label, "The list of fields in an index cannot be empty. Please specify at least one field.", a.span)
                    }
                    continue
                }
                checkBlockIndex(def, label: label, model: model, kind: kind, composites: compositeByName, ctx: ctx)
                if let condition = def.condition {
                    PartialIndexes.check(condition, label: label, model: model, enumValues: builder.enumValues, ctx: ctx)
                }
                if def.kind == .primaryKey {
                    if model.isView { ctx.within(.models) { ctx.viewKeyWarning("Views cannot have primary keys.", a.span) } }
                    blockId = def
                } else {
                    if model.isView, def.kind != .unique { ctx.within(.models) { ctx.viewKeyWarning("Views cannot have indexes.", a.span) } }
                    indexes.append(def)
                }
            case "shardKey":
                shardKeyBlocks += 1
                var args = AttributeArguments(a, prefix: "@@", context: ctx)
                if !ctx.previewFeatures.contains("shardKeys") {
                    ctx.attributeError(label, "Defining shard keys requires enabling the `shardKeys` preview feature", a.span)
                    continue
                }
                guard let fieldsExpr = args.defaultArgument("fields", context: ctx) else { continue }
                args.reportUnused(context: ctx)
                guard let list = fieldList(fieldsExpr, label: label, strictConstant: true, ctx: ctx) else { continue }
                if list.isEmpty {
                    ctx.attributeError(label, "The list of fields in a `@@shardKey()` attribute cannot be empty. Please specify at least one field.", a.span)
                    continue
                }
                let unknown = list.map(\.name).filter { !model.hasField($0) }
                if !unknown.isEmpty {
                    ctx.modelError(model.name, "The multi field shard key declaration refers to the unknown fields \(unknown.map { "`\($0)`" }.joined(separator: ", ")).", fieldsExpr.span)
                    continue
                }
                if let rel = list.first(where: { item in model.withField(item.name) { $0.isRelation } == true }) {
                    ctx.modelError(model.name, "The shard key definition refers to the relation field `\(rel.name)`. Shard key definitions must reference only scalar fields.", a.span)
                    continue
                }
                if !model.isIgnored, let opt = list.first(where: { item in model.withField(item.name) { !$0.isRequired } == true }) {
                    ctx.modelError(model.name, "The shard key definition refers to the optional field `\(opt.name)`. Shard key definitions must reference only required fields.", a.span)
                }
            default:
                break
            }
        }
        let fieldShardKeys = i < builder.shardKeyCounts.count ? builder.shardKeyCounts[i] : 0
        if fieldShardKeys > 1 {
            ctx.modelError(model.name, "At most one field must be marked as the shard key with the `@shardKey` attribute.", model.span)
        }
        if fieldShardKeys > 0, shardKeyBlocks > 0 {
            ctx.modelError(model.name, "Each model must have at most one shard key. You can't have `@shardKey` and `@@shardKey` at the same time.", model.span)
        }
        // primary key
        if fieldIdCount > 1 {
            ctx.modelError(model.name, "At most one field must be marked as the id field with the `@id` attribute.", model.span, kind: kind)
        }
        if fieldId != nil, blockId != nil {
            ctx.modelError(model.name, "Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time.", model.span, kind: kind)
        }
        let primaryKey = blockId ?? fieldId
        if let pk = primaryKey, pk.map != nil, !ctx.supportsNamedPrimaryKeys, ctx.provider != nil {
            ctx.within(.models) { ctx.modelError(model.name, "You defined a database name for the primary key on the model. This is not supported by the provider.", model.span, kind: kind) }
        }
        if let pk = blockId, pk.fields.count > 1, !ctx.supportsCompoundIds {
            ctx.within(.models) { ctx.modelError(model.name, "The current connector does not support compound ids.", pk.span, kind: kind) }
        }
        if let pk = primaryKey {
            for f in pk.fields {
                // (A native type no id may have is reported as such instead: SQL Server's `Image`, `VarBinary(Max)`.)
                if model.withField(f.name, { $0.scalarType }) == .bytes, ctx.provider == .mongodb || ctx.provider == .sqlserver,
                   restriction(f, in: model, provider: ctx.provider) == nil {
                    ctx.within(.models) { ctx.error("Invalid model: Using Bytes type is not allowed in the model's id.", pk.span) }
                }
            }
        }
        // clustering
        // (SQL Server clusters a primary key unless it says `clustered: false`.)
        func isClustered(_ key: IndexDefinition) -> Bool { key.clustered ?? (key.kind == .primaryKey && ctx.provider == .sqlserver) }
        var clusteredCount = primaryKey.map(isClustered) == true ? 1 : 0
        indexes.withUnsafeBufferPointer { for i in $0.indices where isClustered($0[i]) { clusteredCount += 1 } }
        if clusteredCount > 1 {
            let clustered = ([primaryKey].compactMap { $0 } + indexes).filter(isClustered)
            for c in clustered {
                let what = c.kind == .primaryKey ? "id" : "key"
                ctx.within(.models) { ctx.attributeError(c.attributeName, "A model can only hold one clustered index or \(what).", c.span) }
            }
        }
        // mongo: same field id and unique
        if ctx.provider == .mongodb, let pk = primaryKey, pk.fields.count == 1 {
            for u in indexes where u.kind == .unique && u.fieldNames == pk.fieldNames {
                ctx.within(.models) { ctx.attributeError(u.attributeName, "The same field cannot be an id and unique on MongoDB.", u.span) }
            }
        }
        nativeTypeRestrictions(model: model, primaryKey: primaryKey, indexes: indexes, ctx: ctx)
        if ctx.provider == .postgresql {
            for index in indexes { ctx.within(.models) { PostgresIndexes.check(index, in: model, ctx: ctx) } }
        }
        // unique criteria
        if !model.isIgnored, !model.isView {
            ctx.within(.models) { requireUniqueCriteria(model, primaryKey: primaryKey, indexes: indexes, ctx: ctx) }
        }
        return Keys(primaryKey: primaryKey, indexes: indexes)
    }

    private static func checkBlockIndex(_ def: IndexDefinition, label: String, model: Model, kind: ContainerKind,
                                        composites: [String: CompositeType], ctx: ValidationContext) {
        /// `address.number`: a path through composite-type fields (MongoDB).
        func resolvesPath(_ path: String) -> Bool {
            guard path.utf8.contains(UInt8(ascii: ".")) else { return false }
            let parts = path.split(separator: ".").map(String.init)
            guard parts.count > 1, var field = model.field(parts[0]) else { return false }
            for part in parts.dropFirst() {
                guard case .composite(let t) = field.type, let next = composites[t]?.fields.first(where: { $0.name == part }) else { return false }
                field = next
            }
            return true
        }
        let names = def.fieldNames.filter { !resolvesPath($0) }
        let unknown = names.filter { !model.hasField($0) }
        let what: String
        switch def.kind {
        case .primaryKey: what = "id"
        case .unique: what = "unique index"
        default: what = "index"
        }
        if !unknown.isEmpty {
            if def.kind == .primaryKey {
                let list = unknown.map { "`\($0)`" }.joined(separator: ", ")
                ctx.modelError(model.name, "The multi field id declaration refers to the unknown field\(unknown.count > 1 ? "s" : "") \(list).", def.span, kind: kind)
            } else {
                ctx.modelError(model.name, "The \(what) definition refers to the unknown fields: \(unknown.joined(separator: ", ")).", def.span, kind: kind)
            }
            return
        }
        // (Fields are looked at in place; a `Field` is a large value, and most indexes pass every check.)
        if names.contains(where: { model.withField($0) { $0.isRelation } ?? false }) {
            let relations = names.compactMap { model.field($0) }.filter(\.isRelation)
            if def.kind == .primaryKey {
                ctx.modelError(model.name, "The id definition refers to the relation field\(relations.count > 1 ? "s" : "") \(relations.map { "`\($0.name)`" }.joined(separator: ", ")). ID definitions must reference only scalar fields.", def.span, kind: kind)
            } else {
                let fks = relations.flatMap { $0.relationFieldsHint }
                var message = "The \(what) definition refers to the relation fields \(relations.map(\.name).joined(separator: ", ")). Index definitions must reference only scalar fields."
                if !fks.isEmpty { message += " Did you mean `\(label)([\(fks.joined(separator: ", "))])`?" }
                ctx.modelError(model.name, message, def.span, kind: kind)
            }
            return
        }
        if def.kind == .primaryKey, names.contains(where: { model.withField($0) { !$0.isRequired } ?? false }) {
            let optional = names.compactMap { model.field($0) }.filter { !$0.isRequired }
            do {
                ctx.modelError(model.name, "The id definition refers to the optional fields \(optional.map { "`\($0.name)`" }.joined(separator: ", ")). ID definitions must reference only required fields.", def.span, kind: kind)
            }
        }
        var seen = NameSet(capacity: names.count)
        for n in names where !seen.insert(n) {
            ctx.modelError(model.name, "The \(what) definition refers to the field \(n) multiple times.", def.span, kind: kind)
            break
        }
        if let name = def.name, def.kind == .primaryKey || def.kind == .unique {
            if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                ctx.modelError(model.name, "The `name` property within the `\(label)` attribute only allows for the following characters: `_a-zA-Z0-9`.", def.span, kind: kind)
            } else if model.hasField(name) {
                ctx.within(.models) { ctx.modelError(model.name, "The custom name `\(name)` specified for the `\(label)` attribute is already used as a name for a field. Please choose a different name.", model.span, kind: kind) }
            }
        } else if def.kind == .unique, def.name == nil, def.fields.count > 1 {
            let generated = names.joined(separator: "_")
            if model.hasField(generated) {
                ctx.within(.models) { ctx.modelError(model.name, "The field `\(generated)` clashes with the `@@unique` name. Please resolve the conflict by providing a custom id name: `@@unique([...], name: \"custom_name\")`", def.span, kind: kind) }
            }
        }
        if def.fields.contains(where: { $0.length != nil }), ctx.provider != .mysql, ctx.provider != nil {
            ctx.within(.models) { ctx.attributeError(label, "The length argument is not supported in an index definition with the current connector", def.span) }
        }
        if def.kind == .primaryKey, def.fields.contains(where: { $0.sort != nil }), ctx.provider != .sqlserver, ctx.provider != nil {
            ctx.within(.models) { ctx.attributeError(label, "The sort argument is not supported in the primary key with the current connector", def.span) }
        }
        if def.clustered != nil, !ctx.supportsClustering, ctx.provider != nil {
            ctx.within(.models) { ctx.attributeError(label, "Defining clustering is not supported in the current connector.", def.span) }
        }
        if model.isView, def.kind == .unique {
            if def.map != nil {
                ctx.within(.models) { ctx.validationError("@@unique annotations on views are not backed by unique indexes in the database and cannot specify a mapped database name.", def.span) }
            } else if def.clustered != nil {
                ctx.within(.models) { ctx.validationError("@@unique annotations on views are not backed by unique indexes in the database and cannot be clustered.", def.span) }
            } else if def.fields.contains(where: { $0.sort != nil || $0.length != nil || $0.operatorClass != nil }) {
                ctx.within(.models) { ctx.attributeError(label, "Scalar fields in @@unique attributes in views cannot have arguments.", def.span) }
            }
        }
        if def.kind == .fulltext, ctx.provider != .mysql, ctx.provider != .mongodb, ctx.provider != nil {
            ctx.within(.models) { ctx.attributeError(label, "Defining fulltext indexes is not supported with the current connector.", def.span) }
        }
    }

    /// `model` with these keys (its own are not set yet).
    /// The native type (and whether a `length` would allow it) that keeps `f` out of an index
    /// or id, when it has no `length` argument.
    private static func restriction(_ f: IndexField, in model: Model, provider: Provider?) -> (String, Bool)? {
        guard f.length == nil, let provider, let native = model.withField(f.name, { $0.nativeType }) ?? nil else { return nil }
        return NativeTypes.indexRestriction(native, provider: provider)
    }

    private static func nativeTypeRestrictions(model: Model, primaryKey: IndexDefinition?, indexes: [IndexDefinition], ctx: ValidationContext) {
        guard let provider = ctx.provider else { return }
        let label = NativeTypes.providerLabel(provider)
        let lengthHint = " Please use the `length` argument to the field in the index definition to allow this."
        func restricted(_ f: IndexField) -> (String, Bool)? { restriction(f, in: model, provider: provider) }
        if let pk = primaryKey {
            for f in pk.fields {
                if let (name, hint) = restricted(f) {
                    ctx.within(.models) { ctx.error("Native type `\(name)` of \(label) cannot be used on a field that is `@id` or `@@id`.\(hint ? lengthHint : "")", pk.span) }
                }
            }
        }
        for idx in indexes {
            for f in idx.fields {
                guard let (name, hint) = restricted(f) else { continue }
                // Postgres reports at the field, the others at the index.
                let span = provider == .postgresql ? (model.field(f.name)?.span ?? idx.span) : idx.span
                if idx.kind == .unique {
                    ctx.within(.models) { ctx.error("Native type `\(name)` cannot be unique in \(label).\(hint ? lengthHint : "")", span) }
                } else if idx.kind == .normal {
                    ctx.within(.models) { ctx.error("You cannot define an index on fields with native type `\(name)` of \(label).\(hint ? lengthHint : "")", span) }
                }
            }
        }
    }

    /// `model` with these keys (its own are not set yet).
    private static func requireUniqueCriteria(_ model: Model, primaryKey: IndexDefinition?, indexes: [IndexDefinition], ctx: ValidationContext) {
        /// Whether every field of `c` is required, not ignored and supported (nil: one is unknown).
        /// (Fields are read in place: this runs for every model.)
        func usable(_ c: IndexDefinition) -> Bool? {
            var usable = true
            for item in c.fields {
                guard let fi = model.fieldIndex(item.name) else { return nil }
                let ok = model.fields.withUnsafeBufferPointer { fields in
                    if case .unsupported = fields[fi].type { return false }
                    return fields[fi].isRequired && !fields[fi].isIgnored
                }
                if !ok { usable = false }
            }
            return usable
        }
        var rejected: [String] = []
        if let pk = primaryKey, let ok = usable(pk) {
            if ok { return }
            rejected.append(pk.fieldNames.joined(separator: ", "))
        }
        for c in indexes where c.kind == .unique {
            guard let ok = usable(c) else { continue }
            if ok { return }
            rejected.append(c.fieldNames.joined(separator: ", "))
        }
        var message = "Each model must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the model."
        if !rejected.isEmpty {
            message += " The following unique criterias were not considered as they contain fields that are not required:\n" + rejected.map { "- \($0)" }.joined(separator: "\n")
        }
        ctx.modelError(model.name, message, model.span)
    }
}

extension Field {
    /// The foreign-key fields named in this relation field's `@relation(fields: …)`, if already resolved.
    var relationFieldsHint: [String] { relation?.fields ?? [] }
}
