import Foundation
import Testing
@testable import Core

/// Records events in order (thread-safe).
final class EventLog: PhaseObserver, @unchecked Sendable {
    private var events: [RunEvent] = []
    private let lock = NSLock()
    func handle(_ event: RunEvent) { lock.withLock { events.append(event) } }
    var all: [RunEvent] { lock.withLock { events } }
}

@Suite("PhaseRunner", .serialized)
struct PipelineTests {
    static let shop = EmitterTests.fixtures.appendingPathComponent("shop.prisma")

    static func run(_ config: GeneratorConfig, observer: (any PhaseObserver)? = nil, extra: [any GenerationPhase] = []) async -> RunReport {
        let runner = StandardPhases.runner(config: config)
        runner.register(contentsOf: extra)
        if let observer { runner.addObserver(observer) }
        let report = await runner.run()
        await runner.drainObservers()
        return report
    }

    @Test("a full run succeeds, writes every phase's files and a manifest listing them")
    func fullRun() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        #expect(report.status == .succeeded)
        #expect(report.phases.map(\.phase.name) == StandardPhases.names)
        #expect(report.phases.allSatisfy { $0.status == .succeeded })
        let files = TempDir.snapshot(out)
        let manifest = try #require(files["src/manifests/generation.json"])
        let listed = Set(ManifestEmitter.listedPaths(in: String(decoding: manifest, as: UTF8.self)) ?? [])
        #expect(listed == Set(files.keys).subtracting(["src/manifests/generation.json"]))
        #expect(files["tsconfig.build.json"] != nil && files["package.json"] != nil && files["tests/person.test.ts"] != nil)
        #expect(files["tests/support.ts"] != nil && files["tests/factories/person.ts"] != nil && files["tests/api.test.ts"] == nil)
        #expect(report.commit?.written == files.count)
        // no work folder left behind
        #expect(!FileManager.default.fileExists(atPath: OutputTransaction.workDir(for: out).path))
    }

    @Test("every real schema runs through all phases", arguments: Corpus.realSchemas)
    func realSchemas(_ url: URL) async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let report = await Self.run(GeneratorConfig(schemaPath: url.path, outputDir: tmp.path("out").path))
        #expect(report.status == .succeeded, "\(report.failedPhase?.failure?.description ?? "")")
        #expect((report.commit?.written ?? 0) > 50)
    }

    @Test("a schema error fails validateSchema with file:line:col; later phases are notRun; nothing is written")
    func schemaError() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        try tmp.write("schema.prisma", "model User {\n  id Int @id\n  posts Post[]\n}\n")
        let out = tmp.path("out")
        let report = await Self.run(GeneratorConfig(schemaPath: tmp.path("schema.prisma").path, outputDir: out.path))
        #expect(report.status == .failed)
        let failed = try #require(report.failedPhase)
        #expect(failed.phase.name == "validateSchema")
        let d = try #require(failed.failure?.diagnostics.first)
        #expect(d.line == 3 && d.column == 9 && d.file.hasSuffix("schema.prisma"))
        // Phases that depend on the schema never start; one that does not (src/base) may have
        // run beside it. Nothing is written either way.
        #expect(report.phases.filter { $0.phase.order > 2 }.allSatisfy { $0.status == .notRun || $0.status == .succeeded })
        #expect(report.phases.filter { ["analyzeRelationships", "generateCode", "writeFiles"].contains($0.phase.name) }.allSatisfy { $0.status == .notRun })
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // One phase at a time: everything after the failure is notRun.
        let sequential = await Self.run(GeneratorConfig(schemaPath: tmp.path("schema.prisma").path, outputDir: out.path, jobs: 1))
        #expect(sequential.phases.filter { $0.phase.order > 2 }.allSatisfy { $0.status == .notRun })

        try tmp.write("bad.prisma", "model User {\n  id Int @id\n  name\n}\n")
        let syntax = await Self.run(GeneratorConfig(schemaPath: tmp.path("bad.prisma").path, outputDir: out.path))
        #expect(syntax.failedPhase?.phase.name == "parseSchema")
        #expect(syntax.failedPhase?.failure?.diagnostics.first?.line == 3)
    }

    @Test("--fail-at any phase with --jobs 2 leaves a previous generation byte-identical", arguments: StandardPhases.names)
    func failAtLeavesOutput(_ phase: String) async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        #expect(await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path)).status == .succeeded)
        try tmp.write("out/NOTES.md", "user file\n")
        let before = TempDir.snapshot(out)
        // A changed schema, so the failed run would have changed files.
        let schema = try String(contentsOf: Self.shop, encoding: .utf8).replacingOccurrences(of: "model Quiz {", with: "model Quiz {\n  extra String?")
        try tmp.write("changed.prisma", schema)
        let report = await Self.run(GeneratorConfig(schemaPath: tmp.path("changed.prisma").path, outputDir: out.path, failAt: phase, jobs: 2))
        #expect(report.status == .failed)
        #expect(report.failedPhase?.phase.name == phase)
        #expect(report.failedPhase?.failure == .injected(phase: phase))
        #expect(TempDir.snapshot(out) == before)
        #expect(!FileManager.default.fileExists(atPath: OutputTransaction.workDir(for: out).path))
    }

    @Test("regenerating after a model is removed deletes exactly its files and keeps user files")
    func removedModel() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        #expect(await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path)).status == .succeeded)
        try tmp.write("out/src/custom/my-middleware.ts", "export const mine = 1;\n")
        let before = TempDir.snapshot(out)
        var schema = try String(contentsOf: Self.shop, encoding: .utf8)
        let start = try #require(schema.range(of: "model Quiz {"))
        let end = try #require(schema.range(of: "}\n", range: start.upperBound..<schema.endIndex))
        schema.removeSubrange(start.lowerBound..<end.upperBound)
        try tmp.write("noquiz.prisma", schema)
        let report = await Self.run(GeneratorConfig(schemaPath: tmp.path("noquiz.prisma").path, outputDir: out.path))
        #expect(report.status == .succeeded)
        let after = TempDir.snapshot(out)
        let removed = Set(before.keys).subtracting(after.keys)
        let quizTests: Set<String> = ["tests/quiz.test.ts", "tests/factories/quiz.ts"]
        #expect(removed == Set(before.keys.filter { $0.contains("/quiz/") }).union(quizTests))
        #expect(removed.count == 17) // 10 layer files + 5 per-model barrels + its test file and factory
        #expect(after["src/custom/my-middleware.ts"] != nil)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("src/services/quiz").path))
    }

    @Test("unchanged files are not rewritten: their modification time stays")
    func unchangedKeepsMtime() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        #expect(await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path)).status == .succeeded)
        let file = out.appendingPathComponent("src/base/errors.ts")
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        #expect(report.commit == CommitSummary(written: 0, unchanged: report.commit?.unchanged ?? -1, deleted: 0))
        let mtime = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        #expect(mtime == old)
    }

    @Test("a non-empty folder without a manifest is refused unless forced; user files are never overwritten")
    func refusesForeignFolder() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        try tmp.write("out/README.md", "mine\n")
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path))
        #expect(report.failedPhase?.phase.name == "setupOutputDir")
        #expect(try String(contentsOf: tmp.path("out/README.md"), encoding: .utf8) == "mine\n")
        let forced = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, force: true))
        #expect(forced.status == .succeeded)

        // With a manifest, a user file at a path we now want to generate is refused, not overwritten.
        let tmp2 = TempDir(); defer { tmp2.cleanup() }
        let out2 = tmp2.path("out")
        #expect(await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out2.path, standalone: false)).status == .succeeded)
        try tmp2.write("out/package.json", "{\"name\": \"mine\"}\n")
        let clash = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out2.path, standalone: true))
        #expect(clash.failedPhase?.phase.name == "writeStandalone")
        #expect(try String(contentsOf: tmp2.path("out/package.json"), encoding: .utf8) == "{\"name\": \"mine\"}\n")
    }

    @Test("standalone phases are skipped with a reason when standalone is off; --skip disables any phase")
    func conditionalPhases() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, standalone: false,
                                                    disabledPhases: ["generateTsConfig"]))
        #expect(report.status == .succeeded)
        let skipped = report.phases.filter { $0.status == .skipped }
        #expect(skipped.map(\.phase.name) == ["generateTsConfig", "writeStandalone", "writeTests"])
        #expect(skipped.map(\.skipReason) == ["disabled by configuration", "standalone mode is off", "standalone mode is off"])
        #expect(!FileManager.default.fileExists(atPath: tmp.path("out/package.json").path))
        // The TUI can force a conditional phase on.
        let forced = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out2").path, standalone: false, enabledPhases: ["writeTests"]))
        #expect(forced.phases.first { $0.phase.name == "writeTests" }?.status == .succeeded)
    }

    @Test("a phase whose input was never produced fails naming both phases")
    func missingContext() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        struct ReadCountPhase: GenerationPhase {
            let name = "readCount"
            let order = 14
            let description = "A user-defined phase: reads what countModels produces"
            func execute(_ context: PhaseContext) async throws -> PhaseResult {
                PhaseResult(counters: [.init("models", try context.require(CountModelsPhase.count))])
            }
        }
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, disabledPhases: ["countModels"]),
                                    extra: [CountModelsPhase(), ReadCountPhase()])
        let failed = try #require(report.failedPhase)
        #expect(failed.phase.name == "readCount")
        #expect(failed.failure == .missingContext(key: "customModelCount", producer: "countModels", consumer: "readCount"))
        #expect(failed.failure?.description.contains("countModels") == true)
    }

    struct CountModelsPhase: GenerationPhase {
        static let count = ContextKey<Int>("customModelCount", producedBy: "countModels")
        let name = "countModels"
        let order = 13
        let description = "A user-defined phase: counts models and stages a file"
        func execute(_ context: PhaseContext) async throws -> PhaseResult {
            let names = try context.require(.modelNames)
            context[Self.count] = names.count
            try context.require(.transaction).stage(GeneratedFile(path: "MODELS.txt", contents: names.joined(separator: "\n") + "\n", kind: .standalone))
            return PhaseResult(filesWritten: 1, counters: [.init("models", names.count)])
        }
    }

    @Test("a custom phase at order 13 runs last, sees the context, and its file is committed and listed")
    func customPhase() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path), extra: [CountModelsPhase()])
        #expect(report.status == .succeeded)
        #expect(report.phases.last?.phase.name == "countModels")
        #expect(report.phases.last?.result?.counters.first?.value == 10)
        let text = try String(contentsOf: tmp.path("out/MODELS.txt"), encoding: .utf8)
        #expect(text.hasPrefix("Person\n"))
        let manifest = try String(contentsOf: tmp.path("out/src/manifests/generation.json"), encoding: .utf8)
        #expect(ManifestEmitter.listedPaths(in: manifest)?.contains("MODELS.txt") == true)
    }

    @Test("StandardPhases.producer names the phase whose files a run without it leaves out, for every kind of file")
    func producers() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        func kinds(_ out: URL) throws -> [String: GeneratedFile.Kind] {
            let data = try Data(contentsOf: out.appendingPathComponent(ManifestEmitter.path))
            let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let files = try #require(obj["files"] as? [[String: Any]])
            var out: [String: GeneratedFile.Kind] = [:]
            for f in files {
                if let p = f["path"] as? String, let k = (f["kind"] as? String).flatMap(GeneratedFile.Kind.init(rawValue:)) { out[p] = k }
            }
            return out
        }
        let fullOut = tmp.path("full")
        _ = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: fullOut.path))
        let full = try kinds(fullOut)
        #expect(Set(full.values).count >= 10, "\(Set(full.values))")
        for phase in ["writeInfrastructure", "generateBarrels", "generateOpenAPI", "generateTsConfig", "writeStandalone", "writeTests"] {
            let out = tmp.path("without-\(phase)")
            let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, disabledPhases: [phase]))
            // The phase, and those that need it (turning off generateTsConfig holds back the standalone phases).
            let skipped = Set(report.phases.filter { $0.status == .skipped }.map(\.phase.name))
            #expect(skipped.contains(phase))
            let without = try kinds(out)
            let missing = Set(full.keys).subtracting(without.keys)
            #expect(!missing.isEmpty, "\(phase)")
            for path in missing {
                #expect(full[path].flatMap(StandardPhases.producer(of:)).map(skipped.contains) == true, "\(path) (\(String(describing: full[path]))) missing without \(skipped)")
            }
            for (path, kind) in full where StandardPhases.producer(of: kind).map(skipped.contains) == true {
                #expect(missing.contains(path), "\(path) kept without \(skipped)")
            }
        }
    }

    @Test("after each phase, the context values it read and wrote, summarised in one line each; a failed phase's reads too")
    func contextEntries() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let log = EventLog()
        _ = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, standalone: false), observer: log)
        var entries: [String: [ContextEntry]] = [:]
        for case .phaseContext(let p, let list) in log.all { entries[p.name] = list }
        var ran: Set<String> = []
        for case .phaseDidFinish(let p, _, _) in log.all { ran.insert(p.name) }
        #expect(ran.count >= 10)
        // One list per phase that ran (none for the skipped standalone phases), with exactly its
        // declared reads and writes.
        #expect(Set(entries.keys) == ran)
        for phase in StandardPhases.all where ran.contains(phase.name) {
            let list = try #require(entries[phase.name], "no context for \(phase.name) among \(entries.keys.sorted())")
            #expect(list.filter { $0.access == .read }.map(\.key) == phase.reads.map(\.name), "\(phase.name)")
            #expect(list.filter { $0.access == .wrote }.map(\.key) == phase.writes.map(\.name), "\(phase.name)")
        }
        func summary(_ phase: String, _ key: String) -> String? { entries[phase]?.first { $0.key == key }?.summary }
        // The live output transaction is summarised as it stood when the phase ended.
        #expect(summary("setupOutputDir", "transaction") == "0 files staged")
        let model = CompiledSchema(sources: try SchemaLoader.load(path: Self.shop.path)).model
        #expect(summary("validateSchema", "schema")?.hasPrefix("\(model.models.count) models, \(model.enums.count) enum") == true, "\(summary("validateSchema", "schema") ?? "nil")")
        let plan = ApiPlan(schema: model)
        let endpoints = ApiEndpoints(plan, prefix: "/api").models.reduce(0) { $0 + $1.endpoints.count }
        #expect(summary("analyzeRelationships", "apiPlan") == "\(plan.models.count) models, \(endpoints) endpoints")
        #expect(summary("generateCode", "generatedFiles")?.range(of: #"^\d+ files, \d+\.\d (KB|MB)$"#, options: .regularExpression) != nil,
                "\(summary("generateCode", "generatedFiles") ?? "nil")")

        // A phase that fails still says what it was given; what it should have written is not set.
        let bad = tmp.path("bad.prisma")
        try "model User {\n  id Int @id\n  posts Post[]\n}\n".write(to: bad, atomically: true, encoding: .utf8)
        let failLog = EventLog()
        _ = await Self.run(GeneratorConfig(schemaPath: bad.path, outputDir: tmp.path("out2").path), observer: failLog)
        var failed: [ContextEntry] = []
        for case .phaseContext(let p, let list) in failLog.all where p.name == "validateSchema" { failed = list }
        #expect(failed.first { $0.key == "parsedSchema" }?.summary == "1 declaration")
        #expect(failed.first { $0.key == "schema" }?.summary == "not set")
    }

    @Test("observers hear events in order, with matching will/did pairs and progress in between")
    func events() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let log = EventLog()
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, standalone: false), observer: log)
        let events = log.all
        guard case .runStarted(let plan)? = events.first else { Issue.record("first event is not runStarted"); return }
        #expect(plan.entries.count == 13)
        guard case .runFinished(let finished)? = events.last else { Issue.record("last event is not runFinished"); return }
        #expect(finished.status == report.status)
        // Phases may run at once: each has one will/did pair, its progress in between, and it
        // starts only after every phase it waits for has finished.
        let graph = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path)).graph
        var open: Set<String> = []
        var done: [String] = []
        var progressSeen = 0
        for e in events {
            switch e {
            case .phaseWillRun(let p):
                #expect(!open.contains(p.name))
                let i = try #require(graph.nodes.firstIndex { $0.info.name == p.name })
                for d in graph.nodes[i].after { #expect(done.contains(graph.nodes[d.index].info.name), "\(p.name) started before \(graph.nodes[d.index].info.name) finished") }
                open.insert(p.name)
            case .phaseDidFinish(let p, _, _), .phaseFailed(let p, _, _):
                #expect(open.remove(p.name) != nil)
                done.append(p.name)
            case .phaseProgress(let p, let done, let total, _):
                #expect(open.contains(p.name) && done <= total)
                progressSeen += 1
            case .phaseSkipped(let p, _):
                #expect(!open.contains(p.name))
                done.append(p.name)
            default: break
            }
        }
        #expect(open.isEmpty)
        #expect(done.sorted() == StandardPhases.names.sorted())
        #expect(progressSeen > 8)
    }

    @Test("a slow observer does not slow the runner")
    func slowObserver() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let slow = ClosureObserver { _ in Thread.sleep(forTimeInterval: 0.1) }
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path, standalone: false))
        runner.addObserver(slow)
        let clock = ContinuousClock()
        let start = clock.now
        let report = await runner.run()
        let elapsed = start.duration(to: clock.now)
        #expect(report.status == .succeeded)
        // Dozens of events at 100 ms each would take several seconds if delivered inline.
        #expect(elapsed < .seconds(3))
        await runner.drainObservers()
    }

    @Test("re-running from a phase reuses the earlier phases' context")
    func rerunFrom() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path, failAt: nil))
        let first = await runner.run()
        #expect(first.status == .succeeded)
        try FileManager.default.removeItem(at: out.appendingPathComponent("openapi.json"))
        let again = await runner.run(from: 8)
        #expect(again.status == .succeeded)
        #expect(again.phases.filter { $0.phase.order < 8 }.allSatisfy { $0.status == .reused })
        #expect(again.phases.filter { $0.phase.order >= 8 }.allSatisfy { $0.status == .succeeded || $0.status == .cached })
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("openapi.json").path))
        #expect(again.commit?.written == 1)
        #expect(again.commit?.deleted == 0)
    }

    @Test("cancelling the run's task stops after the current phase and reports cancelled")
    func cancellation() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        struct SlowPhase: GenerationPhase {
            let name = "slow"
            let order = 4
            let description = "waits"
            func execute(_ context: PhaseContext) async throws -> PhaseResult {
                try? await Task.sleep(for: .milliseconds(300))
                return .empty
            }
        }
        let runner = StandardPhases.runner(config: GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        runner.register(SlowPhase())
        let task = Task { await runner.run() }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let report = await task.value
        #expect(report.status == .cancelled)
        #expect(report.phases.contains { $0.status == .notRun })
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("a commit interrupted midway is undone by the next run; one interrupted after writing is completed")
    func journalRecovery() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        #expect(await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path)).status == .succeeded)
        let previous = TempDir.snapshot(out)
        // Stage a different generation and "kill" the commit after 5 file moves.
        let t = try OutputTransaction(outputDir: out, force: false)
        for f in previous.keys.sorted() where f.hasPrefix("src/services/") {
            try t.stage(GeneratedFile(path: f, contents: "// changed\n", kind: .service))
        }
        try t.stage(GeneratedFile(path: "src/new-file.ts", contents: "export {};\n", kind: .service))
        t.simulatedCrashAfterMoves = 5
        #expect(throws: OutputTransaction.SimulatedCrash.self) { try t.commit() }
        #expect(TempDir.snapshot(out) != previous)
        #expect(try OutputTransaction.recover(outputDir: out) == .undone)
        #expect(TempDir.snapshot(out) == previous)
        // The next run recovers by itself before doing anything else.
        let t2 = try OutputTransaction(outputDir: out, force: false)
        try t2.stage(GeneratedFile(path: "src/new-file.ts", contents: "export {};\n", kind: .service))
        t2.simulatedCrashAfterMoves = 1
        #expect(throws: OutputTransaction.SimulatedCrash.self) { try t2.commit() }
        let report = await Self.run(GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path))
        #expect(report.status == .succeeded)
        #expect(report.phases.first?.result?.message?.contains("undid") == true)
        #expect(TempDir.snapshot(out) == previous)
    }

    @Test("each phase runs alone with a hand-built context")
    func phasesAlone() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let config = GeneratorConfig(schemaPath: Self.shop.path, outputDir: tmp.path("out").path)
        let context = PhaseContext()
        context[.config] = config
        _ = try await SetupOutputDirPhase().execute(context)
        #expect(context[.transaction] != nil)
        let parsed = try await ParseSchemaPhase().execute(context)
        #expect(parsed.counters.first { $0.name == "blocks" }?.value == 14)
        _ = try await ValidateSchemaPhase().execute(context)
        #expect(context[.modelNames]?.count == 10)
        _ = try await AnalyzeRelationshipsPhase().execute(context)
        #expect(context[.relationshipCount] == 7)
        let code = try await GenerateCodePhase().execute(context)
        #expect(context[.totalFiles] == context[.generatedFiles]?.count)
        #expect(code.counters.first { $0.name == "services" }?.value == 8)
        for phase in [WriteFilesPhase(), WriteInfrastructurePhase(), GenerateBarrelsPhase(), GenerateOpenAPIPhase()] as [any GenerationPhase] {
            let r = try await phase.execute(context)
            #expect(r.filesWritten > 0, "\(phase.name)")
        }
        _ = try await WriteManifestPhase().execute(context)
        _ = try await GenerateTsConfigPhase().execute(context)
        #expect(WriteStandalonePhase().shouldRun(context))
        #expect(try await WriteStandalonePhase().execute(context).filesWritten == 11)
        // vitest.config.ts, setup, support and the service checks; a test file per model (8); a factory per creatable model (7).
        #expect(try await WriteTestsPhase().execute(context).filesWritten == 4 + 8 + 7)
        // Nothing reached the output before the commit.
        #expect(!FileManager.default.fileExists(atPath: tmp.path("out").path))
        let summary = try #require(context[.transaction]).commit()
        #expect(summary.written == context[.transaction]?.stagedFiles.count)

        // A phase alone, given only what it reads.
        let lone = PhaseContext()
        lone[.apiPlan] = ApiPlan(schema: try Corpus.compile(Self.shop).model)
        #expect(throws: PhaseFailure.self) { _ = try lone.require(.transaction) }
    }
}
