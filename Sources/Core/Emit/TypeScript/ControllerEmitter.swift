/// `src/controllers/<kebab>/<kebab>.controller.ts`: HTTP handlers built on the shared base controller.
enum ControllerEmitter {
    static func path(_ m: ApiModel) -> String { "src/controllers/\(m.kebab)/\(m.kebab).controller.ts" }

    static func file(_ m: ApiModel, plan: ApiPlan) -> GeneratedFile {
        var w = CodeWriter()
        let listRels = ServiceEmitter.relationTargets(m, plan).filter { $0.field.isList && m.hasKey }
        let crud = !m.isReadOnly
        w.line(BaseEmitter.headerLine)
        if !listRels.isEmpty { w.line("import type { RequestHandler } from 'express';") }
        var base = [crud ? "createCrudController" : "createReadController", crud ? "type CrudHandlers" : "type ReadHandlers"]
        if m.hasKey { base += ["params", "type RouteParams"] }
        if !listRels.isEmpty { base += ["asyncHandler", "normalizeQuery", "pageQuery"] }
        if !m.hasKey { base.append("HttpError") }
        w.line("import { \(base.joined(separator: ", ")) } from '../../base/index.js';")
        let keyEnums = Set(m.key.compactMap { f -> String? in if case .enumeration(let e) = f.type { return "\(Naming.pascal(e))Values" }; return nil }).sorted()
        if !keyEnums.isEmpty { w.line("import { \(keyEnums.joined(separator: ", ")) } from '../../contracts/enums.js';") }
        w.line("import type { \(m.hasKey ? "\(m.pascal)Key, " : "")\(m.pascal)Service } from '../../services/\(m.kebab)/\(m.kebab).service.js';")
        w.line("import { \(m.pascal)IncludeSchema, \(m.pascal)QuerySchema } from '../../validators/\(m.kebab)/\(m.kebab).query.zod.js';")
        if crud {
            w.line("import { \(m.pascal)CreateSchema } from '../../validators/\(m.kebab)/\(m.kebab).create.zod.js';")
            w.line("import { \(m.pascal)UpdateSchema } from '../../validators/\(m.kebab)/\(m.kebab).update.zod.js';")
        }
        w.line()
        if m.hasKey {
            w.doc("Reads the key from `/\(m.key.map { ":" + ServiceEmitter.paramName($0) }.joined(separator: "/"))`; a malformed value is a 400.")
            w.block("export function parse\(m.pascal)Key(p: RouteParams): \(m.pascal)Key {") { w in
                let parts = m.key.map { f -> String in
                    let param = ServiceEmitter.paramName(f)
                    let parser = TypeMapping.keyParser(f)
                    return "\(tsKey(f.name)): \(parser)(p, \(tsString(param)))"
                }
                w.line("return { \(parts.joined(separator: ", ")) };")
            }
        } else {
            w.doc("This view has no unique key: single-row routes are not generated.")
            w.block("function parse\(m.pascal)Key(): never {") { w in
                w.line("throw new HttpError(404, \(tsString("\(m.name) has no unique key")));")
            }
        }
        w.line()
        let handlersType = crud ? "CrudHandlers" : "ReadHandlers"
        if listRels.isEmpty {
            w.line("export type \(m.pascal)Controller = \(handlersType);")
        } else {
            w.block("export interface \(m.pascal)Controller extends \(handlersType) {") { w in
                for (f, _) in listRels { w.line("list\(Naming.pascal(f.name)): RequestHandler;") }
            }
        }
        w.line()
        w.block("export function create\(m.pascal)Controller(service: \(m.pascal)Service): \(m.pascal)Controller {") { w in
            w.block("return {", close: "};") { w in
                w.block("...\(crud ? "createCrudController" : "createReadController")({", close: "}),") { w in
                    w.line("model: \(tsString(m.name)),")
                    w.line("service,")
                    w.line("parseKey: parse\(m.pascal)Key,")
                    w.line("query: \(m.pascal)QuerySchema,")
                    w.line("include: \(m.pascal)IncludeSchema,")
                    if crud {
                        w.line("create: \(m.pascal)CreateSchema,")
                        w.line("update: \(m.pascal)UpdateSchema,")
                    }
                }
                for (f, _) in listRels {
                    let method = "list" + Naming.pascal(f.name)
                    w.block("\(method): asyncHandler(async (req, res) => {", close: "}),") { w in
                        w.line("const page = pageQuery.parse(normalizeQuery(req.query));")
                        w.line("res.json(await service.\(method)(parse\(m.pascal)Key(req.params), page));")
                    }
                }
            }
        }
        return GeneratedFile(path: path(m), contents: w.text, kind: .controller, model: m.name)
    }
}
