import Foundation

/// Phase 08: `openapi.json` (OpenAPI 3.1) describing exactly the routes the generated app mounts.
enum OpenAPIEmitter {
    static func file(_ plan: ApiPlan, title: String, apiPrefix: String) -> GeneratedFile {
        document(plan, title: title, apiPrefix: apiPrefix).file
    }

    /// The file and how many operations it describes (each has one unique operationId).
    /// Rendered as `JSONValue.object` would render the whole document, but model by model:
    /// each model's paths and schemas are built and rendered on their own (on all cores), so
    /// the full tree never exists at once; the parts are then joined in the plan's order.
    /// `perModel(m, render)` gives each model's part as `ModelPart.stored` bytes: what
    /// `render()` gives, or the same bytes kept from an earlier run (a cache).
    static func document(_ plan: ApiPlan, title: String, apiPrefix: String,
                         perModel: @Sendable (ApiModel, () -> [Data]) -> [Data] = { $1() }) -> (file: GeneratedFile, operations: Int) {
        let (bytes, operations) = rendered(plan, title: title, apiPrefix: apiPrefix, perModel: perModel)
        return (GeneratedFile(path: path, contents: String(decoding: bytes, as: UTF8.self), kind: .openapi), operations)
    }

    static let path = "openapi.json"

    /// `document`'s bytes (no string is made of them: checking megabytes of UTF-8 costs).
    static func rendered(_ plan: ApiPlan, title: String, apiPrefix: String,
                         perModel: @Sendable (ApiModel, () -> [Data]) -> [Data] = { $1() }) -> (bytes: Data, operations: Int) {
        var paths = JSONObjectWriter(indent: 1)    // doc.paths
        var schemas = JSONObjectWriter(indent: 2)  // doc.components.schemas
        schemas.add("ListMeta", [
            "type": "object",
            "required": ["total", "skip", "take", "hasMore"],
            "properties": [
                "total": ["type": "integer", "minimum": 0],
                "skip": ["type": "integer", "minimum": 0],
                "take": ["type": "integer", "minimum": 1, "maximum": 100],
                "hasMore": ["type": "boolean"],
            ],
        ])
        schemas.add("Error", [
            "type": "object",
            "required": ["error", "message"],
            "properties": [
                "error": ["type": "string", "examples": ["NotFound"]],
                "message": ["type": "string"],
                "details": ["description": "Field errors for validation failures, or database details."],
            ],
        ])
        for e in plan.schema.enums {
            var s: [(String, JSONValue)] = [("type", "string"), ("enum", .array(e.values.map { .string($0.name) }))]
            if let d = ApiModel.description(e.documentation) { s.append(("description", .string(d))) }
            schemas.add(Naming.pascal(e.name), .object(s))
        }
        for t in plan.schema.compositeTypes {
            let fields = t.fields.filter { if case .unsupported = $0.type { return false }; return true }
            schemas.add(Naming.pascal(t.name), objectSchema(fields.map { ($0.name, fieldSchema($0, input: false)) },
                                                            required: fields.filter { $0.arity != .list }.map(\.name),
                                                            description: ApiModel.description(t.documentation)))
            schemas.add(Naming.pascal(t.name) + "Input", objectSchema(fields.map { ($0.name, fieldSchema($0, input: true)) },
                                                                  required: fields.filter { $0.isRequired && $0.defaultValue == nil }.map(\.name),
                                                                  description: nil))
        }
        let parts = ResultSlots<ModelPart>(count: plan.models.count)
        DispatchQueue.concurrentPerform(iterations: plan.models.count) { i in
            let m = plan.models[i]
            let stored = perModel(m) { ModelPart(m, plan: plan).stored }
            // Bytes that do not read back (never expected from a checked cache): rendered again.
            parts[i] = ModelPart(stored: stored) ?? ModelPart(m, plan: plan)
        }
        // operationIds are unique across the document: each model's, made on its own, are
        // checked against the earlier models' ones; on a clash its paths are made again in
        // order, as a model-by-model run would make them.
        var ops = OperationIds()
        for (i, m) in plan.models.enumerated() {
            guard var part = parts[i] else { continue }
            if !ops.accept(part.operations) {
                part.paths = JSONObjectWriter(indent: 1, chunkSize: ModelPart.chunkSize)
                modelPaths(m, targets: ServiceEmitter.relationTargets(m, plan), ops: &ops, into: &part.paths)
            }
            paths.add(contentsOf: part.paths)
            schemas.add(contentsOf: part.schemas)
        }
        var info: [(String, JSONValue)] = [("title", .string(title)), ("version", "1.0.0")]
        info.append(("description", .string("REST API generated by phaserunner from the Prisma schema. Lists are paginated with `skip`/`take` (at most 100) and return `{ data, meta }`; single rows return `{ data }`.")))
        let tags: JSONValue = .array(plan.models.map { m in
            var t: [(String, JSONValue)] = [("name", .string(m.name))]
            if let d = ApiModel.description(m.model.documentation) { t.append(("description", .string(d))) }
            return .object(t)
        })
        var doc = JSONObjectWriter(indent: 0)
        doc.add("openapi", "3.1.0")
        doc.add("info", .object(info))
        doc.add("servers", [["url": .string(apiPrefix), "description": "This server"]])
        doc.add("tags", tags)
        doc.add("paths", paths)
        var components = JSONObjectWriter(indent: 1)
        components.add("schemas", schemas)
        components.add(contentsOf: [
            ("parameters", [
                "skip": ["name": "skip", "in": "query", "description": "Rows to skip.", "schema": ["type": "integer", "minimum": 0, "default": 0]],
                "take": ["name": "take", "in": "query", "description": "Page size; values above 100 are capped.", "schema": ["type": "integer", "minimum": 1, "default": 20]],
            ]),
            ("responses", [
                "BadRequest": response("Invalid input: validation errors are listed in `details`."),
                "NotFound": response("No such row."),
                "Conflict": response("A unique constraint failed, or the row is still referenced."),
                "UnprocessableEntity": response("A related record named by a foreign key or `connect` does not exist; `details.relations` names the relations."),
                "InternalError": response("Unexpected error (no internals when NODE_ENV=production)."),
            ]),
        ])
        doc.add("components", components)
        let out = JSONBuffer()
        doc.close(into: out)
        out.put(UInt8(ascii: "\n"))
        return (out.data(), ops.used.count)
    }

    private static func response(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
    }

    private static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// One model's members of `paths` and of `components.schemas`, rendered, with the
    /// operationIds its paths use (made unique within the model only).
    struct ModelPart {
        static let chunkSize = 1 << 14
        var paths = JSONObjectWriter(indent: 1, chunkSize: chunkSize)
        var schemas = JSONObjectWriter(indent: 2, chunkSize: chunkSize)
        let operations: [(base: String, id: String)]

        init(_ m: ApiModel, plan: ApiPlan) {
            let targets = ServiceEmitter.relationTargets(m, plan)
            var ops = OperationIds()
            modelPaths(m, targets: targets, ops: &ops, into: &paths)
            schemas.add(contentsOf: modelSchemas(m, plan: plan, targets: targets))
            operations = ops.made
        }

        /// The part as three byte strings: the rendered paths, the rendered schemas, and a
        /// list (`paths N schemas N`, then one `base<TAB>id` line per operation).
        var stored: [Data] {
            var list = "paths \(paths.count) schemas \(schemas.count)\n"
            for (base, id) in operations { list += "\(base)\t\(id)\n" }
            return [paths.rendered, schemas.rendered, Data(list.utf8)]
        }

        /// A part from `stored`; nil when the bytes are not a part.
        init?(stored: [Data]) {
            guard stored.count == 3 else { return nil }
            // The list, read on its raw bytes (`Data` slicing and splitting are slow).
            let list: (paths: Int, schemas: Int, ops: [(base: String, id: String)])? = stored[2].withUnsafeBytes { raw in
                let b = raw.bindMemory(to: UInt8.self)
                var lines: [Range<Int>] = []
                var start = 0
                for i in 0..<b.count where b[i] == 10 {
                    lines.append(start..<i)
                    start = i + 1
                }
                guard start == b.count, let first = lines.first else { return nil }
                func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
                let head = text(first).split(separator: " ")
                guard head.count == 4, head[0] == "paths", head[2] == "schemas", let p = Int(head[1]), let s = Int(head[3]) else { return nil }
                var ops: [(base: String, id: String)] = []
                ops.reserveCapacity(lines.count - 1)
                for line in lines.dropFirst() {
                    guard let tab = b[line].firstIndex(of: 9) else { return nil }
                    ops.append((text(line.lowerBound..<tab), text((tab + 1)..<line.upperBound)))
                }
                return (p, s, ops)
            }
            guard let (p, s, ops) = list else { return nil }
            // The rendered bytes are kept as they are (copied once, into the document).
            paths = JSONObjectWriter(indent: 1, rendered: stored[0], count: p, chunkSize: 64)
            schemas = JSONObjectWriter(indent: 2, rendered: stored[1], count: s, chunkSize: 64)
            operations = ops
        }
    }

    /// Unique operationIds even when model names collide after pluralising.
    struct OperationIds {
        var used: Set<String> = []
        /// Every id made, with the name it was made from, in order.
        private(set) var made: [(base: String, id: String)] = []

        mutating func make(_ base: String) -> String {
            var id = base, n = 2
            while used.contains(id) { id = "\(base)\(n)"; n += 1 }
            used.insert(id)
            made.append((base, id))
            return id
        }

        /// Takes ids made elsewhere (`make` on a fresh `OperationIds`) when making them here, in
        /// order, gives the same ids; otherwise changes nothing and returns false.
        mutating func accept(_ ids: [(base: String, id: String)]) -> Bool {
            var trial = OperationIds()
            for (base, id) in ids {
                var candidate = base, n = 2
                while used.contains(candidate) || trial.used.contains(candidate) { candidate = "\(base)\(n)"; n += 1 }
                guard candidate == id else { return false }
                trial.used.insert(candidate)
            }
            used.formUnion(trial.used)
            made += ids
            return true
        }
    }

    static func objectSchema(_ props: [(String, JSONValue)], required: [String], description: String?) -> JSONValue {
        var s: [(String, JSONValue)] = [("type", "object")]
        if let description { s.append(("description", .string(description))) }
        if !required.isEmpty { s.append(("required", .array(required.map { .string($0) }))) }
        s.append(("properties", .object(props)))
        s.append(("additionalProperties", false))
        return .object(s)
    }

    /// JSON Schema of one field; OpenAPI 3.1 nullability is `type: [T, "null"]`.
    static func fieldSchema(_ f: Field, input: Bool) -> JSONValue {
        if case .scalar(let s) = f.type, f.documentation == nil {
            return scalarFieldSchemas[scalarFieldIndex(s, f.arity, input: input)]
        }
        return buildFieldSchema(f, input: input)
    }

    /// `fieldSchema` of an undocumented scalar field depends on its type, arity and `input`
    /// only: each is built once and shared.
    private static let scalarFieldSchemas: [JSONValue] = ScalarType.allCases.flatMap { s in
        [FieldArity.required, .optional, .list].flatMap { arity in
            [false, true].map { input in
                buildFieldSchema(Field(name: "", type: .scalar(s), arity: arity, span: Span(file: 0, start: 0, end: 0)), input: input)
            }
        }
    }

    private static func scalarFieldIndex(_ s: ScalarType, _ arity: FieldArity, input: Bool) -> Int {
        let a: Int
        switch arity {
        case .required: a = 0
        case .optional: a = 1
        case .list: a = 2
        }
        return ((ScalarType.allCases.firstIndex(of: s) ?? 0) * 3 + a) * 2 + (input ? 1 : 0)
    }

    private static func buildFieldSchema(_ f: Field, input: Bool) -> JSONValue {
        var base: [(String, JSONValue)]
        var isRef = false
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string: base = [("type", "string")]
            case .int: base = [("type", "integer"), ("format", "int32"), ("minimum", .integer(-2147483648)), ("maximum", .integer(2147483647))]
            case .float: base = [("type", "number"), ("format", "double")]
            case .bigInt:
                base = input ? [("type", ["string", "integer"]), ("pattern", "^-?[0-9]+$"), ("format", "int64")]
                    : [("type", "string"), ("pattern", "^-?[0-9]+$"), ("format", "int64")]
            case .decimal:
                base = input ? [("type", ["string", "number"]), ("pattern", "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
                    : [("type", "string"), ("pattern", "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"), ("description", "Decimal as a string (no precision loss).")]
            case .boolean: base = [("type", "boolean")]
            case .dateTime: base = [("type", "string"), ("format", "date-time")]
            case .json: base = [("description", "Any JSON value.")]
            case .bytes: base = [("type", "string"), ("contentEncoding", "base64")]
            }
        case .enumeration(let e):
            base = [("$ref", .string("#/components/schemas/\(Naming.pascal(e))"))]; isRef = true
        case .composite(let c):
            base = [("$ref", .string("#/components/schemas/\(Naming.pascal(c))\(input ? "Input" : "")"))]; isRef = true
        default:
            base = []
        }
        var schema: [(String, JSONValue)]
        if f.isList {
            schema = [("type", "array"), ("items", .object(base))]
        } else if f.arity == .optional {
            if isRef || f.scalarType == .json {
                schema = isRef ? [("oneOf", [.object(base), ["type": "null"]])] : base
            } else {
                schema = base.map { k, v in
                    guard k == "type" else { return (k, v) }
                    if case .array(let types) = v { return (k, .array(types + ["null"])) }
                    return (k, [v, "null"])
                }
            }
        } else {
            schema = base
        }
        if let d = ApiModel.description(f.documentation) {
            if let i = schema.firstIndex(where: { $0.0 == "description" }) { schema[i] = ("description", .string(d)) } else { schema.append(("description", .string(d))) }
        }
        if isRef, !f.isList, f.arity != .optional, schema.contains(where: { $0.0 == "description" }) {
            // $ref with siblings is fine in 3.1, but keep refs clean: wrap in allOf.
            let desc = schema.first { $0.0 == "description" }!.1
            schema = [("allOf", [.object(base)]), ("description", desc)]
        }
        return .object(schema)
    }

    /// `targets`: `ServiceEmitter.relationTargets(m, plan)`.
    static func modelSchemas(_ m: ApiModel, plan: ApiPlan, targets: [(field: Field, target: ApiModel)]) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        let visible = m.visible
        var readProps = visible.map { ($0.name, fieldSchema($0, input: false)) }
        for (f, target) in targets {
            let r = ref("\(target.pascal)Read")
            let s: JSONValue = f.isList ? ["type": "array", "items": r, "description": .string("Present with `?include=\(f.name)` (at most 100 rows).")]
                : f.isRequired ? ["allOf": [r], "description": .string("Present with `?include=\(f.name)`.")]
                : ["oneOf": [r, ["type": "null"]], "description": .string("Present with `?include=\(f.name)`.")]
            readProps.append((f.name, s))
        }
        out.append(("\(m.pascal)Read", objectSchema(readProps, required: visible.map(\.name), description: ApiModel.description(m.model.documentation))))
        if !m.isReadOnly {
            let writable = Set(m.writable.map(\.name))
            let foreignKeys = m.foreignKeyFields
            // Owned relations a client may give by `connect`, with that schema (the same for create and update).
            let connects: [(relation: Field, schema: JSONValue)] = m.ownedRelations.compactMap { r in
                guard case .model(let t) = r.type, let fields = ValidatorEmitter.connectFields(r, in: m, writable: writable, plan: plan) else { return nil }
                let refProps = fields.map { ($0.name, fieldSchema($0, input: true)) }
                let connect = objectSchema([("connect", objectSchema(refProps, required: fields.map(\.name), description: nil))], required: ["connect"],
                                           description: "Connect an existing \(t) (instead of \(r.relation?.fields.joined(separator: ", ") ?? "the foreign key")).")
                return (r, connect)
            }
            for update in [false, true] {
                let fields = ContractEmitter.inputFields(m, update: update)
                var props = fields.map { f -> (String, JSONValue) in
                    var s = fieldSchema(f, input: true)
                    if m.hidden.contains(f.name), case .object(var pairs) = s {
                        pairs.append(("writeOnly", true))
                        s = .object(pairs)
                    }
                    return (f.name, s)
                }
                for (r, connect) in connects {
                    if update && m.canDisconnect(r) {
                        props.append((r.name, ["oneOf": [connect, disconnectSchema]]))
                    } else {
                        props.append((r.name, connect))
                    }
                }
                for r in m.manyToMany {
                    guard case .model(let t) = r.type, let target = plan.model(t), target.hasKey else { continue }
                    let list: JSONValue = ["type": "array", "items": ref("\(target.pascal)WhereUnique")]
                    let ops: [(String, JSONValue)] = update ? [("connect", list), ("disconnect", list), ("set", list)] : [("connect", list)]
                    props.append((r.name, objectSchema(ops, required: update ? [] : ["connect"], description: "Link existing \(Naming.pluralPascal(t)).")))
                }
                let required = update ? [] : fields.filter { ContractEmitter.isRequiredOnCreate($0, foreignKeys: foreignKeys) }.map(\.name)
                var schema = objectSchema(props, required: required, description: nil)
                let choices = update ? [] : requiredRelationChoices(m, connectable: connects.map(\.relation))
                if !choices.isEmpty, case .object(var pairs) = schema {
                    pairs.append(("allOf", .array(choices)))
                    schema = .object(pairs)
                }
                out.append(("\(m.pascal)\(update ? "Update" : "Create")", schema))
            }
        }
        if m.hasKey {
            let alternatives: [JSONValue] = m.uniqueCriteria.map { c in
                let inner = objectSchema(c.fields.map { ($0.name, fieldSchema($0, input: true)) }, required: c.fields.map(\.name), description: nil)
                if let name = c.name { return objectSchema([(name, inner)], required: [name], description: nil) }
                return inner
            }
            out.append(("\(m.pascal)WhereUnique", alternatives.count == 1 ? alternatives[0] : ["oneOf": .array(alternatives)]))
        }
        out.append(("\(m.pascal)Response", objectSchema([("data", ref("\(m.pascal)Read"))], required: ["data"], description: nil)))
        out.append(("\(m.pascal)ListResponse", objectSchema([("data", ["type": "array", "items": ref("\(m.pascal)Read")]), ("meta", ref("ListMeta"))],
                                                           required: ["data", "meta"], description: nil)))
        return out
    }

    private static let disconnectSchema = objectSchema([("disconnect", ["const": true])], required: ["disconnect"], description: nil)

    /// A required owned relation is given by its foreign keys or by `connect`: one `anyOf` each.
    /// `connectable`: the owned relations that can be given by `connect`, in `ownedRelations` order.
    static func requiredRelationChoices(_ m: ApiModel, connectable: [Field]) -> [JSONValue] {
        connectable.compactMap { r -> JSONValue? in
            let fks = (r.relation?.fields ?? []).filter { name in m.model.field(name).map { $0.isRequired && $0.defaultValue == nil } ?? false }
            guard !fks.isEmpty else { return nil }
            return ["anyOf": [["required": .array(fks.map { .string($0) })], ["required": [.string(r.name)]]]]
        }
    }

    private static func content(_ schema: String) -> JSONValue {
        ["application/json": ["schema": ref(schema)]]
    }

    private static func errors(_ codes: [String]) -> [(String, JSONValue)] {
        codes.map { code in
            let name = ["400": "BadRequest", "404": "NotFound", "409": "Conflict", "422": "UnprocessableEntity", "500": "InternalError"][code] ?? "InternalError"
            return (code, ["$ref": .string("#/components/responses/\(name)")])
        }
    }

    // Parts every model's paths share, built once.
    private static let listErrors = errors(["400", "500"])
    private static let createErrors = errors(["400", "409", "422", "500"])
    private static let readErrors = errors(["400", "404", "500"])
    private static let updateErrors = errors(["400", "404", "409", "422", "500"])
    private static let deleteErrors = errors(["400", "404", "409", "500"])
    private static let pageParameters: [JSONValue] = [["$ref": "#/components/parameters/skip"], ["$ref": "#/components/parameters/take"]]
    private static let stringSchema: JSONValue = ["type": "string"]
    private static let commaSeparatedSchema: JSONValue = ["type": "string", "description": "Comma-separated values."]
    private static let isNullSchema: JSONValue = ["type": "boolean", "description": "true: the field is null; false: it is not."]

    /// A field's filter: `?f=value` (equality) or operators as a deepObject (`?f[gte]=1&f[lt]=9`);
    /// optional fields also take `f[isNull]=true|false`.
    /// Written as an array element; the filter object of a scalar field is copied as rendered once.
    static func queryParameter(_ f: Field, into p: inout JSONObjectStream) {
        p.add("name", .string(f.name))
        p.add("in", "query")
        p.add("required", false)
        p.add("style", "deepObject")
        p.add("explode", true)
        p.add("description", .string(filterDescription(f)))
        if case .scalar(let s) = f.type {
            let i = scalarFilterIndex(s, dateOnly: TypeMapping.isDateOnly(f), required: f.isRequired)
            p.add("schema", scalarFilterSchemas[i], rendered: scalarFilterBytes[i], at: filterSchemaLevel)
        } else {
            p.add("schema", filterSchema(f))
        }
    }

    /// Level of a filter object in the document: paths, path, operation, parameters, parameter, schema.
    private static let filterSchemaLevel = 6

    private static let scalarFilterBytes: [[UInt8]] = scalarFilterSchemas.map { schema in
        let out = JSONBuffer(chunkSize: 1 << 12)
        schema.write(to: out, indent: filterSchemaLevel)
        return Array(out.joined().utf8)
    }

    private static func filterDescription(_ f: Field) -> String {
        var d = "Filter on `\(f.name)`: `\(f.name)=value` is short for `\(f.name)[equals]=value`; other operators as `\(f.name)[op]=value`."
        if !f.isRequired { d += " `\(f.name)[isNull]=true` matches rows where it is null, `false` where it is set (the word `null` is an ordinary value)." }
        if let doc = ApiModel.description(f.documentation) { d = doc + "\n\n" + d }
        return d
    }

    /// The filter object of a scalar field depends on its type, whether it is a date only
    /// (`@db.Date`) and whether it is required: each is built once and shared.
    private static let scalarFilterSchemas: [JSONValue] = ScalarType.allCases.flatMap { s in
        [false, true].flatMap { dateOnly in
            [false, true].map { required in
                filterSchema(Field(name: "", type: .scalar(s), arity: required ? .required : .optional,
                                   nativeType: dateOnly ? NativeType(prefix: "db", name: "Date", arguments: []) : nil, span: Span(file: 0, start: 0, end: 0)))
            }
        }
    }

    private static func scalarFilterIndex(_ s: ScalarType, dateOnly: Bool, required: Bool) -> Int {
        ((ScalarType.allCases.firstIndex(of: s) ?? 0) * 2 + (dateOnly ? 1 : 0)) * 2 + (required ? 1 : 0)
    }

    /// `{ type: object, properties: { equals, …, not, isNull? } }` of a field's filter.
    private static func filterSchema(_ f: Field) -> JSONValue {
        var value: JSONValue
        switch f.type {
        case .scalar(.int): value = ["type": "integer", "minimum": .integer(-2147483648), "maximum": .integer(2147483647)]
        case .scalar(.float): value = ["type": "number"]
        case .scalar(.boolean): value = ["type": "boolean"]
        case .scalar(.dateTime): value = TypeMapping.isDateOnly(f) ? ["type": "string", "anyOf": [["format": "date"], ["format": "date-time"]]] : ["type": "string", "format": "date-time"]
        case .scalar(.bigInt): value = ["type": "string", "pattern": "^-?[0-9]+$"]
        case .scalar(.decimal): value = ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"]
        case .enumeration(let e): value = ref(Naming.pascal(e))
        default: value = stringSchema
        }
        let list = commaSeparatedSchema
        var ops: [(String, JSONValue)] = [("equals", value)]
        switch f.type {
        case .scalar(.string): ops += [("contains", value), ("startsWith", value), ("endsWith", value), ("in", list), ("notIn", list)]
        case .scalar(.boolean): break
        case .enumeration: ops += [("in", list), ("notIn", list)]
        default: ops += [("gt", value), ("gte", value), ("lt", value), ("lte", value), ("in", list), ("notIn", list)]
        }
        ops.append(("not", value))
        if !f.isRequired { ops.append(("isNull", isNullSchema)) }
        return .object([("type", "object"), ("properties", .object(ops)), ("additionalProperties", false)])
    }

    static func keyParameters(_ m: ApiModel) -> [JSONValue] {
        m.key.map { f in
            var schema = fieldSchema(Field(name: f.name, type: f.type, arity: .required, span: f.span), input: false)
            if case .scalar(.bigInt) = f.type { schema = ["type": "string", "pattern": "^-?[0-9]+$"] }
            if case .scalar(.decimal) = f.type { schema = ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"] }
            return ["name": .string(ServiceEmitter.paramName(f)), "in": "path", "required": true, "schema": schema]
        }
    }

    /// `targets`: `ServiceEmitter.relationTargets(m, plan)`.
    /// Writes the model's members of `paths` straight into `paths` (no tree for the whole path items).
    static func modelPaths(_ m: ApiModel, targets: [(field: Field, target: ApiModel)], ops: inout OperationIds, into paths: inout JSONObjectWriter) {
        let base = "/\(m.route)"
        let tag: JSONValue = [.string(m.name)]
        let plural = Naming.pluralPascal(m.name)
        var listParams = pageParameters
        let sortable = m.scalars.filter(m.isSortable).map(\.name)
        listParams.append(["name": "orderBy", "in": "query", "required": false,
                           "description": .string("Comma-separated fields; `-field` or `field:desc` for descending. Sortable: \(sortable.joined(separator: ", "))."),
                           "schema": stringSchema])
        let relations = targets.map(\.field.name)
        let include: JSONValue? = relations.isEmpty ? nil : ["name": "include", "in": "query", "required": false,
                                                             "description": .string("Comma-separated relations to load: \(relations.joined(separator: ", "))."),
                                                             "schema": stringSchema]
        if let include { listParams.append(include) }
        let filterable = m.scalars.filter(m.isFilterable)
        paths.object(base) { collection in
            collection.object("get") { op in
                op.add("tags", tag)
                op.add("operationId", .string(ops.make("list\(plural)")))
                op.add("summary", .string("List \(plural)"))
                op.array("parameters") { parameters in
                    for p in listParams { parameters.add(p) }
                    for f in filterable { parameters.object { queryParameter(f, into: &$0) } }
                }
                op.object("responses") { responses in
                    responses.add("200", ["description": "A page of rows.", "content": content("\(m.pascal)ListResponse")])
                    for (code, response) in listErrors { responses.add(code, response) }
                }
            }
            if !m.isReadOnly {
                collection.object("post") { op in
                    op.add("tags", tag)
                    op.add("operationId", .string(ops.make("create\(m.pascal)")))
                    op.add("summary", .string("Create a \(m.name)"))
                    op.add("requestBody", ["required": true, "content": content("\(m.pascal)Create")])
                    op.object("responses") { responses in
                        responses.add("201", ["description": "Created.", "content": content("\(m.pascal)Response")])
                        for (code, response) in createErrors { responses.add(code, response) }
                    }
                }
            }
        }
        guard m.hasKey else { return }
        let keyPath = base + m.key.map { "/{\(ServiceEmitter.paramName($0))}" }.joined()
        let keyParams = keyParameters(m)
        for (f, target) in targets where f.isList {
            paths.object("\(keyPath)/\(f.name)") { path in
                path.object("get") { op in
                    op.add("tags", tag)
                    op.add("operationId", .string(ops.make("list\(m.pascal)\(Naming.pascal(f.name))")))
                    op.add("summary", .string("List the \(target.name) rows of a \(m.name)'s `\(f.name)`"))
                    op.array("parameters") { parameters in
                        for p in keyParams + pageParameters { parameters.add(p) }
                    }
                    op.object("responses") { responses in
                        responses.add("200", ["description": "A page of related rows.", "content": content("\(target.pascal)ListResponse")])
                        for (code, response) in readErrors { responses.add(code, response) }
                    }
                }
            }
        }
        paths.object(keyPath) { item in
            item.add("parameters", .array(keyParams))
            item.object("get") { op in
                op.add("tags", tag)
                op.add("operationId", .string(ops.make("get\(m.pascal)")))
                op.add("summary", .string("Get a \(m.name)"))
                op.add("parameters", .array(include.map { [$0] } ?? []))
                op.object("responses") { responses in
                    responses.add("200", ["description": "The row.", "content": content("\(m.pascal)Response")])
                    for (code, response) in readErrors { responses.add(code, response) }
                }
            }
            if !m.isReadOnly {
                item.object("patch") { op in
                    op.add("tags", tag)
                    op.add("operationId", .string(ops.make("update\(m.pascal)")))
                    op.add("summary", .string("Update a \(m.name): only the given fields change (there is no PUT)"))
                    op.add("requestBody", ["required": true, "content": content("\(m.pascal)Update")])
                    op.object("responses") { responses in
                        responses.add("200", ["description": "The updated row.", "content": content("\(m.pascal)Response")])
                        for (code, response) in updateErrors { responses.add(code, response) }
                    }
                }
                item.object("delete") { op in
                    op.add("tags", tag)
                    op.add("operationId", .string(ops.make("delete\(m.pascal)")))
                    op.add("summary", .string("Delete a \(m.name)"))
                    op.object("responses") { responses in
                        responses.add("204", ["description": "Deleted."])
                        for (code, response) in deleteErrors { responses.add(code, response) }
                    }
                }
            }
        }
    }
}
