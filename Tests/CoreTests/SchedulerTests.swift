import Foundation
import Testing
@testable import Core

/// The scheduler through the public runner API, with small fake phases.
@Suite("Parallel phases")
struct SchedulerTests {
    /// Counts phases inside `enter` at once; each waits until `target` are in (or 10 s pass),
    /// so the maximum reached does not depend on timing.
    actor Gate {
        let target: Int
        private(set) var inside = 0
        private(set) var most = 0
        init(target: Int) { self.target = target }

        func arrive() { inside += 1; most = max(most, inside) }
        func leave() { inside -= 1 }
        var ready: Bool { most >= target }
    }

    struct GatedPhase: GenerationPhase {
        let name: String
        let order: Int
        let description = "waits at the gate"
        let gate: Gate
        let key: ContextKey<Int>
        var writes: [AnyContextKey] { [AnyContextKey(key)] }

        func execute(_ context: PhaseContext) async throws -> PhaseResult {
            await gate.arrive()
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while !(await gate.ready), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
            await gate.leave()
            context[key] = order
            return PhaseResult(message: name)
        }
    }

    /// A phase that reads and writes the keys it is given, and fails when told to.
    struct KeyPhase: GenerationPhase {
        let name: String
        let order: Int
        let description = "reads and writes keys"
        var readKeys: [ContextKey<Int>] = []
        var writeKeys: [ContextKey<Int>] = []
        var fails = false
        var reads: [AnyContextKey] { readKeys.map { AnyContextKey($0) } }
        var writes: [AnyContextKey] { writeKeys.map { AnyContextKey($0) } }

        func execute(_ context: PhaseContext) async throws -> PhaseResult {
            for k in readKeys { _ = try context.require(k) }
            if fails { throw PhaseFailure.other("\(name) fails on purpose") }
            for k in writeKeys { context[k] = order }
            return .empty
        }
    }

    static func key(_ name: String, _ producer: String) -> ContextKey<Int> { ContextKey<Int>(name, producedBy: producer) }

    static func runner(jobs: Int?, _ phases: [any GenerationPhase]) -> PhaseRunner {
        let runner = PhaseRunner(config: GeneratorConfig(schemaPath: "unused.prisma", jobs: jobs))
        runner.register(contentsOf: phases)
        return runner
    }

    @Test("independent phases run at once, never more than --jobs")
    func concurrencyBound() async {
        for jobs in [1, 3] {
            let gate = Gate(target: jobs)
            let phases = (0..<6).map { GatedPhase(name: "p\($0)", order: $0, gate: gate, key: Self.key("k\($0)", "p\($0)")) }
            let report = await Self.runner(jobs: jobs, phases).run()
            #expect(report.status == .succeeded)
            #expect(await gate.most == jobs, "jobs \(jobs)")
            #expect(report.jobs == jobs)
            // With several jobs the phase section takes less than the phases' sum.
            if jobs > 1 { #expect(report.phases.contains { a in report.phases.contains { b in a.phase.name != b.phase.name && (a.start ?? .zero) < (b.end ?? .zero) && (b.start ?? .zero) < (a.end ?? .zero) } }) }
        }
    }

    @Test("a failure: running phases finish, nothing new starts, the rest is notRun")
    func failureStopsNewStarts() async {
        let a = Self.key("a", "fails"), c = Self.key("c", "after")
        let gate = Gate(target: 1)
        let phases: [any GenerationPhase] = [
            KeyPhase(name: "fails", order: 0, writeKeys: [a], fails: true),
            GatedPhase(name: "beside", order: 1, gate: gate, key: Self.key("b", "beside")),
            KeyPhase(name: "after", order: 2, readKeys: [a], writeKeys: [c]),
            KeyPhase(name: "later", order: 3, readKeys: [c]),
        ]
        let report = await Self.runner(jobs: 2, phases).run()
        #expect(report.status == .failed)
        let status = Dictionary(uniqueKeysWithValues: report.phases.map { ($0.phase.name, $0.status) })
        #expect(status["fails"] == .failed)
        #expect(status["beside"] == .succeeded)
        #expect(status["after"] == .notRun && status["later"] == .notRun)
    }

    @Test("a read no phase writes fails the run before any phase starts, naming the consumer and the key")
    func unwrittenRead() async {
        let missing = Self.key("nobodyWrites", "ghost")
        let runner = Self.runner(jobs: 2, [KeyPhase(name: "needy", order: 0, readKeys: [missing])])
        #expect(runner.graph.problems == [.unwrittenRead(consumer: "needy", key: "nobodyWrites", producer: "ghost")])
        let report = await runner.run()
        #expect(report.status == .failed)
        #expect(report.phases.allSatisfy { $0.status == .notRun })
        #expect(report.finalizeFailure?.description.contains("needy reads nobodyWrites") == true)
    }

    @Test("the standard graph: what waits for what")
    func standardEdges() {
        let graph = StandardPhases.runner(config: GeneratorConfig(schemaPath: "x.prisma")).graph
        #expect(graph.problems.isEmpty)
        func after(_ name: String) -> Set<String> {
            let i = graph.nodes.firstIndex { $0.info.name == name } ?? 0
            return Set(graph.directDependencies(of: i).map { graph.nodes[$0.index].info.name })
        }
        #expect(after("setupOutputDir").isEmpty && after("parseSchema").isEmpty)
        #expect(after("validateSchema") == ["parseSchema"])
        #expect(after("generateCode") == ["analyzeRelationships"])
        #expect(after("writeFiles") == ["generateCode", "setupOutputDir"])
        #expect(after("generateBarrels") == ["writeFiles"])
        #expect(after("generateOpenAPI") == ["analyzeRelationships", "setupOutputDir"])
        #expect(after("writeInfrastructure") == ["setupOutputDir"])
        // OpenAPI does not wait for code generation: they can overlap.
        #expect(!after("generateOpenAPI").contains("generateCode"))
    }

    @Test("undeclared phases keep their order: after everything before, before everything after")
    func undeclaredPhasesAreBarriers() {
        struct Plain: GenerationPhase {
            let name = "plain"
            let order = 1
            let description = "declares nothing"
            func execute(_ context: PhaseContext) async throws -> PhaseResult { .empty }
        }
        let k = Self.key("k", "first")
        let runner = Self.runner(jobs: 4, [KeyPhase(name: "first", order: 0, writeKeys: [k]), Plain(), KeyPhase(name: "last", order: 2, writeKeys: [Self.key("z", "last")])])
        let graph = runner.graph
        #expect(graph.nodes[1].after.map(\.index) == [0])
        #expect(graph.nodes[2].after.map(\.index) == [1])  // and so, through it, after "first" too
    }
}

@Suite("Parallel phases: determinism")
struct ParallelDeterminismTests {
    @Test("output is byte-identical with --jobs 1 and the default, on every real schema", arguments: Corpus.realSchemas)
    func jobsDoNotChangeOutput(_ url: URL) async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let one = await PipelineTests.run(GeneratorConfig(schemaPath: url.path, outputDir: tmp.path("one").path, projectName: "x", jobs: 1))
        let many = await PipelineTests.run(GeneratorConfig(schemaPath: url.path, outputDir: tmp.path("many").path, projectName: "x", jobs: 4))
        #expect(one.status == .succeeded && many.status == .succeeded)
        #expect(TempDir.snapshot(tmp.path("one")) == TempDir.snapshot(tmp.path("many")))
    }
}
