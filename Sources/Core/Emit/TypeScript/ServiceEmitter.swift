/// `src/services/<kebab>/<kebab>.service.ts`: Prisma calls behind each model's API.
enum ServiceEmitter {
    static func path(_ m: ApiModel) -> String { "src/services/\(m.kebab)/\(m.kebab).service.ts" }

    /// `/:a/:b` path parameter name of a key field.
    static func paramName(_ f: Field) -> String {
        let ok = f.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return ok ? f.name : Naming.identifier(f.name)
    }

    static func relationTargets(_ m: ApiModel, _ plan: ApiPlan) -> [(field: Field, target: ApiModel)] {
        m.relations.compactMap { f in
            guard case .model(let t) = f.type, let target = plan.model(t) else { return nil }
            return (f, target)
        }
    }

    static func file(_ m: ApiModel, plan: ApiPlan) -> GeneratedFile {
        var w = CodeWriter()
        let rels = relationTargets(m, plan)
        let listRels = rels.filter { $0.field.isList }
        w.line(BaseEmitter.headerLine)
        w.line("import type { PrismaClient } from '@prisma/client';")
        var baseImports = ["DEFAULT_TAKE", "listMeta", "serialize", "type IncludeSpec", "type ListResponse", "type ModelDelegate"]
        if !m.isReadOnly {
            if m.writable.contains(where: { $0.scalarType == .json && !$0.isList }) { baseImports.append("jsonNulls") }
            if !secretFields(m).isEmpty { baseImports.append("hashSecrets") }
            if !relationInputs(m, plan).isEmpty { baseImports += ["relatedRecordError", "relationsIn"] }
            if m.hasKey { baseImports.append("isPrismaKnownError") }
        }
        if rels.contains(where: { $0.field.isList }) { baseImports.append("MAX_TAKE") }
        if (!listRels.isEmpty || !m.isReadOnly) && m.hasKey { baseImports.append("NotFoundError") }
        if !listRels.isEmpty && m.hasKey { baseImports.append("type PageQuery") }
        w.line("import { \(baseImports.joined(separator: ", ")) } from '../../base/index.js';")
        let keyEnums = Set(m.key.compactMap { f -> String? in if case .enumeration(let e) = f.type { return Naming.pascal(e) }; return nil }).sorted()
        if !keyEnums.isEmpty { w.line("import type { \(keyEnums.joined(separator: ", ")) } from '../../contracts/enums.js';") }
        w.line("import { \(m.camel)ReadSelect, type \(m.pascal)ReadDTO } from '../../contracts/\(m.kebab)/\(m.kebab).read.dto.js';")
        var seenTargets: Set<String> = [m.name]
        for (_, target) in rels where seenTargets.insert(target.name).inserted {
            let listed = listRels.contains { $0.target.name == target.name }
            w.line("import { \(target.camel)ReadSelect\(listed ? ", type \(target.pascal)ReadDTO" : "") } from '../../contracts/\(target.kebab)/\(target.kebab).read.dto.js';")
        }
        w.line("import type { \(m.pascal)Query } from '../../validators/\(m.kebab)/\(m.kebab).query.zod.js';")
        if !m.isReadOnly {
            w.line("import type { \(m.pascal)CreateData } from '../../validators/\(m.kebab)/\(m.kebab).create.zod.js';")
            w.line("import type { \(m.pascal)UpdateData } from '../../validators/\(m.kebab)/\(m.kebab).update.zod.js';")
        }
        w.line()
        if m.hasKey {
            w.doc("The fields that address one \(m.name) (`/\(m.key.map { ":" + paramName($0) }.joined(separator: "/"))`).")
            w.line("export interface \(m.pascal)Key {")
            w.indent { w in for f in m.key { w.line("\(tsKey(f.name)): \(TypeMapping.keyType(f));") } }
            w.line("}")
            w.line()
            w.doc("Prisma's unique `where` for a key.")
            w.block("export function \(m.camel)WhereUnique(key: \(m.pascal)Key): Record<string, unknown> {") { w in
                let inner = m.key.map { "\(tsKey($0.name)): key.\($0.name)" }.joined(separator: ", ")
                if let compound = m.compoundKeyName {
                    w.line("return { \(tsKey(compound)): { \(inner) } };")
                } else {
                    w.line("return { \(inner) };")
                }
            }
            w.line()
        }
        // relation selects
        w.doc("How each includable relation is read (to-many relations are capped at MAX_TAKE rows).")
        w.block("const \(m.camel)RelationSelects: Record<string, object> = {", close: "};") { w in
            for (f, target) in rels {
                if f.isList {
                    let order = target.key.map { "{ \(tsKey($0.name)): 'asc' }" }.joined(separator: ", ")
                    w.line("\(tsKey(f.name)): { select: \(target.camel)ReadSelect, take: MAX_TAKE\(order.isEmpty ? "" : ", orderBy: [\(order)]") },")
                } else {
                    w.line("\(tsKey(f.name)): { select: \(target.camel)ReadSelect },")
                }
            }
        }
        w.line()
        w.block("function selectWith(include?: IncludeSpec): Record<string, unknown> {") { w in
            w.line("const select: Record<string, unknown> = { ...\(m.camel)ReadSelect };")
            w.block("if (include) {") { w in
                w.block("for (const name of Object.keys(include)) {") { w in
                    w.line("const relation = \(m.camel)RelationSelects[name];")
                    w.line("if (relation !== undefined) select[name] = relation;")
                }
            }
            w.line("return select;")
        }
        w.line()
        w.block("function toRead(row: unknown): \(m.pascal)ReadDTO {") { w in
            w.line("return serialize(row) as \(m.pascal)ReadDTO;")
        }
        w.line()
        let defaultOrder = m.key.map { "{ \(tsKey($0.name)): 'asc' as const }" }.joined(separator: ", ")
        if !m.isReadOnly {
            writeHelpers(m, plan: plan, into: &w)
            w.line()
        }
        w.doc("Data access for \(m.name)\(m.isReadOnly ? " (a view: read-only)" : ""). Pass your PrismaClient.")
        w.block("export function create\(m.pascal)Service(prisma: PrismaClient) {") { w in
            w.line("const delegate = prisma.\(m.delegate) as unknown as ModelDelegate;")
            w.block("return {", close: "};") { w in
                w.doc("A page of rows matching the query's filters, with the total count.")
                w.block("async list(query: \(m.pascal)Query): Promise<ListResponse<\(m.pascal)ReadDTO>> {", close: "},") { w in
                    w.line("const { skip = 0, take = DEFAULT_TAKE, orderBy, include, ...where } = query;")
                    w.block("const [rows, total] = await Promise.all([", close: "]);") { w in
                        w.line("delegate.findMany({ where, skip, take, orderBy: orderBy ?? [\(defaultOrder)], select: selectWith(include) }),")
                        w.line("delegate.count({ where }),")
                    }
                    w.line("return { data: rows.map(toRead), meta: listMeta(total, skip, take) };")
                }
                if m.hasKey {
                    w.doc("One row by key, or null.")
                    w.block("async findByKey(key: \(m.pascal)Key, include?: IncludeSpec): Promise<\(m.pascal)ReadDTO | null> {", close: "},") { w in
                        w.line("const row = await delegate.findUnique({ where: \(m.camel)WhereUnique(key), select: selectWith(include) });")
                        w.line("return row === null ? null : toRead(row);")
                    }
                } else {
                    w.doc("This view has no unique key, so single rows cannot be addressed.")
                    w.block("async findByKey(): Promise<\(m.pascal)ReadDTO | null> {", close: "},") { w in
                        w.line("return null;")
                    }
                }
                if !m.isReadOnly { writeMethods(m, plan: plan, into: &w) }
                for (f, target) in listRels where m.hasKey {
                    guard let opp = f.relation?.oppositeField, let oppField = target.model.field(opp) else { continue }
                    let method = "list" + Naming.pascal(f.name)
                    w.doc("The \(target.name) rows related through `\(f.name)`, a page at a time.")
                    w.block("async \(method)(key: \(m.pascal)Key, page: PageQuery): Promise<ListResponse<\(target.pascal)ReadDTO>> {", close: "},") { w in
                        w.line("const parent = await delegate.findUnique({ where: \(m.camel)WhereUnique(key), select: { \(m.key.map { "\(tsKey($0.name)): true" }.joined(separator: ", ")) } });")
                        w.line("if (parent === null) throw new NotFoundError(\(tsString(m.name)));")
                        w.line("const related = prisma.\(target.delegate) as unknown as ModelDelegate;")
                        let match = "{ " + m.key.map { "\(tsKey($0.name)): key.\($0.name)" }.joined(separator: ", ") + " }"
                        let filter = oppField.isList ? "{ some: \(match) }" : "{ is: \(match) }"
                        w.line("const where = { \(tsKey(opp)): \(filter) };")
                        w.line("const { skip = 0, take = DEFAULT_TAKE } = page;")
                        let order = target.key.map { "{ \(tsKey($0.name)): 'asc' as const }" }.joined(separator: ", ")
                        w.block("const [rows, total] = await Promise.all([", close: "]);") { w in
                            w.line("related.findMany({ where, skip, take, orderBy: [\(order)], select: \(target.camel)ReadSelect }),")
                            w.line("related.count({ where }),")
                        }
                        w.line("return { data: rows.map((row) => serialize(row) as \(target.pascal)ReadDTO), meta: listMeta(total, skip, take) };")
                    }
                }
            }
        }
        w.line()
        w.line("export type \(m.pascal)Service = ReturnType<typeof create\(m.pascal)Service>;")
        return GeneratedFile(path: path(m), contents: w.text, kind: .service, model: m.name)
    }

    /// Sensitive string fields a client writes (passed through the `hashSecret` hook).
    static func secretFields(_ m: ApiModel) -> [Field] {
        m.writable.filter { m.hidden.contains($0.name) && $0.scalarType == .string && !$0.isList && ApiModel.isSensitive($0) }
    }

    /// Input keys that name related records, by relation: the foreign keys of owned relations
    /// (their `connect` was turned into them) and the m:n relation keys themselves.
    static func relationInputs(_ m: ApiModel, _ plan: ApiPlan) -> [(relation: String, keys: [String])] {
        var out: [(String, [String])] = []
        for r in m.ownedRelations {
            let fks = (r.relation?.fields ?? []).filter { name in m.writable.contains { $0.name == name } }
            if !fks.isEmpty { out.append((r.name, fks)) }
        }
        for r in m.manyToMany {
            guard case .model(let t) = r.type, plan.model(t)?.hasKey == true else { continue }
            out.append((r.name, [r.name]))
        }
        return out
    }

    /// `prepare` (Json nulls, secrets) and the relation table used to name a failed write.
    static func writeHelpers(_ m: ApiModel, plan: ApiPlan, into w: inout CodeWriter) {
        let requiredJson = m.writable.filter { $0.scalarType == .json && $0.arity == .required }.map { tsString($0.name) }
        let optionalJson = m.writable.filter { $0.scalarType == .json && $0.arity == .optional }.map { tsString($0.name) }
        let secrets = secretFields(m).map { tsString($0.name) }
        let inputs = relationInputs(m, plan)
        if !inputs.isEmpty {
            w.doc("Input keys that name related records: a write failing on one of them is a 422 naming the relation.")
            w.block("const \(m.camel)RelationInputs: Record<string, readonly string[]> = {", close: "};") { w in
                for (relation, keys) in inputs { w.line("\(tsKey(relation)): [\(keys.map(tsString).joined(separator: ", "))],") }
            }
            w.line()
        }
        w.doc("Turns validated input into Prisma `data`\(secrets.isEmpty ? "" : ": sensitive fields go through the `hashSecret` hook (src/hooks/secrets.ts)").")
        w.block("async function prepare(data: object): Promise<object> {") { w in
            var expr = "{ ...data } as Record<string, unknown>"
            if !requiredJson.isEmpty || !optionalJson.isEmpty {
                expr = "jsonNulls(\(expr), [\(requiredJson.joined(separator: ", "))], [\(optionalJson.joined(separator: ", "))])"
            }
            if !secrets.isEmpty {
                w.line("return hashSecrets(\(tsString(m.name)), \(expr), [\(secrets.joined(separator: ", "))]);")
            } else {
                w.line("return \(expr);")
            }
        }
    }

    /// create / update / remove. A missing row is a 404 naming the model; a missing related
    /// record (foreign key or `connect`) is a 422 naming the relation.
    static func writeMethods(_ m: ApiModel, plan: ApiPlan, into w: inout CodeWriter) {
        let inputs = relationInputs(m, plan)
        let failed = inputs.isEmpty ? "err" : "relatedRecordError(err, relationsIn(data, \(m.camel)RelationInputs))"
        let keySelect = m.key.map { "\(tsKey($0.name)): true" }.joined(separator: ", ")
        w.block("async create(data: \(m.pascal)CreateData): Promise<\(m.pascal)ReadDTO> {", close: "},") { w in
            w.line("const input = await prepare(data);")
            if inputs.isEmpty {
                w.line("return toRead(await delegate.create({ data: input, select: selectWith() }));")
            } else {
                w.block("try {", close: "} catch (err) {") { w in
                    w.line("return toRead(await delegate.create({ data: input, select: selectWith() }));")
                }
                w.indent { w in w.line("throw \(failed);") }
                w.line("}")
            }
        }
        guard m.hasKey else { return }
        w.doc("Updates the given fields: 404 when the row does not exist.")
        w.block("async update(key: \(m.pascal)Key, data: \(m.pascal)UpdateData): Promise<\(m.pascal)ReadDTO> {", close: "},") { w in
            w.line("const input = await prepare(data);")
            w.block("try {", close: "} catch (err) {") { w in
                w.line("return toRead(await delegate.update({ where: \(m.camel)WhereUnique(key), data: input, select: selectWith() }));")
            }
            w.indent { w in
                w.block("if (isPrismaKnownError(err) && err.code === 'P2025') {") { w in
                    w.line("const row = await delegate.findUnique({ where: \(m.camel)WhereUnique(key), select: { \(keySelect) } });")
                    w.line("if (row === null) throw new NotFoundError(\(tsString(m.name)));")
                }
                w.line("throw \(failed);")
            }
            w.line("}")
        }
        w.block("async remove(key: \(m.pascal)Key): Promise<void> {", close: "},") { w in
            w.block("try {", close: "} catch (err) {") { w in
                w.line("await delegate.delete({ where: \(m.camel)WhereUnique(key), select: { \(keySelect) } });")
            }
            w.indent { w in
                w.line("if (isPrismaKnownError(err) && err.code === 'P2025') throw new NotFoundError(\(tsString(m.name)));")
                w.line("throw err;")
            }
            w.line("}")
        }
    }
}
