import Foundation
import Testing
@testable import Core

/// What the plan decides (run or skip, and why) and that runs follow it: phases that cannot
/// be turned off, phases that need other phases, and re-runs from a phase.
@Suite("Run plan", .serialized)
struct RunPlanTests {
    static let shop = PipelineTests.shop
    static let manifest = "src/manifests/generation.json"

    static func exists(_ out: URL, _ path: String) -> Bool {
        FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path)
    }

    /// The generated project is whole: tests are never written without the project they test,
    /// nor the project without the tsconfig files its scripts use.
    static func consistent(_ out: URL) -> Bool {
        (!exists(out, "tests") || (exists(out, "package.json") && exists(out, "src/app.ts")))
            && (!exists(out, "package.json") || (exists(out, "tsconfig.json") && exists(out, "tsconfig.build.json")))
    }

    static func status(_ report: RunReport, _ name: String) -> PhaseStatus? {
        report.phases.first { $0.phase.name == name }?.status
    }

    static func plans(_ log: EventLog) -> [RunPlan] {
        log.all.compactMap { if case .runStarted(let plan) = $0 { return plan } else { return nil } }
    }

    static func warnings(_ log: EventLog) -> [LogRecord] {
        log.all.compactMap { if case .log(let r) = $0, r.level == .warning { return r } else { return nil } }
    }

    @Test("a phase that cannot be turned off runs anyway, with a warning; the next run into the folder succeeds")
    func unskippablePhaseRuns() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let config = GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, disabledPhases: ["writeManifest", "parseSchema"])
        let log = EventLog()
        let runner = StandardPhases.runner(config: config)
        runner.addObserver(log)
        let first = await runner.run()
        await runner.drainObservers()
        #expect(first.status == .succeeded, "\(first.failedPhase?.failure?.description ?? "")")
        #expect(Self.status(first, "writeManifest") == .succeeded)
        #expect(Self.status(first, "parseSchema") == .succeeded)
        #expect(Self.exists(out, Self.manifest))
        let entry = try #require(Self.plans(log).first?.entries.first { $0.phase.name == "writeManifest" })
        #expect(entry.skipReason == nil)
        #expect(entry.runReason?.contains("cannot be turned off") == true)
        let warning = try #require(Self.warnings(log).first { $0.phase == "writeManifest" })
        #expect(warning.message.contains("writeManifest cannot be turned off"))
        #expect(warning.message.contains("the next run needs the manifest"))

        // The same configuration again, into the folder the first run filled.
        let second = await runner.run()
        #expect(second.status == .succeeded, "\(second.failedPhase?.failure?.description ?? "")")
        #expect(second.commit?.written == 0)
        // And a fresh runner (a new process) sees a folder it owns.
        let third = await PipelineTests.run(config)
        #expect(third.status == .succeeded, "\(third.failedPhase?.failure?.description ?? "")")
    }

    @Test("turning the manifest off between runs (the TUI's toggle) keeps it")
    func toggledManifestStays() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        #expect(await runner.run().status == .succeeded)
        runner.updateConfig { $0.disabledPhases = ["writeManifest"] }
        let off = await runner.run()
        #expect(off.status == .succeeded)
        #expect(off.commit?.deleted == 0)
        #expect(Self.exists(out, Self.manifest))
        let again = await runner.run(from: 0)
        #expect(again.status == .succeeded, "\(again.failedPhase?.failure?.description ?? "")")
    }

    @Test("standalone on, off, on, then re-run from writeTests: the run starts at the first standalone phase and says why")
    func rerunReplans() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let log = EventLog()
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, standalone: true))
        runner.addObserver(log)
        #expect(await runner.run().status == .succeeded)
        #expect(Self.exists(out, "package.json") && Self.exists(out, "tests"))
        runner.updateConfig { $0.standalone = false }
        #expect(await runner.run().status == .succeeded)
        #expect(!Self.exists(out, "package.json") && !Self.exists(out, "tests"))
        runner.updateConfig { $0.standalone = true }
        let order = Dictionary(uniqueKeysWithValues: runner.orderedPhases.map { ($0.name, $0.order) })
        let writeTests = try #require(order["writeTests"]), firstStandalone = try #require(order["generateTsConfig"])
        let report = await runner.run(from: writeTests)
        await runner.drainObservers()
        #expect(report.status == .succeeded, "\(report.failedPhase?.failure?.description ?? "")")
        // Ran: executed, or restored from the phase cache (the first run stored them).
        for name in ["generateTsConfig", "writeStandalone", "writeTests"] { #expect([.succeeded, .cached].contains(Self.status(report, name)), "\(name)") }
        #expect(Self.exists(out, "tests") && Self.exists(out, "package.json"))
        #expect(Self.consistent(out))
        let plan = try #require(Self.plans(log).last)
        #expect(plan.requestedStartOrder == writeTests)
        #expect(plan.startOrder == firstStandalone)
        #expect(plan.startReason?.contains("generateTsConfig now runs") == true, "\(plan.startReason ?? "nil")")
        // Phases before it were decided as before: reused, not run again.
        #expect(report.phases.filter { $0.phase.order < firstStandalone }.allSatisfy { $0.status == .reused })
    }

    @Test("re-running from a phase keeps the requested start when nothing before it is decided differently")
    func rerunUnchangedKeepsStart() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let log = EventLog()
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        runner.addObserver(log)
        #expect(await runner.run().status == .succeeded)
        runner.updateConfig { $0.disabledPhases = ["writeTests"] }
        let report = await runner.run(from: 11)
        await runner.drainObservers()
        #expect(report.status == .succeeded)
        let plan = try #require(Self.plans(log).last)
        #expect(plan.startOrder == 11 && plan.startReason == nil)
        #expect(report.phases.filter { $0.phase.order < 11 }.allSatisfy { $0.status == .reused })
        #expect(!Self.exists(out, "tests") && Self.exists(out, "package.json") && Self.consistent(out))
    }

    @Test("re-running from writeTests after turning writeStandalone off skips the tests too")
    func rerunAfterTurningOffTheProject() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        #expect(await runner.run().status == .succeeded)
        runner.updateConfig { $0.disabledPhases = ["writeStandalone"] }
        let report = await runner.run(from: 12)
        #expect(report.status == .succeeded)
        #expect(Self.status(report, "writeStandalone") == .skipped)
        #expect(Self.status(report, "writeTests") == .skipped)
        #expect(report.phases.first { $0.phase.name == "writeTests" }?.skipReason == "needs writeStandalone, which is turned off")
        #expect(!Self.exists(out, "package.json") && !Self.exists(out, "tests"))
    }

    @Test("forcing writeTests on with standalone off also runs writeStandalone, which it needs")
    func forcedPhasePullsInWhatItNeeds() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let log = EventLog()
        let report = await PipelineTests.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, standalone: false,
                                                             enabledPhases: ["writeTests"]), observer: log)
        #expect(report.status == .succeeded, "\(report.failedPhase?.failure?.description ?? "")")
        #expect(Self.status(report, "writeStandalone") == .succeeded)
        #expect(Self.status(report, "writeTests") == .succeeded)
        #expect(Self.exists(out, "tests") && Self.consistent(out))
        let entry = try #require(Self.plans(log).first?.entries.first { $0.phase.name == "writeStandalone" })
        #expect(entry.skipReason == nil && entry.runReason == "needed by writeTests")
        let tsconfig = try #require(Self.plans(log).first?.entries.first { $0.phase.name == "generateTsConfig" })
        #expect(tsconfig.skipReason == nil && tsconfig.runReason == "needed by writeStandalone")
    }

    @Test("a forced phase whose need is turned off explicitly is refused with a reason")
    func forcedPhaseRefused() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let log = EventLog()
        let report = await PipelineTests.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, standalone: false,
                                                             disabledPhases: ["writeStandalone"], enabledPhases: ["writeTests"]), observer: log)
        #expect(report.status == .succeeded)
        let tests = try #require(report.phases.first { $0.phase.name == "writeTests" })
        #expect(tests.status == .skipped)
        #expect(tests.skipReason == "needs writeStandalone, which is turned off")
        #expect(Self.warnings(log).contains { $0.phase == "writeTests" && $0.message.contains("needs writeStandalone") })
        #expect(!Self.exists(out, "tests") && Self.consistent(out))
    }

    struct Needy: GenerationPhase {
        let name: String
        let order: Int
        var requires: [String] = []
        var description: String { "a test phase" }
        var condition: String { "when forced" }
        func shouldRun(_ context: PhaseContext) -> Bool { false }
        func execute(_ context: PhaseContext) async throws -> PhaseResult { .empty }
    }

    @Test("needs are followed transitively, and an unknown need refuses the phase")
    func transitiveNeeds() {
        let planner = RunPlanner(phases: [Needy(name: "a", order: 0), Needy(name: "b", order: 1, requires: ["a"]),
                                          Needy(name: "c", order: 2, requires: ["b"]), Needy(name: "d", order: 3, requires: ["nope"])])
        let context = PhaseContext()
        context[.config] = GeneratorConfig(schemaPath: "s", enabledPhases: ["c", "d"])
        let entries = planner.entries(context)
        #expect(entries.map(\.skipReason) == [nil, nil, nil, "needs nope, which is not registered"])
        #expect(entries.map(\.runReason) == ["needed by b", "needed by c", "forced on", nil])
        context[.config] = GeneratorConfig(schemaPath: "s", disabledPhases: ["a"], enabledPhases: ["c"])
        #expect(planner.entries(context).map(\.skipReason) == ["disabled by configuration", "its condition is not met",
                                                               "needs a, which is turned off", "its condition is not met"])
    }
}
