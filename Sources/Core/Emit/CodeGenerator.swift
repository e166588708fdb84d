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
    public static func modelFiles(_ plan: ApiPlan, progress: ((Int, Int, String) -> Void)? = nil) -> [GeneratedFile] {
        var out: [GeneratedFile] = []
        if let e = ContractEmitter.enums(plan) { out.append(e) }
        if let c = ContractEmitter.compositeTypes(plan) { out.append(c) }
        if let c = ValidatorEmitter.compositeTypes(plan) { out.append(c) }
        for (i, m) in plan.models.enumerated() {
            out += ContractEmitter.files(for: m, plan: plan)
            out += ValidatorEmitter.files(for: m, plan: plan)
            out.append(ServiceEmitter.file(m, plan: plan))
            out.append(ControllerEmitter.file(m, plan: plan))
            out.append(RouteEmitter.file(m, plan: plan))
            progress?(i + 1, plan.models.count, m.name)
        }
        out.append(RouteEmitter.apiRouter(plan))
        return out
    }

    /// Phase 06: `src/base/` (shared controller, error mapping, pagination, serialisation) and its barrel.
    public static func infrastructure() -> [GeneratedFile] { BaseEmitter.files() }

    /// Phase 07: barrels for what phase 04 generated.
    public static func barrels(for files: [GeneratedFile]) -> [GeneratedFile] { BarrelEmitter.files(for: files) }

    /// Phase 10: `tsconfig.paths.json` inside the output directory.
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
