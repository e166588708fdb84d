/// 03 — Lists every relation once with both sides and plans the API (which models,
/// which keys, which fields are hidden).
public struct AnalyzeRelationshipsPhase: GenerationPhase {
    public let name = "analyzeRelationships"
    public let order = 3
    public var reads: [AnyContextKey] { [AnyContextKey(.schema)] }
    public var writes: [AnyContextKey] { [AnyContextKey(.relationships), AnyContextKey(.relationshipCount), AnyContextKey(.apiPlan), AnyContextKey(.apiSummary)] }
    /// Cannot be turned off: every later phase needs what it produces.
    public var skippable: Bool { false }
    public var caching: PhaseCaching { .cached(version: "1") }
    public let description = "Pair relation sides (1:1, 1:n, m:n) and plan each model's API"
    public init() {}

    public func execute(_ context: PhaseContext) async throws -> PhaseResult {
        let schema = try context.require(.schema)
        let graph = RelationGraph(schema)
        // With the phase cache on, the schema's fingerprint is known: the plan's follows from it,
        // and its models' fingerprints (made with it) are reused.
        let schemaFingerprint = context.parts.isActive ? context.fingerprint(ContextKey<SchemaModel>.schema.name) : nil
        let plan = ApiPlan(schema: schema, relations: graph,
                           schemaModelFingerprints: schemaFingerprint.flatMap(ModelFingerprintMemo.shared.models(of:)))
        context[.relationships] = graph
        context[.relationshipCount] = graph.count
        if let schemaFingerprint {
            context.set(.apiPlan, plan, fingerprint: ApiPlan.fingerprint(schema: schemaFingerprint))
        } else {
            context[.apiPlan] = plan
        }
        context[.apiSummary] = ApiSummary(plan)
        let warnings = plan.excluded.map { "\($0.model) gets no API (\($0.reason))" }
        return PhaseResult(warnings: warnings,
                           counters: [.init("1:1", graph.count(of: .oneToOne)), .init("1:n", graph.count(of: .oneToMany)),
                                      .init("m:n", graph.count(of: .manyToMany)), .init("self", graph.relations.filter(\.isSelf).count)],
                           message: "\(Plural.count(graph.count, "relation")), \(Plural.count(plan.models.count, "API"))")
    }
}
