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
        enum State { case waiting, running, done }
        var state = Array(repeating: State.done, count: graph.nodes.count)
        for i in pending { state[i] = .waiting }
        var stopping = false
        var cancelled = false
        let limit = max(1, jobs)
        await withTaskGroup(of: (Int, Bool).self) { group in
            var running = 0
            func launchReady(_ group: inout TaskGroup<(Int, Bool)>) {
                for i in state.indices where !stopping && running < limit && state[i] == .waiting {
                    guard graph.nodes[i].after.allSatisfy({ state[$0.index] == .done }) else { continue }
                    if Task.isCancelled {
                        stopping = true
                        cancelled = true
                        return
                    }
                    state[i] = .running
                    running += 1
                    group.addTask { (i, await execute(i)) }
                }
            }
            launchReady(&group)
            while let (i, stop) = await group.next() {
                state[i] = .done
                running -= 1
                if stop { stopping = true }
                launchReady(&group)
            }
        }
        return Outcome(notStarted: state.indices.filter { state[$0] == .waiting }, cancelled: cancelled)
    }
}
