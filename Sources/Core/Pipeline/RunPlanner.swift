/// Decides, once and before the first phase starts, which phases run and why: the
/// configuration's toggles (`disabledPhases`, `enabledPhases`), each phase's condition,
/// `skippable` and `requires`. For a re-run it also decides where the run really starts.
/// The runner follows the plan; no other code decides whether a phase runs.
struct RunPlanner {
    /// The registered phases, in run order.
    let phases: [any GenerationPhase]

    /// The plan for a run on `context` (its `.config` must be set).
    func plan(_ context: PhaseContext, startOrder: Int, requestedStartOrder: Int? = nil, startReason: String? = nil) -> RunPlan {
        RunPlan(entries: entries(context), startOrder: startOrder, requestedStartOrder: requestedStartOrder, startReason: startReason)
    }

    private struct Decision {
        var skipReason: String?
        var runReason: String?
        var warning: String?
        var runs: Bool { skipReason == nil }
    }

    func entries(_ context: PhaseContext) -> [RunPlan.Entry] {
        let disabled = context[.config]?.disabledPhases ?? []
        let enabled = context[.config]?.enabledPhases ?? []
        var index: [String: Int] = [:]
        for (i, p) in phases.enumerated() where index[p.name] == nil { index[p.name] = i }

        // 1. Each phase on its own: configuration, then its condition.
        var decisions = phases.map { p -> Decision in
            if disabled.contains(p.name) {
                guard p.skippable else {
                    return Decision(runReason: "cannot be turned off: \(p.unskippableReason)",
                                    warning: "\(p.name) cannot be turned off (\(p.unskippableReason)); running it although the configuration turns it off")
                }
                return Decision(skipReason: "disabled by configuration")
            }
            if enabled.contains(p.name) { return Decision(runReason: p.shouldRun(context) ? nil : "forced on") }
            return p.shouldRun(context) ? Decision() : Decision(skipReason: p.skipReason(context))
        }

        // 2. A phase that needs a phase turned off explicitly (or one that is not registered)
        //    cannot produce a consistent output: it is skipped, unless it cannot be turned off.
        func blocker(_ p: any GenerationPhase) -> String? {
            var seen: Set<String> = [p.name]
            var stack = p.requires
            while let name = stack.popLast() {
                guard seen.insert(name).inserted else { continue }
                guard let j = index[name] else { return "\(name), which is not registered" }
                let q = phases[j]
                if disabled.contains(name), q.skippable { return "\(name), which is turned off" }
                stack += q.requires
            }
            return nil
        }
        for (i, p) in phases.enumerated() where decisions[i].runs && p.skippable {
            if let b = blocker(p) {
                decisions[i] = Decision(skipReason: "needs \(b)", warning: "\(p.name) is skipped: it needs \(b)")
            }
        }

        // 3. A running phase pulls in what it needs (and what that needs).
        var work = decisions.indices.filter { decisions[$0].runs }.reversed().map { $0 }
        while let i = work.popLast() {
            for name in phases[i].requires {
                guard let j = index[name], !decisions[j].runs else { continue }
                var d = Decision(runReason: "needed by \(phases[i].name)")
                if disabled.contains(name) {
                    d.warning = "\(name) runs although the configuration turns it off: \(phases[i].name), which cannot be turned off, needs it"
                }
                decisions[j] = d
                work.append(j)
            }
        }

        return zip(phases, decisions).map { p, d in
            RunPlan.Entry(phase: PhaseRunner.info(p), skipReason: d.skipReason, runReason: d.runReason, warning: d.warning)
        }
    }

    /// When re-running from `start`: the earliest phase before it that `plan` decides
    /// differently (run vs skip) than the run whose results would be reused, and why; nil
    /// when reusing them gives a consistent output.
    func restart(before start: Int, plan: RunPlan, previous: [Int: PhaseReport]) -> (order: Int, reason: String)? {
        for e in plan.entries where e.phase.order < start {
            let name = e.phase.name
            switch (previous[e.phase.order]?.status, e.skipReason) {
            case (.succeeded?, nil), (.cached?, nil), (.reused?, nil), (.skipped?, .some), (.notRun?, .some), (nil, .some):
                continue
            case (.skipped?, nil):
                return (e.phase.order, "\(name) now runs (\(e.runReason ?? "its condition is met")) but was skipped in the run being reused")
            case (.failed?, nil):
                return (e.phase.order, "\(name) failed in the run being reused")
            case (.notRun?, nil), (nil, nil):
                return (e.phase.order, "\(name) did not run in the run being reused")
            case (_, .some(let reason)):
                return (e.phase.order, "\(name) is now skipped (\(reason)) but ran in the run being reused")
            }
        }
        return nil
    }
}
