import Foundation
@testable import Core

/// Cases for `Fixtures/runtime/validators.cjs`, derived from a schema's API plan: valid and
/// invalid bodies for every model and field type, relations by foreign key and by `connect`,
/// every filter operator, `orderBy`, `include` and the pagination limits.
struct RuntimeCase {
    var name: String
    var module: String
    var schema: String
    var input: Any?
    var query: String?
    var expectOK: Bool
    var errorPath: String?
    var output: Any?

    var json: [String: Any] {
        var o: [String: Any] = ["name": name, "module": module, "schema": schema, "expect": expectOK ? "ok" : "error"]
        if let input { o["input"] = input }
        if let query { o["query"] = query }
        if let errorPath { o["errorPath"] = errorPath }
        if let output { o["output"] = output }
        return o
    }
}

enum RuntimeCases {
    static func all(_ plan: ApiPlan) -> [RuntimeCase] {
        plan.models.flatMap { m in query(m, plan) + (m.isReadOnly ? [] : bodies(m, plan)) }
    }

    static func module(_ m: ApiModel, _ kind: String) -> String { "validators/\(m.kebab)/\(m.kebab).\(kind).zod.js" }

    // MARK: values

    /// A valid JSON body value for a field, or nil when none can be written.
    static func sample(_ f: Field, _ plan: ApiPlan, depth: Int = 0) -> Any? {
        let one: Any?
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string: one = "abc"
            case .int: one = TypeMapping.intRange(f, provider: plan.schema.provider).map { $0.0 + 1 } ?? 42
            case .float: one = 1.5
            case .bigInt: one = "9007199254740993"
            case .decimal: one = "12.50"
            case .boolean: one = true
            case .dateTime: one = TypeMapping.isDateOnly(f) ? "2024-01-31" : "2024-01-31T12:00:00.123+02:00"
            case .json: one = ["a": [1, ["b": NSNull()]]] as [String: Any]
            case .bytes: one = "AQID"
            }
        case .enumeration(let e): one = plan.schema.enumType(e)?.values.first?.name
        case .composite(let c):
            guard depth < 4, let t = plan.schema.compositeType(c) else { return nil }
            var obj: [String: Any] = [:]
            for g in t.fields where g.isRequired && g.defaultValue == nil {
                guard let v = sample(g, plan, depth: depth + 1) else { return nil }
                obj[g.name] = v
            }
            one = obj
        default: one = nil
        }
        guard let one else { return nil }
        return f.isList ? [one] : one
    }

    /// A value of the wrong type for a field, or nil where every JSON value is valid (Json).
    static func invalid(_ f: Field) -> Any? {
        if f.isList { return "not-a-list" }
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string: return 123
            case .int: return "42"
            case .float: return "x"
            case .bigInt: return 1.5
            case .decimal: return "abc"
            case .boolean: return "true"
            case .dateTime: return "2024-01-01 10:00"
            case .json: return nil
            case .bytes: return "***"
            }
        case .enumeration: return "NOT_A_VALUE"
        case .composite: return "x"
        default: return nil
        }
    }

    /// A valid query-string value for a field's filter, and an invalid one (nil: none).
    static func queryValues(_ f: Field, _ plan: ApiPlan) -> (valid: String, invalid: String?)? {
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string: return ("null", nil)
            case .int: return ("42", "4.5")
            case .float: return ("1.5", "x")
            case .bigInt: return ("9007199254740993", "1.5")
            case .decimal: return ("12.50", "abc")
            case .boolean: return ("true", "maybe")
            case .dateTime: return TypeMapping.isDateOnly(f) ? ("2024-01-31", "31.01.2024") : ("2024-01-31T12:00:00Z", "2024-01-01 10:00")
            case .json, .bytes: return nil
            }
        case .enumeration(let e):
            guard let v = plan.schema.enumType(e)?.values.first?.name else { return nil }
            return (v, "NOT_A_VALUE")
        default: return nil
        }
    }

    static func operators(_ f: Field) -> [String] {
        switch f.type {
        case .scalar(.string): return ["equals", "not", "in", "notIn", "contains", "startsWith", "endsWith"]
        case .scalar(.boolean): return ["equals", "not"]
        case .enumeration: return ["equals", "not", "in", "notIn"]
        default: return ["equals", "not", "in", "notIn", "lt", "lte", "gt", "gte"]
        }
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? s
    }

    // MARK: query

    static func query(_ m: ApiModel, _ plan: ApiPlan) -> [RuntimeCase] {
        let mod = module(m, "query"), schema = "\(m.pascal)QuerySchema"
        func c(_ name: String, _ q: String, ok: Bool, path: String? = nil, output: Any? = nil) -> RuntimeCase {
            RuntimeCase(name: "\(m.name) query \(name)", module: mod, schema: schema, input: nil, query: q, expectOK: ok, errorPath: path, output: output)
        }
        var out: [RuntimeCase] = [
            c("empty", "", ok: true),
            c("take capped at 100", "take=1000&skip=5", ok: true, output: ["take": 100, "skip": 5]),
            c("take 0", "take=0", ok: false, path: "take"),
            c("skip -1", "skip=-1", ok: false, path: "skip"),
            c("unknown parameter", "zzNoSuchField=1", ok: false),
            c("prototype pollution", "__proto__[polluted]=1", ok: false),
            c("constructor key", "constructor[prototype][polluted]=1", ok: false),
            c("unknown sort field", "orderBy=zzNoSuchField", ok: false, path: "orderBy"),
            c("unknown include", "include=zzNoSuchRelation", ok: false, path: "include"),
        ]
        for f in m.scalars where m.isFilterable(f) {
            guard let (valid, bad) = queryValues(f, plan) else { continue }
            let name = escape(f.name)
            out.append(c("\(f.name)=\(valid)", "\(name)=\(escape(valid))", ok: true))
            for op in operators(f) {
                let v = op == "in" || op == "notIn" ? "\(valid),\(valid)" : valid
                out.append(c("\(f.name)[\(op)]", "\(name)%5B\(op)%5D=\(escape(v))", ok: true))
            }
            out.append(c("\(f.name)[equals] with [not]", "\(name)[equals]=\(escape(valid))&\(name)[not]=\(escape(valid))", ok: true))
            if let bad {
                out.append(c("\(f.name) invalid", "\(name)=\(escape(bad))", ok: false, path: f.name))
                out.append(c("\(f.name)[not] invalid", "\(name)[not]=\(escape(bad))", ok: false, path: f.name))
            }
            out.append(c("\(f.name)[nope]", "\(name)[nope]=\(escape(valid))", ok: false, path: f.name))
            if f.isRequired {
                out.append(c("\(f.name)[isNull] on a required field", "\(name)[isNull]=true", ok: false, path: f.name))
            } else {
                out.append(c("\(f.name)[isNull]=true", "\(name)[isNull]=true", ok: true, output: [f.name: ["equals": NSNull()]]))
                out.append(c("\(f.name)[isNull]=false", "\(name)[isNull]=false", ok: true, output: [f.name: ["not": NSNull()]]))
                out.append(c("\(f.name)[isNull]=true with equals", "\(name)[isNull]=true&\(name)[equals]=\(escape(valid))", ok: false, path: f.name))
            }
            if m.isSortable(f) {
                out.append(c("orderBy -\(f.name)", "orderBy=-\(name)", ok: true, output: ["orderBy": [[f.name: "desc"]]]))
                out.append(c("orderBy \(f.name):asc", "orderBy=\(name):asc", ok: true, output: ["orderBy": [[f.name: "asc"]]]))
            }
        }
        for r in m.relations where plan.model({ if case .model(let t) = r.type { return t }; return "" }()) != nil {
            out.append(c("include \(r.name)", "include=\(escape(r.name))", ok: true, output: ["include": [r.name: true]]))
        }
        return out
    }

    // MARK: bodies

    static func bodies(_ m: ApiModel, _ plan: ApiPlan) -> [RuntimeCase] {
        var out: [RuntimeCase] = []
        for update in [false, true] {
            let kind = update ? "update" : "create"
            let mod = module(m, kind), schema = "\(m.pascal)\(update ? "Update" : "Create")Schema"
            func c(_ name: String, _ body: [String: Any], ok: Bool, path: String? = nil, output: Any? = nil) -> RuntimeCase {
                RuntimeCase(name: "\(m.name) \(kind) \(name)", module: mod, schema: schema, input: body, query: nil, expectOK: ok, errorPath: path, output: output)
            }
            let fields = ContractEmitter.inputFields(m, update: update)
            var full: [String: Any] = [:]
            var complete = true
            for f in fields {
                if let v = sample(f, plan) { full[f.name] = v } else if ContractEmitter.isRequiredOnCreate(f, m) || m.foreignKeyFields.contains(f.name) { complete = false }
            }
            // A required owned relation whose foreign key is not writable must go by connect.
            if complete {
                out.append(c("every field (foreign keys set directly)", full, ok: true))
            }
            if update { out.append(c("empty", [:], ok: true)) }
            out.append(c("unknown field", full.merging(["zzNoSuchField": 1]) { a, _ in a }, ok: false))
            for f in fields {
                guard let bad = invalid(f) else { continue }
                var body = full
                body[f.name] = bad
                out.append(c("\(f.name) wrong type", body, ok: false, path: f.name))
                if f.scalarType == .int, !f.isList {
                    var over = full
                    over[f.name] = 2147483648
                    out.append(c("\(f.name) beyond 32 bits", over, ok: false, path: f.name))
                }
                if f.scalarType == .bigInt, !f.isList, complete {
                    var unsafe = full
                    unsafe[f.name] = 9007199254740993 as Int64
                    out.append(c("\(f.name) unsafe integer as a number", unsafe, ok: false, path: f.name))
                    var big = full
                    big[f.name] = "9223372036854775807"
                    out.append(c("\(f.name) int64 max as a string", big, ok: true, output: [f.name: "9223372036854775807"]))
                    big[f.name] = "9223372036854775808"
                    out.append(c("\(f.name) beyond int64", big, ok: false, path: f.name))
                }
                if f.scalarType == .dateTime, !f.isList, complete {
                    for (value, ok) in [("2024-02-30T00:00:00Z", false), ("2024-01-31T12:00:00", false), ("2024-01-31T12:00:00Z", true)] {
                        var body = full
                        body[f.name] = value
                        out.append(c("\(f.name) = \(value)", body, ok: ok, path: ok ? nil : f.name, output: ok ? [f.name: "2024-01-31T12:00:00.000Z"] : nil))
                    }
                    var epoch = full
                    epoch[f.name] = 1
                    out.append(c("\(f.name) as epoch number", epoch, ok: false, path: f.name))
                }
            }
            // Generated sequences are never client-settable.
            for f in m.scalars where f.defaultValue == .autoincrement || f.defaultValue == .sequence {
                guard let v = sample(f, plan) else { continue }
                out.append(c("\(f.name) (a sequence) refused", full.merging([f.name: v]) { _, b in b }, ok: false))
            }
            out += relationCases(m, plan, full: full, complete: complete, update: update, make: c)
        }
        return out
    }

    static func relationCases(_ m: ApiModel, _ plan: ApiPlan, full: [String: Any], complete: Bool, update: Bool,
                              make c: (String, [String: Any], Bool, String?, Any?) -> RuntimeCase) -> [RuntimeCase] {
        var out: [RuntimeCase] = []
        for r in m.ownedRelations {
            guard ValidatorEmitter.connectSchema(r, in: m, plan: plan) != nil, case .model(let t) = r.type, let target = plan.model(t),
                  let info = r.relation, complete else { continue }
            var connect: [String: Any] = [:]
            for ref in info.references {
                guard let f = target.model.field(ref), let v = sample(f, plan) else { continue }
                connect[ref] = v
            }
            guard connect.count == info.references.count else { continue }
            var byConnect = full
            for fk in info.fields { byConnect.removeValue(forKey: fk) }
            byConnect[r.name] = ["connect": connect]
            out.append(c("\(r.name) by connect", byConnect, true, nil, nil))
            var both = full
            both[r.name] = ["connect": connect]
            out.append(c("\(r.name) by foreign key and connect", both, false, r.name, nil))
            if !update, r.isRequired, info.fields.contains(where: { fk in m.model.field(fk).map { $0.isRequired && $0.defaultValue == nil } ?? false }) {
                var neither = full
                for fk in info.fields { neither.removeValue(forKey: fk) }
                out.append(c("\(r.name) missing", neither, false, nil, nil))
            }
            out.append(c("\(r.name) connect with an unknown key", full.merging([r.name: ["connect": ["zz": 1]]]) { _, b in b }, false, r.name, nil))
            if update, m.canDisconnect(r) {
                var off = full
                for fk in info.fields { off.removeValue(forKey: fk) }
                off[r.name] = ["disconnect": true]
                out.append(c("\(r.name) disconnect", off, true, nil, Dictionary(uniqueKeysWithValues: info.fields.map { ($0, NSNull() as Any) })))
            }
        }
        for r in m.manyToMany {
            guard case .model(let t) = r.type, let target = plan.model(t), target.hasKey, complete,
                  let criterion = target.uniqueCriteria.first, criterion.name == nil else { continue }
            var item: [String: Any] = [:]
            for f in criterion.fields { if let v = sample(f, plan) { item[f.name] = v } }
            guard item.count == criterion.fields.count else { continue }
            let ops: [String: Any] = update ? ["connect": [item], "disconnect": [item], "set": [] as [Any]] : ["connect": [item]]
            out.append(c("\(r.name) m:n \(ops.keys.sorted().joined(separator: "/"))", full.merging([r.name: ops]) { _, b in b }, true, nil, nil))
            out.append(c("\(r.name) m:n bad item", full.merging([r.name: ["connect": [["zz": 1]]]]) { _, b in b }, false, r.name, nil))
        }
        return out
    }
}
