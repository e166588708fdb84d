/// The schema front end — lexer, parser, validator, relationship analysis — run on arbitrary
/// bytes, with what every result must satisfy: each diagnostic resolves to a real position and
/// renders; a schema without errors has a model for every declared block and a relation graph
/// whose every relation joins known models. The fuzzer (`Fuzz/`, `scripts/fuzz.sh`) and the
/// robustness tests run this; a crash or a returned violation is a bug.
public enum FrontEndCheck {
    public enum Violation: Error, Sendable, Hashable, CustomStringConvertible {
        case badPosition(String)
        case emptyRendering(String)
        case missingModels(declared: Int, built: Int)
        case danglingRelation(String)

        public var description: String {
            switch self {
            case .badPosition(let m): return "a diagnostic at no real position: \(m)"
            case .emptyRendering(let m): return "a diagnostic that renders empty: \(m)"
            case .missingModels(let d, let b): return "no errors, but \(d) blocks declared and \(b) built"
            case .danglingRelation(let m): return "a relation to an unknown model: \(m)"
            }
        }
    }

    /// Runs every stage on `bytes`; nil when every invariant holds.
    public static func run(_ bytes: [UInt8]) -> Violation? {
        let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: "fuzz.prisma", bytes: bytes)))
        for d in compiled.resolved() {
            if d.line < 1 || d.column < 1 { return .badPosition("\(d.line):\(d.column) \(d.message)") }
            if d.rendered().isEmpty { return .emptyRendering(d.message) }
        }
        guard !compiled.hasErrors else { return nil }
        let declared = compiled.ast.tops.filter { if case .model = $0 { return true } else { return false } }.count
        let built = compiled.model.models.count + compiled.model.compositeTypes.count
        if built != declared { return .missingModels(declared: declared, built: built) }
        let graph = RelationGraph(compiled.model)
        let names = Set(compiled.model.models.map(\.name))
        for r in graph.relations where !names.contains(r.owner.model) || !names.contains(r.other.model) {
            return .danglingRelation("\(r.owner.model).\(r.owner.field) → \(r.other.model).\(r.other.field)")
        }
        return nil
    }
}
