/// `src/routes/<kebab>/<kebab>.routes.ts` per model and `src/routes/api.ts`, which mounts them all.
enum RouteEmitter {
    static func path(_ m: ApiModel) -> String { "src/routes/\(m.kebab)/\(m.kebab).routes.ts" }

    /// `/:id` or `/:a/:b`.
    static func keyPath(_ m: ApiModel) -> String {
        m.key.map { "/:" + ServiceEmitter.paramName($0) }.joined()
    }

    /// Every route of a model, static paths first (so `/:id` never shadows them).
    struct Route: Hashable {
        let method: String
        let path: String
        let handler: String
        let relation: String?
    }

    static func routes(_ m: ApiModel, plan: ApiPlan) -> [Route] {
        var r: [Route] = [Route(method: "get", path: "/", handler: "list", relation: nil)]
        if !m.isReadOnly { r.append(Route(method: "post", path: "/", handler: "create", relation: nil)) }
        guard m.hasKey else { return r }
        let key = keyPath(m)
        for (f, _) in ServiceEmitter.relationTargets(m, plan) where f.isList {
            r.append(Route(method: "get", path: "\(key)/\(f.name)", handler: "list\(Naming.pascal(f.name))", relation: f.name))
        }
        r.append(Route(method: "get", path: key, handler: "get", relation: nil))
        if !m.isReadOnly {
            r.append(Route(method: "patch", path: key, handler: "update", relation: nil))
            r.append(Route(method: "delete", path: key, handler: "remove", relation: nil))
        }
        return r
    }

    static func file(_ m: ApiModel, plan: ApiPlan) -> GeneratedFile {
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        w.line("import { Router } from 'express';")
        w.line("import type { \(m.pascal)Controller } from '../../controllers/\(m.kebab)/\(m.kebab).controller.js';")
        w.line()
        w.doc("Routes of \(m.name), mounted at `/api/\(m.route)`. Static paths come before parameterised ones.")
        w.block("export function create\(m.pascal)Router(controller: \(m.pascal)Controller): Router {") { w in
            w.line("const router = Router();")
            for route in routes(m, plan: plan) {
                w.line("router.\(route.method)(\(tsString(route.path)), controller.\(route.handler));")
            }
            w.line("return router;")
        }
        return GeneratedFile(path: path(m), contents: w.text, kind: .route, model: m.name)
    }

    static func apiRouter(_ plan: ApiPlan) -> GeneratedFile {
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        w.line("import { Router } from 'express';")
        w.line("import type { PrismaClient } from '@prisma/client';")
        for m in plan.models {
            w.line("import { create\(m.pascal)Controller } from '../controllers/\(m.kebab)/\(m.kebab).controller.js';")
            w.line("import { create\(m.pascal)Service } from '../services/\(m.kebab)/\(m.kebab).service.js';")
            w.line("import { create\(m.pascal)Router } from './\(m.kebab)/\(m.kebab).routes.js';")
        }
        w.line()
        w.doc("Where each model is mounted, relative to the API prefix (default `/api`).")
        w.block("export const apiRoutes = {", close: "} as const;") { w in
            for m in plan.models { w.line("\(tsKey(m.name)): \(tsString("/" + m.route)),") }
        }
        w.line()
        w.doc("One router with every model's routes; mount it under your API prefix: `app.use('/api', createApiRouter(prisma))`.")
        w.block("export function createApiRouter(prisma: PrismaClient): Router {") { w in
            w.line("const router = Router();")
            for m in plan.models {
                w.line("router.use(apiRoutes[\(tsString(m.name))], create\(m.pascal)Router(create\(m.pascal)Controller(create\(m.pascal)Service(prisma))));")
            }
            w.line("return router;")
        }
        return GeneratedFile(path: "src/routes/api.ts", contents: w.text, kind: .route)
    }
}
