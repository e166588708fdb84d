/// `phaserunner phases --graph / --json / --dot`: the dependency graph as readable text,
/// stable JSON and Graphviz. Only direct dependencies are edges; a dependency implied
/// through another one is named in the text, never drawn.
public enum PhaseGraphFormat {
    /// Why one phase waits for another, in a few words: keys and output parts grouped
    /// ("reads apiPlan, transaction; both stage src/contracts/**, src/routes/**").
    public static func why(_ reasons: [PhaseGraph.Reason]) -> String { whyParts(reasons).joined(separator: "; ") }

    static func whyParts(_ reasons: [PhaseGraph.Reason]) -> [String] {
        var reads: [String] = [], overwrites: [String] = [], shared: [String] = [], other: [String] = []
        for r in reasons {
            switch r {
            case .reads(let key): reads.append(key)
            case .overwrites(let key): overwrites.append(key)
            case .output(let mine, let theirs) where mine == theirs: shared.append(mine)
            case .output, .undeclared: other.append(r.description)
            }
        }
        var parts: [String] = []
        if !reads.isEmpty { parts.append("reads \(reads.joined(separator: ", "))") }
        if !overwrites.isEmpty { parts.append("writes \(overwrites.joined(separator: ", ")) after it") }
        if !shared.isEmpty { parts.append("both stage \(shared.joined(separator: ", "))") }
        return parts + other
    }

    static func label(_ node: PhaseGraph.Node) -> String {
        "\(order(node)) \(node.info.name)"
    }

    static func order(_ node: PhaseGraph.Node) -> String {
        node.info.order < 10 && node.info.order >= 0 ? "0\(node.info.order)" : "\(node.info.order)"
    }

    /// For each phase in order: what it waits for and why; then the dependencies implied
    /// through those (the scheduler does not need them, but they hold).
    public static func text(_ graph: PhaseGraph) -> String {
        let nodes = graph.nodes
        let width = (nodes.map { label($0).count }.max() ?? 0) + 2
        var out = "A phase starts once every phase it waits for has finished (at most --jobs at once).\n"
            + "implied: a dependency already waited for through another one (not an edge of its own).\n\n"
        for (i, node) in nodes.enumerated() {
            out += label(node) + "\n"
            let direct = graph.directDependencies(of: i)
            if direct.isEmpty {
                out += "    waits for nothing: starts at once\n"
            }
            func line(_ word: String, _ other: Int, _ text: String) {
                let name = label(nodes[other])
                out += "    \(word) " + name + String(repeating: " ", count: max(1, width - name.count)) + text + "\n"
            }
            for d in direct { line("after  ", d.index, why(d.reasons)) }
            // Declared, but already waited for through a direct dependency: not an edge of its own.
            let directIndices = Set(direct.map(\.index))
            for d in node.after where !directIndices.contains(d.index) {
                let via = direct.first { graph.reaches(from: $0.index, to: d.index) }.map { " (through \(label(nodes[$0.index])))" } ?? ""
                line("implied", d.index, why(d.reasons) + via)
            }
        }
        if !graph.problems.isEmpty {
            out += "\nproblems:\n" + graph.problems.map { "  \($0)\n" }.joined()
        }
        return out
    }

    /// `[{"order", "name", "after": [direct dependencies], "reasons": {name: [why]}, "reads", "writes", "outputs"}]`.
    public static func json(_ graph: PhaseGraph) -> String {
        let nodes = graph.nodes
        let items: [JSONValue] = nodes.indices.map { i in
            let node = nodes[i]
            let direct = graph.directDependencies(of: i)
            return .object([
                ("order", .integer(node.info.order)),
                ("name", .string(node.info.name)),
                ("after", .array(direct.map { .string(nodes[$0.index].info.name) })),
                ("reasons", .object(direct.map { (nodes[$0.index].info.name, .array($0.reasons.map { .string($0.description) })) })),
                ("reads", .array(node.reads.map { .string($0.name) })),
                ("writes", .array(node.writes.map { .string($0.name) })),
                ("outputs", .array(node.outputs.map { .string($0.pattern) })),
            ])
        }
        return JSONValue.array(items).rendered()
    }

    /// Graphviz: one node per phase, one edge per direct dependency, labelled with why.
    public static func dot(_ graph: PhaseGraph) -> String {
        let nodes = graph.nodes
        var out = "digraph phases {\n"
        out += "  rankdir=LR;\n"
        out += "  node [shape=box, fontname=\"Helvetica\"];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=10];\n"
        for node in nodes {
            out += "  \(quote(node.info.name)) [label=\(quote(label(node)))];\n"
        }
        for i in nodes.indices {
            for d in graph.directDependencies(of: i) {
                let reasons = whyParts(d.reasons).joined(separator: "\n")
                out += "  \(quote(nodes[d.index].info.name)) -> \(quote(nodes[i].info.name)) [label=\(quote(reasons))];\n"
            }
        }
        return out + "}\n"
    }

    /// A DOT string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}

extension PhaseGraph {
    /// Whether `from` waits for `to`, directly or through other phases.
    func reaches(from: Int, to: Int) -> Bool {
        var seen: Set<Int> = []
        var stack = [from]
        while let i = stack.popLast() {
            for d in nodes[i].after where seen.insert(d.index).inserted {
                if d.index == to { return true }
                stack.append(d.index)
            }
        }
        return false
    }
}
