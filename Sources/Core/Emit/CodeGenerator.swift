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
    /// `perModel(m, emit)` may return the files `emit()` would (from a cache) instead of calling it.
    public static func modelFiles(_ plan: ApiPlan, progress: (@Sendable (Int, Int, String) -> Void)? = nil) -> [GeneratedFile] {
        modelFiles(plan, progress: progress, shared: { $0 }, perModel: { $1() })
    }

    /// `modelFiles` where each model's files come from `perModel(m, emit)`, which may return
    /// what `emit()` would make (reused from a cache) instead of calling it; `shared` wraps the
    /// files that belong to no model.
    public static func modelFiles<F: Sendable>(_ plan: ApiPlan, progress: (@Sendable (Int, Int, String) -> Void)? = nil,
                                               shared: (GeneratedFile) -> F,
                                               perModel: @Sendable (ApiModel, @escaping @Sendable () -> [GeneratedFile]) -> [F]) -> [F] {
        var out: [F] = []
        if let e = ContractEmitter.enums(plan) { out.append(shared(e)) }
        if let c = ContractEmitter.compositeTypes(plan) { out.append(shared(c)) }
        if let c = ValidatorEmitter.compositeTypes(plan) { out.append(shared(c)) }
        // Models are independent: emit them on all cores, then keep the plan's order.
        let perModelFiles = ResultSlots<[F]>(count: plan.models.count)
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: plan.models.count) { i in
            let m = plan.models[i]
            perModelFiles[i] = perModel(m) {
                var files = ContractEmitter.files(for: m, plan: plan)
                files += ValidatorEmitter.files(for: m, plan: plan)
                files.append(ServiceEmitter.file(m, plan: plan))
                files.append(ControllerEmitter.file(m, plan: plan))
                files.append(RouteEmitter.file(m, plan: plan))
                return files
            }
            progress?(done.increment(), plan.models.count, m.name)
        }
        for i in 0..<plan.models.count { out += perModelFiles[i] ?? [] }
        out.append(shared(RouteEmitter.apiRouter(plan)))
        return out
    }

    /// Phase 06: `src/base/` (shared controller, error mapping, pagination, serialisation) and its barrel.
    public static func infrastructure() -> [GeneratedFile] { BaseEmitter.files() }

    /// Phase 07: barrels for what phase 04 generated.
    public static func barrels(for files: [GeneratedFile]) -> [GeneratedFile] { BarrelEmitter.files(for: GeneratedListing(files)) }
    public static func barrels(for listing: GeneratedListing) -> [GeneratedFile] { BarrelEmitter.files(for: listing) }

    /// Phase 08: `openapi.json` (OpenAPI 3.1).
    public static func openAPI(_ plan: ApiPlan, title: String, options: Options = Options()) -> GeneratedFile {
        openAPIDocument(plan, title: title, options: options).file
    }

    /// Phase 08 with the number of operations (operationIds) the file describes.
    /// `perModel(m, render)` gives each model's part of the document: the bytes `render()`
    /// gives, or the same bytes kept from an earlier run (a cache).
    public static func openAPIDocument(_ plan: ApiPlan, title: String, options: Options = Options(),
                                       perModel: @Sendable (ApiModel, () -> [Data]) -> [Data] = { $1() }) -> (file: GeneratedFile, operations: Int) {
        OpenAPIEmitter.document(plan, title: title, apiPrefix: options.apiPrefix, perModel: perModel)
    }

    /// `openAPIDocument` as bytes, with the path they go to.
    public static func openAPIBytes(_ plan: ApiPlan, title: String, options: Options = Options(),
                                    perModel: @Sendable (ApiModel, () -> [Data]) -> [Data] = { $1() }) -> (path: String, bytes: Data, operations: Int) {
        let (bytes, operations) = OpenAPIEmitter.rendered(plan, title: title, apiPrefix: options.apiPrefix, perModel: perModel)
        return (OpenAPIEmitter.path, bytes, operations)
    }

    /// Phase 09: `src/manifests/generation.json` listing `files` with their hashes.
    public static func manifest(_ plan: ApiSummary, schemaText: String, options: Options, files: [ManifestEmitter.Listed]) -> GeneratedFile {
        ManifestEmitter.file(plan: plan, schemaText: schemaText, options: options, files: files)
    }

    /// Phase 11: the runnable project around the generated code (standalone mode).
    public static func standalone(_ plan: ApiPlan, projectName: String, schema: CompiledSchema, options: Options = Options()) -> [GeneratedFile] {
        StandaloneEmitter.files(plan: plan, projectName: projectName, schema: schema.sources, ast: schema.ast, options: options)
    }

    /// Phase 12: vitest + supertest API tests (standalone mode): `sharedTestFiles`, then each
    /// model's `modelTestFiles` in plan order.
    /// `perModel(m, emit)` may return the files `emit()` would (from a cache) instead of calling it.
    public static func tests(_ plan: ApiPlan, options: Options = Options()) -> [GeneratedFile] {
        TestEmitter.files(plan: plan, options: options, shared: { $0 }, perModel: { $1() })
    }

    /// `tests` where each model's files come from `perModel(m, emit)`, which may return what
    /// `emit()` would make (reused from a cache) instead of calling it; `shared` wraps the
    /// files that belong to no model.
    public static func tests<F: Sendable>(_ plan: ApiPlan, options: Options = Options(), shared: (GeneratedFile) -> F,
                                          perModel: @Sendable (ApiModel, @escaping @Sendable () -> [GeneratedFile]) -> [F]) -> [F] {
        TestEmitter.files(plan: plan, options: options, shared: shared, perModel: perModel)
    }

    /// Phase 12's files that belong to no model (`vitest.config.ts`, `tests/setup.ts`,
    /// `tests/support.ts`, `tests/_service.test.ts`). They read plan-wide inputs only (the
    /// database URL variable and the options), never a model.
    public static func sharedTestFiles(_ plan: ApiPlan, options: Options) -> [GeneratedFile] {
        TestEmitter.sharedFiles(plan: plan, options: options)
    }

    /// Phase 12's files of one model (`model` set to its name): `tests/<kebab>.test.ts` and, when
    /// the tests can create its rows, `tests/factories/<kebab>.ts`. Their bytes depend only on
    /// the models `testDependencies(of:plan:)` names and on plan-wide inputs.
    public static func modelTestFiles(_ m: ApiModel, plan: ApiPlan, options: Options) -> [GeneratedFile] {
        TestEmitter.modelFiles(m, plan: plan, options: options)
    }

    /// The names of every model whose own content (fields, keys, relations, route, docs…) can
    /// change the bytes of `modelTestFiles(m, …)`, `m` included, sorted: `m`, its relation
    /// targets, the required parents of all of these (transitively) and the earlier models whose
    /// routes clash with `m`'s. Enums, composite types, the datasource and the options are
    /// plan-wide inputs and are not listed. A superset of what the emitter reads, never less.
    public static func testDependencies(of m: ApiModel, plan: ApiPlan) -> [String] {
        TestEmitter.dependencies(of: m, plan: plan)
    }

    /// `testDependencies` without the models whose routes can clash with `m`'s: they can change
    /// only `m`'s own route (what a key holding `m`'s route needs; linear, not quadratic).
    public static func testDataDependencies(of m: ApiModel, plan: ApiPlan) -> [String] {
        TestEmitter.dataDependencies(of: m, plan: plan)
    }

    /// The project's name: `name` in the `package.json` nearest the schema (its folder and up
    /// to three parents), else the output folder's name. `--name` overrides both.
    public static func projectName(schemaPath: String, outputDir: String) -> String {
        var dir = URL(fileURLWithPath: schemaPath).standardizedFileURL
        if dir.pathExtension == "prisma" { dir = dir.deletingLastPathComponent() }
        for _ in 0..<4 {
            let file = dir.appendingPathComponent("package.json")
            if let data = FileManager.default.contents(atPath: file.path),
               let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let name = obj["name"] as? String, !name.isEmpty {
                return name
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        let out = URL(fileURLWithPath: outputDir).standardizedFileURL.lastPathComponent
        return out.isEmpty || out == "/" || out == "." ? "generated-api" : out
    }

    /// Everything, in phase order (what a full standalone run writes); for tests and tools.
    public static func generateAll(_ schema: CompiledSchema, projectName: String, options: Options = Options()) -> [GeneratedFile] {
        let plan = ApiPlan(schema: schema.model)
        var files = modelFiles(plan)
        files += infrastructure()
        files += barrels(for: files)
        files.append(openAPI(plan, title: "\(projectName) API", options: options))
        var late: [GeneratedFile] = []
        if options.standalone {
            late += tsconfigs()
            late += standalone(plan, projectName: projectName, schema: schema, options: options)
            late += tests(plan, options: options)
        }
        let schemaText = schema.sources.files.map(\.text).joined(separator: "\n")
        files.append(manifest(ApiSummary(plan), schemaText: schemaText, options: options, files: (files + late).map(ManifestEmitter.Listed.init)))
        return files + late
    }
    /// Phase 10 (standalone mode): `tsconfig.json` and `tsconfig.build.json`.
    public static func tsconfigs() -> [GeneratedFile] {
        [
            GeneratedFile(path: "tsconfig.json", contents: StandaloneEmitter.tsconfig.rendered(), kind: .tsconfig),
            GeneratedFile(path: "tsconfig.build.json", contents: StandaloneEmitter.tsconfigBuild.rendered(), kind: .tsconfig),
        ]
    }
}
