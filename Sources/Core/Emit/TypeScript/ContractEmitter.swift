/// `src/contracts/<kebab>/<kebab>.{read,create,update,query}.dto.ts`, plus shared
/// `enums.ts` and `composite-types.ts`: the JSON shapes clients see.
enum ContractEmitter {
    static func files(for m: ApiModel, plan: ApiPlan) -> [GeneratedFile] {
        var out = [read(m, plan), query(m, plan)]
        if !m.isReadOnly {
            out.append(create(m, plan))
            out.append(update(m, plan))
        }
        return out
    }

    static func path(_ m: ApiModel, _ kind: String) -> String { "src/contracts/\(m.kebab)/\(m.kebab).\(kind).dto.ts" }

    /// Imports of enum and composite types used by a set of fields, relative to a contracts model folder.
    static func sharedTypeImports(_ fields: [Field], input: Bool, into w: inout CodeWriter, depth: String = "..") {
        let enums = Set(fields.compactMap { if case .enumeration(let e) = $0.type { return Naming.pascal(e) } else { return nil } }).sorted()
        let composites = Set(fields.compactMap { if case .composite(let c) = $0.type { return Naming.pascal(c) + (input ? "Input" : "") } else { return nil } }).sorted()
        if fields.contains(where: { $0.scalarType == .json }) { w.line("import type { JsonValue } from '../../base/index.js';") }
        if !enums.isEmpty { w.line("import type { \(enums.joined(separator: ", ")) } from '\(depth)/enums.js';") }
        if !composites.isEmpty { w.line("import type { \(composites.joined(separator: ", ")) } from '\(depth)/composite-types.js';") }
    }

    static func fieldDoc(_ f: Field, extra: String? = nil) -> String? {
        let parts = [ApiModel.description(f.documentation), extra].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    // MARK: read

    static func read(_ m: ApiModel, _ plan: ApiPlan) -> GeneratedFile {
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        sharedTypeImports(m.visible, input: false, into: &w)
        let related = Set(m.relations.compactMap { f -> String? in
            guard case .model(let t) = f.type, t != m.name, let target = plan.model(t) else { return nil }
            return target.kebab
        }).sorted()
        for kebab in related {
            guard let target = plan.model(kebab: kebab) else { continue }
            w.line("import type { \(target.pascal)ReadDTO } from '../\(kebab)/\(kebab).read.dto.js';")
        }
        w.line()
        w.doc(ApiModel.description(m.model.documentation) ?? "A \(m.name) as returned by the API.")
        w.block("export interface \(m.pascal)ReadDTO {") { w in
            for f in m.visible {
                w.doc(fieldDoc(f))
                w.line("\(tsKey(f.name)): \(TypeMapping.readType(f));")
            }
            for f in m.relations {
                guard case .model(let t) = f.type, let target = plan.model(t) else { continue }
                w.doc("Present when requested with `?include=\(f.name)`.")
                let type = f.isList ? "\(target.pascal)ReadDTO[]" : f.isRequired ? "\(target.pascal)ReadDTO" : "\(target.pascal)ReadDTO | null"
                w.line("\(tsKey(f.name))?: \(type);")
            }
        }
        w.line()
        w.doc("Prisma `select` for the fields a \(m.name) response carries (hidden fields are left out).")
        w.block("export const \(m.camel)ReadSelect = {", close: "} as const;") { w in
            for f in m.visible { w.line("\(tsKey(f.name)): true,") }
        }
        if !m.hidden.isEmpty {
            w.line()
            w.doc("Fields never returned by the API.")
            w.line("export const \(m.camel)HiddenFields = [\(m.hidden.sorted().map(tsString).joined(separator: ", "))] as const;")
        }
        return GeneratedFile(path: path(m, "read"), contents: w.text, kind: .contract, model: m.name)
    }

    // MARK: create / update

    /// Body fields of create/update: writable scalars and relation inputs.
    static func inputFields(_ m: ApiModel, update: Bool) -> [Field] {
        guard update else { return m.writable }
        let keyNames = Set(m.key.map(\.name))
        let foreignKeys = m.foreignKeyFields
        return m.writable.filter { !(keyNames.contains($0.name) && !foreignKeys.contains($0.name)) }
    }

    static func isRequiredOnCreate(_ f: Field, _ m: ApiModel) -> Bool {
        isRequiredOnCreate(f, foreignKeys: m.foreignKeyFields)
    }

    /// `isRequiredOnCreate` with the model's `foreignKeyFields` worked out once by the caller.
    static func isRequiredOnCreate(_ f: Field, foreignKeys: Set<String>) -> Bool {
        f.isRequired && f.defaultValue == nil && !foreignKeys.contains(f.name)
    }

    static func create(_ m: ApiModel, _ plan: ApiPlan) -> GeneratedFile {
        inputFile(m, plan, update: false)
    }

    static func update(_ m: ApiModel, _ plan: ApiPlan) -> GeneratedFile {
        inputFile(m, plan, update: true)
    }

    private static func inputFile(_ m: ApiModel, _ plan: ApiPlan, update: Bool) -> GeneratedFile {
        let kind = update ? "update" : "create"
        let fields = inputFields(m, update: update)
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        sharedTypeImports(fields, input: true, into: &w)
        let targets = Set(m.manyToMany.compactMap { f -> String? in
            guard case .model(let t) = f.type, let target = plan.model(t), target.hasKey else { return nil }
            return t
        }).sorted()
        for t in targets {
            guard let target = plan.model(t) else { continue }
            if target.name == m.name {
                w.line("import type { \(target.pascal)WhereUniqueDTO } from './\(m.kebab).query.dto.js';")
            } else {
                w.line("import type { \(target.pascal)WhereUniqueDTO } from '../\(target.kebab)/\(target.kebab).query.dto.js';")
            }
        }
        w.line()
        let verb = update ? "Body of `PATCH /api/\(m.route)/…`: every field is optional." : "Body of `POST /api/\(m.route)`."
        w.doc(verb)
        w.block("export interface \(m.pascal)\(update ? "Update" : "Create")DTO {") { w in
            for f in fields {
                var notes: [String] = []
                if m.hidden.contains(f.name) { notes.append("Write-only: never returned by the API.") }
                if let r = m.ownedRelations.first(where: { $0.relation?.fields.contains(f.name) == true }) {
                    notes.append("Foreign key of `\(r.name)`; or set `\(r.name): { connect: … }` instead.")
                }
                if let d = f.defaultValue { notes.append("Defaults to `\(d)`.") }
                w.doc(fieldDoc(f, extra: notes.isEmpty ? nil : notes.joined(separator: " ")))
                let optional = update || !isRequiredOnCreate(f, m)
                w.line("\(tsKey(f.name))\(optional ? "?" : ""): \(TypeMapping.inputType(f));")
            }
            for r in m.ownedRelations {
                guard case .model(let t) = r.type, let target = plan.model(t), let refs = r.relation?.references else { continue }
                let refTypes = refs.compactMap { ref in target.model.field(ref).map { "\(tsKey(ref)): \(TypeMapping.inputType($0))" } }
                guard refTypes.count == refs.count, !refs.isEmpty else { continue }
                let connect = "{ connect: { \(refTypes.joined(separator: "; ")) } }"
                let ops = update && m.canDisconnect(r) ? "\(connect) | { disconnect: true }" : connect
                w.doc("Connect to an existing \(t) (alternative to setting \(r.relation?.fields.map { "`\($0)`" }.joined(separator: ", ") ?? "the foreign key")).")
                w.line("\(tsKey(r.name))?: \(ops);")
            }
            for r in m.manyToMany {
                guard case .model(let t) = r.type, let target = plan.model(t), target.hasKey else { continue }
                let ops = update
                    ? "{ connect?: \(target.pascal)WhereUniqueDTO[]; disconnect?: \(target.pascal)WhereUniqueDTO[]; set?: \(target.pascal)WhereUniqueDTO[] }"
                    : "{ connect: \(target.pascal)WhereUniqueDTO[] }"
                w.doc("Link existing \(Naming.pluralPascal(t)) (many-to-many).")
                w.line("\(tsKey(r.name))?: \(ops);")
            }
        }
        return GeneratedFile(path: path(m, kind), contents: w.text, kind: .contract, model: m.name)
    }

    // MARK: query

    static func query(_ m: ApiModel, _ plan: ApiPlan) -> GeneratedFile {
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        let filterable = m.scalars.filter(m.isFilterable)
        let keyAndUnique = m.uniqueCriteria.flatMap(\.fields)
        let enumsUsed = Set((filterable + keyAndUnique).compactMap { f -> String? in
            if case .enumeration(let e) = f.type { return Naming.pascal(e) } else { return nil }
        }).sorted()
        w.line("import type { ListResponse } from '../../base/index.js';")
        if !enumsUsed.isEmpty { w.line("import type { \(enumsUsed.joined(separator: ", ")) } from '../enums.js';") }
        w.line("import type { \(m.pascal)ReadDTO } from './\(m.kebab).read.dto.js';")
        w.line()
        if m.hasKey {
            w.doc("Identifies one \(m.name): any of its unique criteria (used by `connect`).")
            let alternatives = m.uniqueCriteria.map { c -> String in
                let inner = c.fields.map { "\(tsKey($0.name)): \(TypeMapping.inputType($0))" }.joined(separator: "; ")
                if let name = c.name { return "{ \(tsKey(name)): { \(inner) } }" }
                return "{ \(inner) }"
            }
            w.line("export type \(m.pascal)WhereUniqueDTO = \(alternatives.joined(separator: " | "));")
            w.line()
        }
        w.doc("Query parameters of `GET /api/\(m.route)`. Filters take `?field=value` or `?field[op]=value`.")
        w.block("export interface \(m.pascal)QueryDTO {") { w in
            w.line("skip?: number;")
            w.doc("Page size, at most 100 (default 20).")
            w.line("take?: number;")
            w.doc("Comma-separated fields, `-field` or `field:desc` for descending.")
            w.line("orderBy?: string;")
            if !m.relations.isEmpty {
                w.doc("Comma-separated relations to load: \(m.relations.map(\.name).joined(separator: ", ")).")
                w.line("include?: string;")
            }
            for f in filterable {
                let type: String
                switch f.type {
                case .enumeration(let e): type = Naming.pascal(e)
                case .scalar(.boolean): type = "boolean"
                case .scalar(.int), .scalar(.float): type = "number"
                default: type = "string"
                }
                w.line("\(tsKey(f.name))?: \(type)\(f.isRequired ? "" : " | null") | Record<string, string>;")
            }
        }
        w.line()
        w.line("export type \(m.pascal)ListResponse = ListResponse<\(m.pascal)ReadDTO>;")
        return GeneratedFile(path: path(m, "query"), contents: w.text, kind: .contract, model: m.name)
    }

    // MARK: shared

    static func enums(_ plan: ApiPlan) -> GeneratedFile? {
        guard plan.hasEnums else { return nil }
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        for e in plan.schema.enums {
            let name = Naming.pascal(e.name)
            w.line()
            w.doc(ApiModel.description(e.documentation))
            w.block("export const \(name) = {", close: "} as const;") { w in
                for v in e.values {
                    w.doc(ApiModel.description(v.documentation))
                    w.line("\(tsKey(v.name)): \(tsString(v.name)),")
                }
            }
            w.line("export type \(name) = (typeof \(name))[keyof typeof \(name)];")
            w.line("export const \(name)Values = [\(e.values.map { tsString($0.name) }.joined(separator: ", "))] as const;")
        }
        return GeneratedFile(path: "src/contracts/enums.ts", contents: w.text, kind: .contract)
    }

    static func compositeTypes(_ plan: ApiPlan) -> GeneratedFile? {
        guard plan.hasCompositeTypes else { return nil }
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        let fields = plan.schema.compositeTypes.flatMap(\.fields)
        let enums = Set(fields.compactMap { if case .enumeration(let e) = $0.type { return Naming.pascal(e) } else { return nil } }).sorted()
        if fields.contains(where: { $0.scalarType == .json }) { w.line("import type { JsonValue } from '../base/index.js';") }
        if !enums.isEmpty { w.line("import type { \(enums.joined(separator: ", ")) } from './enums.js';") }
        for t in plan.schema.compositeTypes {
            let name = Naming.pascal(t.name)
            let usable = t.fields.filter { if case .unsupported = $0.type { return false }; return true }
            w.line()
            w.doc(ApiModel.description(t.documentation) ?? "Composite type \(t.name) (embedded document).")
            w.block("export interface \(name) {") { w in
                for f in usable {
                    w.doc(fieldDoc(f))
                    w.line("\(tsKey(f.name)): \(TypeMapping.readType(f));")
                }
            }
            w.line()
            w.block("export interface \(name)Input {") { w in
                for f in usable {
                    w.line("\(tsKey(f.name))\(f.isRequired && f.defaultValue == nil ? "" : "?"): \(TypeMapping.inputType(f));")
                }
            }
        }
        return GeneratedFile(path: "src/contracts/composite-types.ts", contents: w.text, kind: .contract)
    }
}
