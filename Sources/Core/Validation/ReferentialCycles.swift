/// SQL Server rejects foreign keys whose cascading actions form cycles or reach
/// a table through several paths; Prisma reports both at schema time.
enum ReferentialCycles {
    struct Edge {
        var from: String       // model holding the foreign key
        var field: String      // relation field name
        var to: String         // referenced model
        var cascades: Bool
        var implicitNote: String?
        var span: Span
    }

    static func check(models: [Model], ctx: ValidationContext) {
        guard (ctx.provider == .sqlserver || ctx.usesPrismaRelationMode), ctx.provider != .mongodb else { return }
        var edges: [Edge] = []
        for m in models {
            for f in m.fields where f.isRelation {
                guard let rel = f.relation, !rel.fields.isEmpty else { continue }
                let fkRequired = rel.fields.allSatisfy { m.field($0)?.isRequired == true }
                let onDelete = rel.onDelete ?? (fkRequired ? .restrict : .setNull)
                let onUpdate = rel.onUpdate ?? .cascade
                let cascading: Set<ReferentialAction> = [.cascade, .setNull, .setDefault]
                let cascades = cascading.contains(onDelete) || cascading.contains(onUpdate)
                var note: String?
                if rel.onUpdate == nil, onUpdate != .noAction { note = "(Implicit default `onUpdate`: `Cascade`)" }
                if rel.onDelete == nil, onDelete == .setNull, rel.onUpdate != nil { note = "(Implicit default `onDelete`: `SetNull`)" }
                edges.append(Edge(from: m.name, field: f.name, to: rel.oppositeModel, cascades: cascades, implicitNote: note, span: f.span))
            }
        }
        for e in edges where e.cascades {
            if e.from == e.to {
                ctx.validationError("A self-relation must have `onDelete` and `onUpdate` referential actions set to `NoAction` in one of the @relation attributes. \(e.implicitNote ?? "")".trimmingTrailingSpace() + " Read more at https://pris.ly/d/cyclic-referential-actions", e.span)
                continue
            }
            // cycle back to e.from through cascading edges
            if let path = findPath(from: e.to, to: e.from, edges: edges) {
                let names = ([e] + path).map { "\($0.from).\($0.field)" }.joined(separator: " → ")
                let note = e.implicitNote.map { " \($0)" } ?? ""
                ctx.validationError("Reference causes a cycle. One of the @relation attributes in this cycle must have `onDelete` and `onUpdate` referential actions set to `NoAction`. Cycle path: \(names).\(note) Read more at https://pris.ly/d/cyclic-referential-actions", e.span)
                continue
            }
        }
        if ctx.provider == .sqlserver, !ctx.usesPrismaRelationMode { checkMultiplePaths(edges, ctx: ctx) }
    }

    /// SQL Server rejects a table reachable from one table through two cascading paths.
    static func checkMultiplePaths(_ edges: [Edge], ctx: ValidationContext) {
        let cascading = edges.filter { $0.cascades && $0.from != $0.to }
        func ancestors(of model: String) -> Set<String> {
            var seen: Set<String> = [model]
            var stack = [model]
            while let m = stack.popLast() {
                for e in cascading where e.from == m && seen.insert(e.to).inserted { stack.append(e.to) }
            }
            return seen
        }
        for child in Set(cascading.map(\.from)).sorted() {
            let incoming = cascading.filter { $0.from == child }
            guard incoming.count > 1 else { continue }
            let reach = incoming.map { ancestors(of: $0.to) }
            var shared: Set<String> = []
            for i in reach.indices {
                for j in reach.indices where j > i { shared.formUnion(reach[i].intersection(reach[j])) }
            }
            shared.remove(child)
            guard !shared.isEmpty else { continue }
            let names = shared.sorted()
            let who = names.count == 1 ? "model `\(names[0])` is" : "models \(names.map { "`\($0)`" }.joined(separator: ", ")) are"
            for (e, r) in zip(incoming, reach) where !r.intersection(shared).isEmpty {
                let note = e.implicitNote.map { " \($0)" } ?? ""
                ctx.validationError("When any of the records in \(who) updated or deleted, the referential actions on the relations cascade to model `\(child)` through multiple paths. Please break one of these paths by setting the `onUpdate` and `onDelete` to `NoAction`.\(note) Read more at https://pris.ly/d/cyclic-referential-actions", e.span)
            }
        }
    }

    private static func findPath(from start: String, to goal: String, edges: [Edge]) -> [Edge]? {
        var queue: [(String, [Edge])] = [(start, [])]
        var seen: Set<String> = [start]
        while !queue.isEmpty {
            let (cur, path) = queue.removeFirst()
            for e in edges where e.cascades && e.from == cur && e.from != e.to {
                if e.to == goal { return path + [e] }
                if seen.insert(e.to).inserted { queue.append((e.to, path + [e])) }
            }
        }
        return nil
    }
}

extension String {
    func trimmingTrailingSpace() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
