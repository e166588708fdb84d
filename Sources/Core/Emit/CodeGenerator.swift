import Foundation

/// The emitters' public face: pure functions from the validated, relation-analysed
/// schema to generated files. One function per generating phase.
public enum CodeGenerator {
    public struct Options: Sendable, Hashable {
        public var standalone: Bool
        public var apiPrefix: String
        public init(standalone: Bool = true, apiPrefix: String = "/api") {
            self.standalone = standalone
            self.apiPrefix = apiPrefix
        }
    }

    /// Phase 04: contracts, validators, services, controllers and routes, model by model.
    /// `progress(done, total, model)` is called after each model.
    public static func modelFiles(_ plan: ApiPlan, progress: (@Sendable (Int, Int, String) -> Void)? = nil) -> [GeneratedFile] {
        var out: [GeneratedFile] = []
        if let e = ContractEmitter.enums(plan) { out.append(e) }
        if let c = ContractEmitter.compositeTypes(plan) { out.append(c) }
        if let c = ValidatorEmitter.compositeTypes(plan) { out.append(c) }
        // Models are independent: emit them on all cores, then keep the plan's order.
        let perModel = ResultSlots<[GeneratedFile]>(count: plan.models.count)
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: plan.models.count) { i in
            let m = plan.models[i]
            var files = ContractEmitter.files(for: m, plan: plan)
            files += ValidatorEmitter.files(for: m, plan: plan)
            files.append(ServiceEmitter.file(m, plan: plan))
            files.append(ControllerEmitter.file(m, plan: plan))
            files.append(RouteEmitter.file(m, plan: plan))
            perModel[i] = files
            progress?(done.increment(), plan.models.count, m.name)
        }
        for i in 0..<plan.models.count { out += perModel[i] ?? [] }
        out.append(RouteEmitter.apiRouter(plan))
        return out
    }

    /// Phase 06: `src/base/` (shared controller, error mapping, pagination, serialisation) and its barrel.
    public static func infrastructure() -> [GeneratedFile] { BaseEmitter.files() }

    /// Phase 07: barrels for what phase 04 generated.
    public static func barrels(for files: [GeneratedFile]) -> [GeneratedFile] { BarrelEmitter.files(for: files) }

    /// Phase 08: `openapi.json` (OpenAPI 3.1).
    public static func openAPI(_ plan: ApiPlan, title: String, options: Options = Options()) -> GeneratedFile {
        OpenAPIEmitter.file(plan, title: title, apiPrefix: options.apiPrefix)
    }

    /// Phase 09: `src/manifests/generation.json` listing `files` with their hashes.
    public static func manifest(_ plan: ApiPlan, schemaText: String, options: Options, files: [GeneratedFile]) -> GeneratedFile {
        ManifestEmitter.file(plan: plan, schemaText: schemaText, options: options, files: files)
    }

    /// Phase 11: the runnable project around the generated code (standalone mode).
    public static func standalone(_ plan: ApiPlan, projectName: String, schema: CompiledSchema, options: Options = Options()) -> [GeneratedFile] {
        StandaloneEmitter.files(plan: plan, projectName: projectName, schema: schema.sources, ast: schema.ast, options: options)
    }

    /// Phase 12: vitest + supertest API tests (standalone mode).
    public static func tests(_ plan: ApiPlan, options: Options = Options()) -> [GeneratedFile] {
        TestEmitter.files(plan: plan, options: options)
    }

    /// A project name from the schema's location: the folder holding `schema.prisma`
    /// (its parent when that folder is `prisma/`).
    public static func projectName(forSchemaPath path: String) -> String {
        var url = URL(fileURLWithPath: path)
        if url.pathExtension == "prisma" { url = url.deletingLastPathComponent() }
        if url.lastPathComponent == "schema" { url = url.deletingLastPathComponent() }
        if url.lastPathComponent == "prisma" { url = url.deletingLastPathComponent() }
        let name = url.lastPathComponent
        return name.isEmpty || name == "/" || name == "." ? "generated-api" : name
    }

    /// Everything, in phase order (what a full standalone run writes); for tests and tools.
    public static func generateAll(_ schema: CompiledSchema, projectName: String, options: Options = Options()) -> [GeneratedFile] {
        let plan = ApiPlan(schema: schema.model)
        var files = modelFiles(plan)
        files += infrastructure()
        files += barrels(for: files)
        files.append(openAPI(plan, title: "\(projectName) API", options: options))
        var late = [tsconfigPaths()]
        if options.standalone {
            late += standalone(plan, projectName: projectName, schema: schema, options: options)
            late += tests(plan, options: options)
        }
        let schemaText = schema.sources.files.map(\.text).joined(separator: "\n")
        files.append(manifest(plan, schemaText: schemaText, options: options, files: files + late))
        return files + late
    }
    public static func tsconfigPaths() -> GeneratedFile {
        let json: JSONValue = [
            "compilerOptions": [
                "baseUrl": ".",
                "paths": ["@gen/*": ["./src/*"]],
            ],
        ]
        return GeneratedFile(path: "tsconfig.paths.json", contents: json.rendered(), kind: .tsconfig)
    }
}
