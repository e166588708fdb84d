/// Walks a `PhaseGraph`: starts a phase once every phase it waits for is done, at most
/// `jobs` at once, lowest `order` first among the ready ones. After a phase asks to stop
/// (it failed) or the task is cancelled, nothing new starts; running phases finish. The
/// scheduler only walks the graph: running a phase is the `execute` closure's job.
struct Scheduler {
    let graph: PhaseGraph
    let jobs: Int

    struct Outcome {
        /// Indices that never started (the run stopped first).
        var notStarted: [Int]
        /// The run stopped because the task was cancelled.
        var cancelled: Bool
    }

    /// Runs the phases at `pending` (the others count as done already). `execute` returns
    /// true when the run must stop.
    func run(_ pending: [Int], execute: @escaping @Sendable (Int) async -> Bool) async -> Outcome {
        let n = graph.nodes.count
        var waiting = Array(repeating: false, count: n)
        for i in pending { waiting[i] = true }
        // How many unfinished phases each one waits for, and who waits for whom: finishing a
        // phase costs its number of dependents, not a scan of the whole graph.
        var blockers = Array(repeating: 0, count: n)
        var dependents = Array(repeating: [Int](), count: n)
        for i in 0..<n where waiting[i] {
            for d in graph.nodes[i].after where waiting[d.index] {
                blockers[i] += 1
                dependents[d.index].append(i)
            }
        }
        var ready = Set((0..<n).filter { waiting[$0] && blockers[$0] == 0 })
        var stopping = false
        var cancelled = false
        let limit = max(1, jobs)
        await withTaskGroup(of: (Int, Bool).self) { group in
            var running = 0
            func launchReady(_ group: inout TaskGroup<(Int, Bool)>) {
                while !stopping, running < limit, let i = ready.min() {
                    if Task.isCancelled {
                        stopping = true
                        cancelled = true
                        return
                    }
                    ready.remove(i)
                    waiting[i] = false
                    running += 1
                    group.addTask { (i, await execute(i)) }
                }
            }
            launchReady(&group)
            while let (i, stop) = await group.next() {
                running -= 1
                if stop { stopping = true }
                for j in dependents[i] {
                    blockers[j] -= 1
                    if blockers[j] == 0 { ready.insert(j) }
                }
                launchReady(&group)
            }
        }
        return Outcome(notStarted: (0..<n).filter { waiting[$0] }, cancelled: cancelled)
    }
}
