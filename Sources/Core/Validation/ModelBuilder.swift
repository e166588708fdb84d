/// Resolves models, views, composite types and enums from the AST: names, field
/// types, and field/block attributes. Relations are linked afterwards by
/// `RelationValidation`, and block-level rules run in `IndexValidation`.
struct ModelBuilder {
    let ctx: ValidationContext
    let declarations: [ModelDeclaration]
    let enumDeclarations: [EnumDeclaration]

    /// Top-level names → kind, for type resolution.
    private(set) var topKinds: [String: TopKind] = [:]
    /// Raw `@relation` attributes by field (indices into the built models and their fields).
    private(set) var relationAttributes = RelationAttributes()
    /// Raw block attributes kept for index validation, one list per built model, in model order.
    private(set) var blockAttributes: [[Attribute]] = []
    /// Field-level `@id`/`@unique` definitions, one list per built model, in model order (for IndexValidation).
    private(set) var fieldIndexes: [[IndexDefinition]] = []
    /// How many fields carry `@shardKey`, one count per built model, in model order.
    private(set) var shardKeyCounts: [Int] = []

    enum TopKind: Equatable { case model, view, composite, enumeration }

    static let reservedModelNames: Set<String> = ["PrismaClient"]

    init(ctx: ValidationContext, declarations: [ModelDeclaration], enums: [EnumDeclaration]) {
        self.ctx = ctx
        self.declarations = declarations
        self.enumDeclarations = enums
    }

    // MARK: names

    mutating func collectNames() {
        // Prisma reports a clash on the later declaration, naming the earlier one's kind.
        func label(_ k: TopKind) -> String {
            switch k {
            case .model: return "model"
            case .view: return "view"
            case .composite: return "composite type"
            case .enumeration: return "enum"
            }
        }
        topKinds.reserveCapacity(declarations.count + enumDeclarations.count)
        func visit(_ name: Identifier, _ kind: TopKind) {
            let text = name.name
            if ScalarType(rawValue: text) != nil {
                ctx.error("\"\(text)\" is a reserved scalar type name and cannot be used.", name.span)
                return
            }
            // One hash of the name when it is new (the common case); a clash puts the first back.
            if let existing = topKinds.updateValue(kind, forKey: text) {
                topKinds[text] = existing
                ctx.error("The \(label(kind)) \"\(text)\" cannot be defined because a \(label(existing)) with that name already exists.", name.span)
                return
            }
            if text.startsWithNumber {
                ctx.validationError("The name of a \(label(kind)) must not start with a number.", name.span)
            }
        }
        // Models and enums each come in source order (file by file): merged, not sorted.
        func precedes(_ a: Span, _ b: Span) -> Bool { (a.file, a.start) < (b.file, b.start) }
        var m = 0, e = 0
        while m < declarations.count || e < enumDeclarations.count {
            if e == enumDeclarations.count || (m < declarations.count && precedes(declarations[m].span, enumDeclarations[e].span)) {
                let kind = declarations[m].kind
                visit(declarations[m].name, kind == .model ? .model : kind == .view ? .view : .composite)
                m += 1
            } else {
                visit(enumDeclarations[e].name, .enumeration)
                e += 1
            }
        }
    }

    // MARK: enums

    func buildEnums() -> [EnumType] {
        var out: [EnumType] = []
        for e in enumDeclarations {
            if e.values.isEmpty {
                ctx.within(.models) { ctx.validationError("An enum must have at least one value.", e.span) }
            }
            if ctx.provider != nil, !ctx.supportsEnums {
                ctx.within(.models) { ctx.validationError("You defined the enum `\(e.name.name)`. But the current connector does not support enums.", e.span) }
            }
            var seen: Set<String> = []
            var values: [EnumValue] = []
            for v in e.values {
                if seen.contains(v.name.name) {
                    ctx.within(.names) { ctx.error("Value \"\(v.name.name)\" is already defined on enum \"\(e.name.name)\".", v.name.span) }
                }
                seen.insert(v.name.name)
                var dbName: String?
                for a in v.attributes {
                    if a.name == "map" {
                        var args = AttributeArguments(a, prefix: "@", context: ctx)
                        if let n = args.defaultArgument("name", context: ctx) { dbName = Coerce.string(n, ctx) }
                        args.reportUnused(context: ctx)
                    } else {
                        ctx.error("Attribute not known: \"@\(a.name)\".", a.span)
                    }
                }
                values.append(EnumValue(name: v.name.name, dbName: dbName, documentation: v.documentation, span: v.span))
            }
            var dbName: String?
            var schema: String?
            Self.reportRepeated(e.attributes, Self.onceOnly, ctx)
            var applied: Set<String> = []
            for a in e.attributes {
                var args = AttributeArguments(a, prefix: "@@", context: ctx)
                switch a.name {
                case "map":
                    guard applied.insert(a.name).inserted else { continue }
                    if let n = args.defaultArgument("name", context: ctx) { dbName = Coerce.string(n, ctx) }
                case "schema":
                    guard applied.insert(a.name).inserted else { continue }
                    schema = schemaAttribute(&args, a)
                default:
                    ctx.error("Attribute not known: \"@@\(a.name)\".", a.span)
                }
                args.reportUnused(context: ctx)
            }
            if !ctx.declaredSchemas.isEmpty, schema == nil {
                ctx.within(.models) { ctx.error("This enum is missing an `@@schema` attribute.", e.span) }
            }
            out.append(EnumType(name: e.name.name, dbName: dbName, values: values, schema: schema,
                                documentation: e.documentation, span: e.span))
        }
        return out
    }

    private func schemaAttribute(_ args: inout AttributeArguments, _ a: Attribute) -> String? {
        guard let v = args.defaultArgument("map", context: ctx) else {
            ctx.error("Argument \"map\" is missing.", a.span)
            return nil
        }
        guard let s = Coerce.string(v, ctx) else { return nil }
        if !ctx.supportsMultiSchema, ctx.provider != nil {
            ctx.within(.models) { ctx.error("@@schema is not supported on the current datasource provider", a.span) }
        } else if !ctx.declaredSchemas.contains(s) {
            ctx.within(.models) { ctx.error("This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema", v.span) }
        }
        return s
    }

    // MARK: field types

    func resolveType(_ t: FieldTypeExpression) -> FieldType? {
        switch t {
        case .unsupported(let s, _):
            return .unsupported(s)
        case .named(let name, let span):
            if let s = ScalarType(rawValue: name) { return .scalar(s) }
            switch topKinds[name] {
            case .model?, .view?: return .model(name)
            case .composite?: return .composite(name)
            case .enumeration?: return .enumeration(name)
            case nil:
                var message = "Type \"\(name)\" is neither a built-in type, nor refers to another model, composite type, or enum."
                let candidates = ScalarType.allCases.map(\.rawValue) + topKinds.keys.sorted()
                if let suggestion = candidates.first(where: { $0.lowercased() == name.lowercased() }) {
                    message += " Did you mean \"\(suggestion)\"?"
                }
                ctx.within(.types) { ctx.error(message, span) }
                return nil
            }
        }
    }

    // MARK: models and composite types

    /// Builds every model, view and composite type. Declarations are independent here, so a
    /// large schema is built in parts on all cores (`Concurrent.map`: each part reports into a
    /// context of its own, joined in declaration order), the same as one pass.
    mutating func buildContainers(enums: [EnumType]) -> (models: [Model], composites: [CompositeType]) {
        let enumValues = Dictionary(enums.map { ($0.name, $0.values.map(\.name)) }, uniquingKeysWith: { a, _ in a })
        // Each declaration's index in the model list, were it a model (composite types are not).
        var modelIndex: [Int] = []
        modelIndex.reserveCapacity(declarations.count)
        var modelCount = 0
        for d in declarations {
            modelIndex.append(modelCount)
            if d.kind != .type { modelCount += 1 }
        }
        let template = self
        var parts = Concurrent.map(declarations.count, minimumPerPart: 32, ctx: ctx) { range, ctx in
            var builder = ModelBuilder(ctx: ctx, declarations: template.declarations, enums: template.enumDeclarations)
            builder.topKinds = template.topKinds
            return builder.buildContainers(range, firstModel: range.isEmpty ? 0 : modelIndex[range.lowerBound], enumValues: enumValues)
        }
        // The parts' lists are taken, not copied (the first part's buffers become the whole's).
        var built: (models: [Model], composites: [CompositeType]) = ([], [])
        for k in parts.indices {
            built.models.appendTaking(&parts[k].models)
            built.composites.appendTaking(&parts[k].composites)
            relationAttributes.append(taking: &parts[k].relationAttributes)
            blockAttributes.appendTaking(&parts[k].blockAttributes)
            fieldIndexes.appendTaking(&parts[k].fieldIndexes)
            shardKeyCounts.appendTaking(&parts[k].shardKeyCounts)
        }
        return built
    }

    /// What building some declarations gives: the containers, and what index and relation
    /// validation read later (by model position).
    private struct Part {
        var models: [Model] = []
        var composites: [CompositeType] = []
        var relationAttributes = RelationAttributes()
        var blockAttributes: [[Attribute]] = []
        var fieldIndexes: [[IndexDefinition]] = []
        var shardKeyCounts: [Int] = []
    }

    /// What one model's fields add besides the fields: their `@id`/`@unique` definitions and
    /// how many are shard keys.
    private struct FieldExtras {
        var indexes: [IndexDefinition] = []
        var shardKeys = 0
    }

    /// Builds the declarations in `range`; `firstModel` is the index the first model among
    /// them has in the whole schema's model list.
    /// (Declarations and their fields are read in place, by position: the builder is not
    /// mutated here, so nothing forces a copy of each one.)
    private func buildContainers(_ range: Range<Int>, firstModel: Int, enumValues: [String: [String]]) -> Part {
        var part = Part()
        declarations.withUnsafeBufferPointer { declarations in
            for di in range { build(declarations[di], firstModel: firstModel, enumValues: enumValues, into: &part) }
        }
        return part
    }

    /// Builds one declaration into `part`.
    private func build(_ decl: ModelDeclaration, firstModel: Int, enumValues: [String: [String]], into part: inout Part) {
        if decl.kind == .view, !ctx.previewFeatures.contains("views") {
            ctx.within(.models) { ctx.validationError("View definitions are only available with the `views` preview feature.", decl.span) }
        }
        if decl.kind == .model, ModelBuilder.reservedModelNames.contains(decl.name.name) {
            ctx.within(.names) { ctx.modelError(decl.name.name, "The model name `\(decl.name.name)` is invalid. It is a reserved name. Please change it. Read more at https://pris.ly/d/naming-models", decl.span) }
        }
        if decl.kind == .type {
            if ctx.provider != nil, !ctx.supportsCompositeTypes {
                ctx.within(.models) { ctx.validationError("Composite types are not supported on \(ctx.providerDisplayName).", decl.span) }
            }
            if decl.fields.isEmpty {
                ctx.within(.models) { ctx.validationError("A type must have at least one field defined.", decl.span) }
            }
        }
        let isIgnored = decl.attributes.contains { $0.name == "ignore" }
        var extras = FieldExtras()
        var fields: [Field] = []
        fields.reserveCapacity(decl.fields.count)
        var seen = NameSet(capacity: decl.fields.count)
        // (Each field declaration read where it is stored, not copied out of the list.)
        func add(_ f: FieldDeclaration) {
            guard seen.insert(f.name.name) else {
                ctx.within(.names) { ctx.error("Field \"\(f.name.name)\" is already defined on \(decl.kind.label) \"\(decl.name.name)\".", f.name.span) }
                return
            }
            if f.name.name.startsWithNumber {
                ctx.within(.names) { ctx.validationError("The name of a field must not start with a number.", f.name.span) }
            }
            guard let type = resolveType(f.type) else { return }
            let at = FieldRef(model: firstModel + part.models.count, field: fields.count)
            if let field = buildField(f, type: type, decl: decl, at: at, modelIgnored: isIgnored, enumValues: enumValues,
                                      extras: &extras, relations: &part.relationAttributes) {
                fields.append(field)
            }
        }
        decl.fields.withUnsafeBufferPointer { declared in
            for fdi in declared.indices { add(declared[fdi]) }
        }
        var dbNames = NameSet(capacity: fields.count)
        fields.withUnsafeBufferPointer { fields in
            for fi in fields.indices where !fields[fi].isRelation {
                if !dbNames.insert(fields[fi].dbName ?? fields[fi].name) {
                    let field = fields[fi]
                    let span = decl.fields.first { $0.name.name == field.name }?.name.span ?? field.span
                    ctx.within(.names) { ctx.error("Field \"\(field.name)\" is already defined on \(decl.kind.label) \"\(decl.name.name)\".", span) }
                }
            }
        }
        if decl.kind == .type {
            part.composites.append(CompositeType(name: decl.name.name, fields: fields, documentation: decl.documentation, span: decl.span))
            for a in decl.attributes {
                ctx.error("Attribute not known: \"@@\(a.name)\".", a.span)
            }
            return
        }
        part.blockAttributes.append(decl.attributes)
        part.fieldIndexes.append(extras.indexes)
        part.shardKeyCounts.append(extras.shardKeys)
        var model = Model(name: decl.name.name, dbName: nil, isView: decl.kind == .view, fields: fields,
                          primaryKey: nil, indexes: [], isIgnored: isIgnored, schema: nil,
                          documentation: decl.documentation, span: decl.span)
        applySimpleBlockAttributes(decl, &model)
        part.models.append(model)
    }

    private func applySimpleBlockAttributes(_ decl: ModelDeclaration, _ model: inout Model) {
        Self.reportRepeated(decl.attributes, Self.onceOnly, ctx)
        var applied: Set<String> = []
        for a in decl.attributes {
            if Self.indexAttributes.contains(a.name) { continue }
            var args = AttributeArguments(a, prefix: "@@", context: ctx)
            switch a.name {
            case "map":
                guard applied.insert(a.name).inserted else { break }
                if let n = args.defaultArgument("name", context: ctx) { model.dbName = Coerce.string(n, ctx) }
                args.reportUnused(context: ctx)
            case "schema":
                guard applied.insert(a.name).inserted else { break }
                model.schema = schemaAttribute(&args, a)
                args.reportUnused(context: ctx)
            case "ignore":
                args.reportUnused(context: ctx)
            default:
                ctx.error("Attribute not known: \"@@\(a.name)\".", a.span)
            }
        }
        if !ctx.declaredSchemas.isEmpty, model.schema == nil, ctx.supportsMultiSchema {
            ctx.within(.models) { ctx.modelError(model.name, "This \(decl.kind.label) is missing an `@@schema` attribute.", decl.span, kind: decl.kind) }
        }
    }

    /// The block attributes of a model or enum that may be written once.
    static let onceOnly: Set<String> = ["map", "schema"]
    /// The block attributes `IndexValidation` reads (not read here).
    static let indexAttributes: Set<String> = ["id", "unique", "index", "fulltext", "shardKey"]

    /// Reports every occurrence of an attribute among `names` written more than once, as Prisma
    /// does (`Attribute "@schema" can only be defined once.`, for `@@schema` too); only the first
    /// is applied.
    static func reportRepeated(_ attributes: [Attribute], _ names: Set<String>, _ ctx: ValidationContext) {
        guard attributes.count > 1 else { return }
        var counts: [String: Int] = [:]
        for a in attributes where names.contains(a.name) { counts[a.name, default: 0] += 1 }
        for a in attributes where counts[a.name, default: 0] > 1 {
            ctx.error("Attribute \"@\(a.name)\" can only be defined once.", a.span)
        }
    }

    static let compositeForbidden: Set<String> = ["id", "unique", "relation", "updatedAt", "shardKey", "index"]

    /// Builds one field; `at` is where it will be stored if it is kept (for a model; a composite
    /// type's fields record nothing by position).
    private func buildField(_ f: FieldDeclaration, type: FieldType, decl: ModelDeclaration, at: FieldRef,
                            modelIgnored: Bool, enumValues: [String: [String]],
                            extras: inout FieldExtras, relations: inout RelationAttributes) -> Field? {
        var field = Field(name: f.name.name, dbName: nil, type: type, arity: f.arity, documentation: f.documentation, span: f.span)
        let isComposite = decl.kind == .type
        let containerLabel = isComposite ? "composite type" : decl.kind.label
        if case .model = type, isComposite {
            ctx.within(.types) { ctx.error("Error validating composite type \"\(decl.name.name)\": \(f.type.name) refers to a model, making this a relation field. Relation fields inside composite types are not supported.", f.type.span) }
            return nil
        }
        // Connector capabilities for the field's type.
        if ctx.provider != nil || ctx.datasourceName == nil {
            if f.arity == .list, !ctx.supportsScalarLists {
                switch type {
                case .scalar, .enumeration:
                    ctx.within(.models) { ctx.error("Field \"\(f.name.name)\" in \(containerLabel) \"\(decl.name.name)\" can't be a list. The current connector does not support lists of primitive types.", f.span) }
                default: break
                }
            }
            if case .scalar(.json) = type, !ctx.supportsJson {
                ctx.within(.models) { ctx.fieldError(f.name.name, container: decl.name.name, kind: decl.kind,
                               "Field `\(f.name.name)` in \(containerLabel) `\(decl.name.name)` can't be of type Json. The current connector does not support the Json type.", f.span) }
            }
        }
        if case .unsupported(let raw) = type, let provider = ctx.provider,
           let suggestion = NativeTypes.unsupportedSuggestion(raw, provider: provider, prefix: ctx.datasourceName ?? "db") {
            ctx.within(.models) { ctx.validationError("The type `Unsupported(\"\(raw)\")` you specified in the type definition for the field `\(f.name.name)` is supported as a native type by Prisma. Please use the native type notation `\(suggestion)` for full support.", f.span) }
        }
        // How many times each attribute is written, and whether this is its first: a field has a
        // few (counted by scans), but a line of thousands must stay linear (a dictionary past 8).
        let totals: [String: Int]? = f.attributes.count > 8 ? f.attributes.reduce(into: [:]) { $0[$1.name, default: 0] += 1 } : nil
        var seen: Set<String> = []
        // Each attribute read where it is stored (not copied out of the list).
        func apply(_ a: Attribute, at ai: Int, of attributes: UnsafeBufferPointer<Attribute>) {
            func count(_ range: Range<Int>) -> Int {
                var n = 0
                for i in range where attributes[i].name == a.name { n += 1 }
                return n
            }
            let total = totals?[a.name] ?? count(attributes.indices)
            let first = totals != nil ? seen.insert(a.name).inserted : count(0..<ai) == 0
            let isNative = a.name.utf8.contains(UInt8(ascii: "."))
            // Every occurrence of a repeated attribute is reported (as Prisma does); the first applies.
            if !isNative, total > 1 {
                ctx.error("Attribute \"@\(a.name)\" can only be defined once.", a.span)
            }
            if !first, !isNative { return }
            if isComposite, a.name == "ignore" {
                // (Prisma does not know `@ignore` on a composite type's field at all.)
                ctx.error("Attribute not known: \"@ignore\".", a.span)
                return
            }
            if isComposite, ModelBuilder.compositeForbidden.contains(a.name) {
                ctx.validationError("Defining `@\(a.name)` attribute for a field in a composite type is not allowed.", f.span)
                return
            }
            if isNative {
                applyNativeType(a, &field)
                return
            }
            // `@default` and `@relation` read their arguments themselves (here and when relations are
            // linked): they are not read twice.
            switch a.name {
            case "default":
                if case .composite(let typeName) = type {
                    reportArgumentErrors(a)
                    // (Prisma names the field's composite type here, not the block that holds the field.)
                    ctx.fieldError(f.name.name, container: typeName, kind: .type,
                                   "Defaults on fields of type composite are not supported. Please remove the `@default` attribute.", a.span)
                    return
                }
                let input = DefaultValidation.Input(fieldType: type, arity: f.arity, isComposite: isComposite,
                                                    enumValues: { if case .enumeration(let n) = type { return enumValues[n] } else { return nil } }())
                field.defaultValue = DefaultValidation.validate(a, input, ctx)
                return
            case "relation":
                if !field.isRelation {
                    reportArgumentErrors(a)
                    ctx.attributeError("@relation", "Invalid field type, not a relation.", a.span)
                    return
                }
                relations.set(at, a)
                return
            default:
                break
            }
            var args = AttributeArguments(a, prefix: "@", context: ctx)
            switch a.name {
            case "id":
                if field.isRelation {
                    ctx.attributeError("@id", "The field `\(field.name)` is a relation field and cannot be marked with `@id`. Only scalar fields can be declared as id.", a.span)
                } else if field.arity != .required {
                    ctx.attributeError("@id", "Fields that are marked as id must be required.", a.span)
                }
                if decl.kind == .view {
                    ctx.viewKeyWarning("Views cannot have primary keys.", a.span)
                }
                field.isId = true
                let index = IndexValidation.fieldIndex(kind: .primaryKey, field: field, attribute: a, args: &args, ctx: ctx)
                extras.indexes.append(index)
            case "unique":
                if field.isRelation {
                    let rel = relationFieldsOf(f)
                    let hint = rel.count > 1 ? "Did you mean to provide `@@unique([\(rel.joined(separator: ", "))])`?" : "Did you mean to put it on `\(rel.first ?? field.name)`?"
                    ctx.attributeError("@unique", "The field `\(field.name)` is a relation field and cannot be marked with `unique`. Only scalar fields can be made unique. \(hint)", a.span)
                }
                field.isUnique = true
                let index = IndexValidation.fieldIndex(kind: .unique, field: field, attribute: a, args: &args, ctx: ctx)
                extras.indexes.append(index)
            case "map":
                if let n = args.defaultArgument("name", context: ctx), let s = Coerce.string(n, ctx) {
                    if field.isRelation {
                        ctx.attributeError("@map", "The attribute `@map` cannot be used on relation fields.", a.span)
                    } else if ctx.provider == .mongodb || isComposite {
                        if s.hasPrefix("$") {
                            ctx.attributeError("@map", "The field name cannot start with a `$` character", a.span)
                        } else if s.contains(".") {
                            ctx.attributeError("@map", "The field name cannot contain a `.` character", a.span)
                        }
                    }
                    field.dbName = s
                }
            case "updatedAt":
                if field.scalarType != .dateTime {
                    ctx.attributeError("@updatedAt", "Fields that are marked with @updatedAt must be of type DateTime.", a.span)
                } else if field.isList {
                    ctx.attributeError("@updatedAt", "Fields that are marked with @updatedAt cannot be lists.", a.span)
                }
                field.isUpdatedAt = true
            case "ignore":
                if case .unsupported = type {
                    ctx.attributeError("@ignore", "Fields of type `Unsupported` cannot take an `@ignore` attribute. They are already treated as ignored by the client due to their type.", a.span)
                } else if modelIgnored {
                    ctx.attributeError("@ignore", "Fields on an already ignored Model do not need an `@ignore` annotation.", f.span)
                }
                field.isIgnored = true
            case "shardKey":
                if !ctx.previewFeatures.contains("shardKeys") {
                    ctx.attributeError("@shardKey", "Defining shard keys requires enabling the `shardKeys` preview feature", a.span)
                } else if ctx.provider == .mongodb || (ctx.provider != .mysql && ctx.provider != nil) {
                    ctx.attributeError("@shardKey", "Shard keys are not currently supported for provider \(ctx.provider?.rawValue ?? "")", a.span)
                } else if field.arity != .required, !modelIgnored {
                    ctx.attributeError("@shardKey", "Fields that are marked as shard keys must be required.", a.span)
                }
                extras.shardKeys += 1
            default:
                ctx.error("Attribute not known: \"@\(a.name)\".", a.span)
                return
            }
            args.reportUnused(context: ctx)
        }
        f.attributes.withUnsafeBufferPointer { attributes in
            for ai in attributes.indices { apply(attributes[ai], at: ai, of: attributes) }
        }
        return field
    }

    /// Reports what is wrong with a field attribute's arguments (as reading them does) where
    /// nothing else will read them, before the error that stops the attribute.
    private func reportArgumentErrors(_ a: Attribute) {
        _ = AttributeArguments(a, prefix: "@", context: ctx)
    }

    /// The `fields:` of a field's `@relation`, for hint messages.
    private func relationFieldsOf(_ f: FieldDeclaration) -> [String] {
        guard let rel = f.attributes.first(where: { $0.name == "relation" }),
              let fieldsArg = rel.arguments.arguments.first(where: { $0.name?.name == "fields" })?.value else { return [] }
        return Coerce.array(fieldsArg).compactMap(\.asConstant)
    }

    private func applyNativeType(_ a: Attribute, _ field: inout Field) {
        guard let dot = a.name.utf8.firstIndex(of: UInt8(ascii: ".")) else { return }
        let prefix = String(a.name[..<dot]), name = String(a.name[a.name.utf8.index(after: dot)...])
        guard let dsName = ctx.datasourceName, let provider = ctx.provider else {
            return
        }
        if prefix != dsName {
            ctx.error("The prefix \(prefix) is invalid. It must be equal to the name of an existing datasource e.g. \(dsName). Did you mean to use \(dsName).\(name)?", a.span)
            return
        }
        guard case .scalar(let scalar) = field.type else { return }
        field.nativeType = NativeTypes.validate(name: name, attribute: a, scalar: scalar, provider: provider, ctx: ctx)
    }
}

/// A field of a built model by position: the model's index in the model list and the field's
/// in its fields. Validation keys its side tables by it (two integers hash far cheaper than
/// "Model.field" strings built for every field).
/// A set of names that a model's fields fill: compared one by one while there are few (most
/// models: no hashing at all), hashed once there are many.
struct NameSet {
    private var few: [String] = []
    private var many: Set<String>?
    private static let scanLimit = 16

    init(capacity: Int) {
        if capacity > Self.scanLimit { many = Set(minimumCapacity: capacity) } else { few.reserveCapacity(capacity) }
    }

    /// Adds `name`; false when it was already there.
    mutating func insert(_ name: String) -> Bool {
        if many != nil { return many?.insert(name).inserted ?? false }
        if few.contains(name) { return false }
        few.append(name)
        if few.count > Self.scanLimit { many = Set(few) }
        return true
    }
}

extension ModelBuilder {
    /// The values of the enum named `name` (nil: no such enum).
    func enumValues(_ name: String) -> [String]? {
        enumDeclarations.first { $0.name.name == name }.map { $0.values.map(\.name.name) }
    }
}

/// `@relation` attributes by field, kept in model and field order as the builder meets them
/// (parts are joined by appending, not by merging hash tables); found by binary search.
struct RelationAttributes {
    private var refs: [FieldRef] = []
    private var attributes: [Attribute] = []

    /// Records `a` for `ref`, which follows every field recorded so far (or is the last one
    /// again: a field's later `@relation` replaces its earlier one, as a dictionary would).
    mutating func set(_ ref: FieldRef, _ a: Attribute) {
        if refs.last == ref { attributes[attributes.count - 1] = a; return }
        refs.append(ref)
        attributes.append(a)
    }

    /// Appends the attributes of fields that all follow these ones, leaving `other` empty.
    mutating func append(taking other: inout RelationAttributes) {
        refs.appendTaking(&other.refs)
        attributes.appendTaking(&other.attributes)
    }

    subscript(ref: FieldRef) -> Attribute? {
        var low = 0, high = refs.count
        while low < high {
            let mid = (low + high) / 2
            if refs[mid].precedes(ref) { low = mid + 1 } else { high = mid }
        }
        return low < refs.count && refs[low] == ref ? attributes[low] : nil
    }
}

struct FieldRef: Hashable {
    var model: Int
    var field: Int
    /// Whether this field comes before `other` in model order, then field order.
    func precedes(_ other: FieldRef) -> Bool { (model, field) < (other.model, other.field) }
}
