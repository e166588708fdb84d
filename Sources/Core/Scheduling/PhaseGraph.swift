/// Which phase waits for which, derived from what each phase declares it reads, writes and
/// stages. A phase waits for every earlier phase (by `order`, then registration) that
///  - writes a value it reads (it needs that value),
///  - reads a value it writes, or writes one it writes too (so the earlier phase sees the
///    value it would have seen in order),
///  - stages into an overlapping part of the output tree,
///  - or declares nothing at all (such a phase runs in order: after everything before it
///    and before everything after it).
/// Edges only ever point from earlier to later phases, so the graph has no cycles and the
/// result never depends on timing. Built once per run and checked before the first phase.
public struct PhaseGraph: Sendable {
    /// Why one phase waits for another.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// It reads a value the other writes.
        case reads(String)
        /// It writes a value the other reads or writes.
        case overwrites(String)
        /// Both stage into overlapping parts of the output.
        case output(String, String)
        /// One of them declares nothing, so they keep their order.
        case undeclared

        public var description: String {
            switch self {
            case .reads(let key): return "reads \(key)"
            case .overwrites(let key): return "writes \(key) after it"
            case .output(let mine, let theirs): return mine == theirs ? "both stage \(mine)" : "stages \(mine), it stages \(theirs)"
            case .undeclared: return "declares no reads, writes or outputs (runs in order)"
            }
        }
    }

    public struct Dependency: Sendable, Hashable {
        /// Index of the phase waited for, in `nodes`.
        public let index: Int
        public let reasons: [Reason]
    }

    public struct Node: Sendable {
        public let info: PhaseInfo
        public let reads: [AnyContextKey]
        public let writes: [AnyContextKey]
        public let outputs: [OutputPattern]
        /// The phases it waits for, by index (earlier phases only).
        public let after: [Dependency]
    }

    /// A declaration no run can satisfy.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// A phase reads a value no registered phase writes.
        case unwrittenRead(consumer: String, key: String, producer: String)

        public var description: String {
            switch self {
            case .unwrittenRead(let consumer, let key, let producer):
                return "\(consumer) reads \(key), which no registered phase writes (expected from \(producer))"
            }
        }
    }

    /// The phases in run order.
    public let nodes: [Node]
    /// Every problem found, sorted; a run refuses to start while there is one.
    public let problems: [Problem]

    public init(phases: [any GenerationPhase]) {
        var nodes: [Node] = []
        for (i, p) in phases.enumerated() {
            let declares = !(p.reads.isEmpty && p.writes.isEmpty && p.outputs.isEmpty)
            var after: [Dependency] = []
            for j in 0..<i {
                let q = phases[j]
                let qDeclares = !(q.reads.isEmpty && q.writes.isEmpty && q.outputs.isEmpty)
                var reasons: [Reason] = []
                if !declares || !qDeclares {
                    reasons.append(.undeclared)
                } else {
                    let qWrites = Set(q.writes.map(\.name)), qReads = Set(q.reads.map(\.name))
                    for k in p.reads where qWrites.contains(k.name) { reasons.append(.reads(k.name)) }
                    for k in p.writes where qReads.contains(k.name) || qWrites.contains(k.name) { reasons.append(.overwrites(k.name)) }
                    for mine in p.outputs {
                        for theirs in q.outputs where mine.overlaps(theirs) { reasons.append(.output(mine.pattern, theirs.pattern)) }
                    }
                }
                if !reasons.isEmpty { after.append(Dependency(index: j, reasons: reasons)) }
            }
            nodes.append(Node(info: PhaseRunner.info(p), reads: p.reads, writes: p.writes, outputs: p.outputs, after: after))
        }
        let written = Set(phases.flatMap(\.writes).map(\.name)).union(AnyContextKey.runnerProvided)
        var problems: Set<Problem> = []
        for p in phases {
            for k in p.reads where !written.contains(k.name) {
                problems.insert(.unwrittenRead(consumer: p.name, key: k.name, producer: k.producer))
            }
        }
        self.nodes = nodes
        self.problems = problems.sorted { $0.description < $1.description }
    }

    /// Only the edges that matter for scheduling: a dependency already implied through
    /// another one is dropped (for `phases --graph` and the TUI).
    public func directDependencies(of index: Int) -> [Dependency] {
        let all = nodes[index].after
        var reachable: Set<Int> = []
        func visit(_ i: Int) {
            for d in nodes[i].after where reachable.insert(d.index).inserted { visit(d.index) }
        }
        for d in all { visit(d.index) }
        return all.filter { !reachable.contains($0.index) }
    }

    /// The longest chain of dependent durations (by index), for the report's critical path.
    public func criticalPath(durations: [Duration]) -> (length: Duration, phases: [Int]) {
        var best: [Duration] = Array(repeating: .zero, count: nodes.count)
        var via: [Int?] = Array(repeating: nil, count: nodes.count)
        for i in nodes.indices {
            var longest = Duration.zero
            var from: Int?
            for d in nodes[i].after where from == nil || best[d.index] > longest {
                longest = best[d.index]
                from = d.index
            }
            via[i] = from
            best[i] = longest + (durations.indices.contains(i) ? durations[i] : .zero)
        }
        guard let end = best.indices.max(by: { best[$0] < best[$1] }) else { return (.zero, []) }
        var chain: [Int] = [end]
        while let prev = via[chain[0]] { chain.insert(prev, at: 0) }
        return (best[end], chain)
    }
}
