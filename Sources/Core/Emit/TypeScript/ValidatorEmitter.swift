import Foundation

/// `src/validators/<kebab>/<kebab>.{create,update,query}.zod.ts`: Zod schemas that
/// validate request input and turn it into Prisma `data` / `where`.
enum ValidatorEmitter {
    static func files(for m: ApiModel, plan: ApiPlan) -> [GeneratedFile] {
        var out = [query(m, plan)]
        if !m.isReadOnly {
            out.append(input(m, plan, update: false))
            out.append(input(m, plan, update: true))
        }
        return out
    }

    static func path(_ m: ApiModel, _ kind: String) -> String { "src/validators/\(m.kebab)/\(m.kebab).\(kind).zod.ts" }

    /// The base helpers a body may call, as `usesIdentifier` looks for them, and the name each
    /// imports: those for field values (composite types use only these), then those for queries.
    private static let valueHelpers: [(pattern: String, name: String)] = [
        ("zInt(", "zInt"), ("zBigInt", "zBigInt"), ("zDecimal", "zDecimal"), ("zDateTime", "zDateTime"), ("zDate", "zDate"),
        ("zJson", "zJson"), ("zBytes", "zBytes"),
    ]
    private static let helpers = valueHelpers + [
        ("filters.", "filters"), ("nullableFilters.", "nullableFilters"),
        ("pagination.", "pagination"), ("orderByParam(", "orderByParam"), ("includeParam(", "includeParam"),
    ]

    /// Which base helpers and enum value lists a schema body uses.
    private static func imports(for code: String, fields: [Field], into w: inout CodeWriter, extra: [String] = []) {
        let used = helpers.filter { usesIdentifier(code, $0.pattern) }.map(\.name) + extra
        w.line("import { z } from 'zod';")
        if !used.isEmpty { w.line("import { \(Set(used).sorted().joined(separator: ", ")) } from '../../base/index.js';") }
        let enums = Set(fields.compactMap { f -> String? in
            guard case .enumeration(let e) = f.type else { return nil }
            let name = "\(Naming.pascal(e))Values"
            return Naming.containsASCII(code, name) ? name : nil
        }).sorted()
        if !enums.isEmpty { w.line("import { \(enums.joined(separator: ", ")) } from '../../contracts/enums.js';") }
        let composites = Set(fields.compactMap { f -> String? in
            if case .composite(let c) = f.type { return "\(Naming.pascal(c))Schema" }
            return nil
        }).sorted()
        if !composites.isEmpty { w.line("import { \(composites.joined(separator: ", ")) } from '../composite-types.zod.js';") }
    }

    /// Whether `code` uses `name` as an identifier (not as part of a longer one or a property key).
    /// A name ending in `.` or `(` only needs a clean start. Searched on the bytes in place.
    static func usesIdentifier(_ code: String, _ name: String) -> Bool {
        var code = code, name = name
        return code.withUTF8 { hay in
            name.withUTF8 { needle in
                guard !needle.isEmpty else { return false }
                func word(_ b: UInt8) -> Bool {
                    (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 36
                }
                let open = needle.last == UInt8(ascii: ".") || needle.last == UInt8(ascii: "(")
                var i = 0
                while let at = ByteSearch.first(needle, in: hay, from: i) {
                    let beforeClean = at == 0 || (!word(hay[at - 1]) && hay[at - 1] != UInt8(ascii: "."))
                    let after = at + needle.count
                    let afterClean = open || after >= hay.count || (!word(hay[after]) && hay[after] != UInt8(ascii: ":"))
                    if beforeClean, afterClean { return true }
                    i = at + 1
                }
                return false
            }
        }
    }

    static func zodField(_ f: Field, optional: Bool, provider: Provider?) -> String {
        var s = TypeMapping.zodInput(f, provider: provider)
        if f.arity == .optional { s += ".nullable()" }
        if optional { s += ".optional()" }
        return s
    }

    /// `connect` target of an owned relation: the referenced fields of the target model.
    /// nil when the relation cannot be given by `connect`: a foreign key a client may not set
    /// (part of a generated key) or a list (MongoDB id arrays) cannot take the referenced value.
    static func connectSchema(_ r: Field, in m: ApiModel, plan: ApiPlan) -> String? {
        guard let fields = connectFields(r, in: m, writable: Set(m.writable.map(\.name)), plan: plan) else { return nil }
        let parts = fields.map { f in "\(tsKey(f.name)): \(TypeMapping.zodInput(f, provider: plan.schema.provider))" }
        return "z.object({ \(parts.joined(separator: ", ")) }).strict()"
    }

    /// The target's referenced fields, in `references` order, when `connectSchema` has a value (nil when it has none).
    /// `writable`: the names of `m.writable` (callers asking for many relations of one model work them out once).
    static func connectFields(_ r: Field, in m: ApiModel, writable: Set<String>, plan: ApiPlan) -> [Field]? {
        guard case .model(let t) = r.type, let target = plan.model(t), let info = r.relation, !info.references.isEmpty else { return nil }
        guard info.fields.allSatisfy({ fk in writable.contains(fk) && m.model.field(fk)?.isList == false }) else { return nil }
        let fields = info.references.compactMap { target.model.field($0) }
        return fields.count == info.references.count ? fields : nil
    }

    // MARK: create / update

    static func input(_ m: ApiModel, _ plan: ApiPlan, update: Bool) -> GeneratedFile {
        let fields = ContractEmitter.inputFields(m, update: update)
        let kind = update ? "Update" : "Create"
        var body = CodeWriter()
        body.block("const \(m.camel)\(kind)Fields = z", close: "  .strict();") { w in
            w.block(".object({", close: "})") { w in
                for f in fields {
                    let optional = update || !ContractEmitter.isRequiredOnCreate(f, m) || m.foreignKeyFields.contains(f.name)
                    w.line("\(tsKey(f.name)): \(zodField(f, optional: optional, provider: plan.schema.provider)),")
                }
                for r in m.ownedRelations {
                    guard let connect = connectSchema(r, in: m, plan: plan) else { continue }
                    if update && m.canDisconnect(r) {
                        w.line("\(tsKey(r.name)): z.union([z.object({ connect: \(connect) }).strict(), z.object({ disconnect: z.literal(true) }).strict()]).optional(),")
                    } else {
                        w.line("\(tsKey(r.name)): z.object({ connect: \(connect) }).strict().optional(),")
                    }
                }
                for r in m.manyToMany {
                    guard case .model(let t) = r.type, let target = plan.model(t), target.hasKey else { continue }
                    let list = "z.array(\(target.pascal)WhereUniqueSchema)"
                    if update {
                        w.line("\(tsKey(r.name)): z.object({ connect: \(list), disconnect: \(list), set: \(list) }).partial().strict().optional(),")
                    } else {
                        w.line("\(tsKey(r.name)): z.object({ connect: \(list) }).strict().optional(),")
                    }
                }
            }
        }
        let owned = m.ownedRelations.filter { connectSchema($0, in: m, plan: plan) != nil }
        var code = body.text
        var w2 = CodeWriter()
        w2.line()
        w2.doc("Validates a \(update ? "PATCH" : "POST") body and turns it into Prisma `data` (foreign keys set directly).")
        w2.line("export const \(m.pascal)\(kind)Schema = \(m.camel)\(kind)Fields")
        w2.indent { w in
            if !owned.isEmpty {
                w.block(".superRefine((input, ctx) => {", close: "})") { w in
                    for r in owned {
                        let fks = r.relation?.fields ?? []
                        let given = fks.map { "input.\($0) !== undefined" }.joined(separator: " || ")
                        let givenExpr = fks.count > 1 ? "(\(given))" : given
                        w.block("if (input.\(r.name) !== undefined && \(givenExpr)) {") { w in
                            w.line("ctx.addIssue({ code: z.ZodIssueCode.custom, path: [\(tsString(r.name))], message: \(tsString("Set either \(fks.joined(separator: ", ")) or \(r.name), not both")) });")
                        }
                        let requiredFks = fks.filter { name in m.model.field(name).map { $0.isRequired && $0.defaultValue == nil } ?? false }
                        if !update, !requiredFks.isEmpty {
                            // A foreign key shared by several relations is also set by their `connect`.
                            let missing = requiredFks.map { fk -> String in
                                let others = owned.filter { $0.name != r.name && ($0.relation?.fields ?? []).contains(fk) }
                                return (["input.\(fk) === undefined"] + others.map { "input.\($0.name) === undefined" }).joined(separator: " && ")
                            }.joined(separator: " || ")
                            let missingExpr = requiredFks.count > 1 ? "(\(missing))" : missing
                            w.block("if (input.\(r.name) === undefined && \(missingExpr)) {") { w in
                                w.line("ctx.addIssue({ code: z.ZodIssueCode.custom, path: [\(tsString(requiredFks[0]))], message: \(tsString("Required: set \(requiredFks.joined(separator: ", ")) or \(r.name).connect")) });")
                            }
                        }
                    }
                }
                w.block(".transform((input) => {", close: "});") { w in
                    w.line("const { \(owned.enumerated().map { "\(tsKey($1.name)): relation\($0)" }.joined(separator: ", ")), ...data } = input;")
                    for (index, r) in owned.enumerated() {
                        let local = "relation\(index)"
                        let fks = r.relation?.fields ?? []
                        let refs = r.relation?.references ?? []
                        w.block("if (\(local) !== undefined) {") { w in
                            if update && m.canDisconnect(r) {
                                w.block("if ('disconnect' in \(local)) {", close: "} else {") { w in
                                    for fk in fks { w.line("data.\(fk) = null;") }
                                }
                                w.indent { w in
                                    for (fk, ref) in zip(fks, refs) { w.line("data.\(fk) = \(local).connect.\(ref);") }
                                }
                                w.line("}")
                            } else {
                                for (fk, ref) in zip(fks, refs) { w.line("data.\(fk) = \(local).connect.\(ref);") }
                            }
                        }
                    }
                    w.line("return data;")
                }
            } else {
                w.line(".transform((input) => ({ ...input }));")
            }
        }
        code += w2.text
        code += "\nexport type \(m.pascal)\(kind)Input = z.input<typeof \(m.pascal)\(kind)Schema>;\n"
        code += "export type \(m.pascal)\(kind)Data = z.output<typeof \(m.pascal)\(kind)Schema>;\n"
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        imports(for: code, fields: fields, into: &w)
        // Several m:n relations to one model (a self m:n has two) import its WhereUnique schema once.
        var imported: Set<String> = []
        for r in m.manyToMany {
            guard case .model(let t) = r.type, let target = plan.model(t), target.hasKey, imported.insert(target.name).inserted else { continue }
            w.line("import { \(target.pascal)WhereUniqueSchema } from '../\(target.kebab)/\(target.kebab).query.zod.js';")
        }
        w.line()
        w.lines(trimmedNewlines(code))
        return GeneratedFile(path: path(m, update ? "update" : "create"), contents: w.text, kind: .validator, model: m.name)
    }

    // MARK: query

    static func query(_ m: ApiModel, _ plan: ApiPlan) -> GeneratedFile {
        let filterable = m.scalars.filter(m.isFilterable)
        let includable = m.relations.map(\.name)
        var body = CodeWriter()
        if m.hasKey {
            body.doc("Any unique criterion of a \(m.name) (used to `connect` it from other models).")
            let alternatives = m.uniqueCriteria.map { c -> String in
                let inner = c.fields.map { "\(tsKey($0.name)): \(TypeMapping.zodInput($0, provider: plan.schema.provider))" }.joined(separator: ", ")
                if let name = c.name { return "z.object({ \(tsKey(name)): z.object({ \(inner) }).strict() }).strict()" }
                return "z.object({ \(inner) }).strict()"
            }
            if alternatives.count == 1 {
                body.line("export const \(m.pascal)WhereUniqueSchema = \(alternatives[0]);")
            } else {
                body.block("export const \(m.pascal)WhereUniqueSchema = z.union([", close: "]);") { w in
                    for a in alternatives { w.line("\(a),") }
                }
            }
            body.line()
        }
        body.line("export const \(m.camel)SortableFields = [\(filterable.map { tsString($0.name) }.joined(separator: ", "))] as const;")
        body.line("export const \(m.camel)Relations = [\(includable.map(tsString).joined(separator: ", "))] as const;")
        body.line()
        body.line("export const \(m.pascal)IncludeSchema = includeParam(\(m.camel)Relations);")
        body.line()
        body.doc("`GET /api/\(m.route)` query: pagination, sorting, includes and one filter per field.")
        body.line("export const \(m.pascal)QuerySchema = z")
        body.indent { w in
            w.block(".object({", close: "})") { w in
                w.line("skip: pagination.skip,")
                w.line("take: pagination.take,")
                w.line("orderBy: orderByParam(\(m.camel)SortableFields).optional(),")
                w.line("include: \(m.pascal)IncludeSchema.optional(),")
                for f in filterable {
                    guard let filter = TypeMapping.zodFilter(f) else { continue }
                    w.line("\(tsKey(f.name)): \(filter).optional(),")
                }
            }
            w.line(".strict();")
        }
        body.line()
        body.line("export type \(m.pascal)Query = z.output<typeof \(m.pascal)QuerySchema>;")
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        imports(for: body.text, fields: filterable + m.uniqueCriteria.flatMap(\.fields), into: &w)
        w.line()
        w.lines(trimmedNewlines(body.text))
        return GeneratedFile(path: path(m, "query"), contents: w.text, kind: .validator, model: m.name)
    }

    /// `src/validators/composite-types.zod.ts`
    static func compositeTypes(_ plan: ApiPlan) -> GeneratedFile? {
        guard plan.hasCompositeTypes else { return nil }
        var body = CodeWriter()
        // Emit in dependency order so each schema is declared before use; cycles go through z.lazy.
        let all = plan.schema.compositeTypes
        for t in all {
            let name = Naming.pascal(t.name)
            let fields = t.fields.filter { if case .unsupported = $0.type { return false }; return true }
            body.line()
            body.doc("Composite type \(t.name).")
            body.block("export const \(name)Schema: z.ZodTypeAny = z.lazy(() =>", close: ");") { w in
                w.block("z.object({", close: "}).strict(),") { w in
                    for f in fields {
                        let optional = !(f.isRequired && f.defaultValue == nil)
                        w.line("\(tsKey(f.name)): \(zodField(f, optional: optional, provider: plan.schema.provider)),")
                    }
                }
            }
        }
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        let code = body.text
        let used = valueHelpers.filter { usesIdentifier(code, $0.pattern) }.map(\.name)
        w.line("import { z } from 'zod';")
        if !used.isEmpty { w.line("import { \(used.joined(separator: ", ")) } from '../base/index.js';") }
        let enums = Set(all.flatMap(\.fields).compactMap { f -> String? in
            if case .enumeration(let e) = f.type { return "\(Naming.pascal(e))Values" } else { return nil }
        }).sorted()
        if !enums.isEmpty { w.line("import { \(enums.joined(separator: ", ")) } from '../contracts/enums.js';") }
        w.lines(trimmedNewlines(code))
        return GeneratedFile(path: "src/validators/composite-types.zod.ts", contents: w.text, kind: .validator)
    }
}
