import Core
import Foundation
import Testing

/// The Prisma generator protocol in process: what a generator block's keys mean, and how the
/// server answers each kind of line (the real process is driven in `PrismaGeneratorCLITests`).
@Suite("Prisma generator protocol")
struct PrismaGeneratorTests {
    func options(_ config: [String: PrismaConfigValue], output: String? = "/abs/generated",
                 source: String? = "/proj/prisma/schema/api.prisma") -> PrismaGeneratorOptions {
        PrismaGeneratorOptions(
            generator: PrismaGeneratorBlock(name: "api", output: output.map { PrismaEnvValue(value: $0) }, config: config, sourceFilePath: source),
            schemaPath: "/proj/prisma/schema")
    }

    @Test("a block's keys become a run's options; paths are relative to the file of the block")
    func settings() throws {
        let s = try PrismaGeneratorSettings(options([
            "standalone": .string("false"), "force": .string("TRUE"), "name": .string("shop"), "jobs": .string("3"),
            "skip": .string("writeTests, writeStandalone"), "cacheDir": .string("../../.cache"), "report": .string("out/report.json"),
        ]), environment: [:])
        #expect(s.config.outputDir == "/abs/generated")
        #expect(s.config.schemaPath == "/proj/prisma/schema")
        #expect(!s.config.standalone && s.config.force)
        #expect(s.config.projectName == "shop" && s.config.jobs == 3)
        #expect(s.config.disabledPhases == ["writeTests", "writeStandalone"])
        #expect(s.config.cache == .directory("/proj/.cache"))
        #expect(s.reportPath == "/proj/prisma/schema/out/report.json")

        let list = try PrismaGeneratorSettings(options(["skip": .list(["writeTests"]), "cache": .string("false")]), environment: [:])
        #expect(list.config.disabledPhases == ["writeTests"])
        #expect(list.config.cache == .disabled)
        #expect(list.config.standalone, "standalone is on unless the block says otherwise")
        let env = try PrismaGeneratorSettings(options([:]), environment: ["PHASERUNNER_CACHE_DIR": "/c"])
        #expect(env.config.cache == .directory("/c"))

        // Without sourceFilePath (Prisma 5), relative to the schema file's folder.
        var o = options(["report": .string("r.json")], output: "rel/out", source: nil)
        o.schemaPath = "/proj/prisma/schema.prisma"
        let old = try PrismaGeneratorSettings(o, environment: [:])
        #expect(old.reportPath == "/proj/prisma/r.json")
        #expect(old.config.outputDir == "/proj/prisma/rel/out")
    }

    @Test("unknown keys, bad values and a missing output are errors naming the block and the key", arguments: [
        (["standalon": PrismaConfigValue.string("false")], "generator `api`: unknown key `standalon`"),
        (["standalone": .string("no")], "generator `api`: `standalone` must be \"true\" or \"false\" (got \"no\")"),
        (["jobs": .string("0")], "generator `api`: `jobs` must be a whole number of at least 1 (got \"0\")"),
        (["name": .list(["a", "b"])], "generator `api`: `name` must be a single value, not a list"),
        (["skip": .other], "generator `api`: `skip` must be a list of phase names"),
    ])
    func badKeys(config: [String: PrismaConfigValue], message: String) {
        #expect(throws: PrismaGeneratorSettings.Problem.self) { try PrismaGeneratorSettings(options(config)) }
        do { _ = try PrismaGeneratorSettings(options(config)) } catch { #expect("\(error)".hasPrefix(message), "\(error)") }
    }

    @Test("no output: an error that says where it should come from")
    func noOutput() {
        var o = options([:], output: nil)
        #expect(throws: PrismaGeneratorSettings.Problem.self) { try PrismaGeneratorSettings(o) }
        o.generator.output = PrismaEnvValue(fromEnvVar: "API_OUT", value: nil)
        do { _ = try PrismaGeneratorSettings(o) } catch { #expect("\(error)".contains("environment variable API_OUT, which is not set")) }
    }

    /// Records what it was asked; `generate` fails for a schema path containing "bad".
    struct Recorder: PrismaGeneratorHandler {
        let calls = Calls()
        final class Calls: @unchecked Sendable {
            private let lock = NSLock()
            private var list: [String] = []
            func add(_ s: String) { lock.withLock { list.append(s) } }
            var all: [String] { lock.withLock { list } }
        }

        func manifest() -> PrismaGeneratorManifest {
            calls.add("manifest")
            return .phaseRunner
        }

        func generate(_ options: PrismaGeneratorOptions) async -> PrismaGenerateOutcome {
            let c = options.generator.config
            calls.add("generate \(options.schemaPath) \(c.keys.sorted()) \(c["skip"] == .list(["a", "b"])) \(c["nested"] == .other)")
            return options.schemaPath.contains("bad") ? .failed("it \"broke\"\nline 2 ✓ é 𝄞") : .generated
        }
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ s: String) { lock.withLock { list.append(s) } }
        var all: [String] { lock.withLock { list } }
    }

    @Test("the server answers each request with its id, in the wire format generator-helper reads; it never stops on bad input")
    func server() async throws {
        let answers = Lines(), logs = Lines(), handler = Recorder()
        let server = PrismaGeneratorServer(handler: handler, respond: { answers.add($0) }, log: { logs.add($0) })
        let block = #"{"name":"api","provider":{"fromEnvVar":null,"value":"phaserunner prisma-generator"},"output":null,"config":{"standalone":"false","skip":["a","b"],"gone":null,"nested":[["x","y"]]},"binaryTargets":[],"previewFeatures":[]}"#
        let lines = [
            #"{"jsonrpc":"2.0","method":"getManifest","params":\#(block),"id":5}"#,
            "",
            "not json",
            #"{"jsonrpc":"2.0","method":"generate","params":{"generator":\#(block),"schemaPath":"/ok/schema.prisma","dmmf":{"big":[1,2,3]}},"id":6}"#,
            #"{"jsonrpc":"2.0","method":"generate","params":{"generator":\#(block),"schemaPath":"/bad/schema.prisma"},"id":7}"#,
            #"{"jsonrpc":"2.0","method":"generate","params":{"schemaPath":"/x"},"id":8}"#,
            #"{"jsonrpc":"1.0","method":"generate","id":9}"#,
            #"{"jsonrpc":"2.0","method":"whatever","id":10}"#,
            #"{"jsonrpc":"2.0","method":"progress"}"#,
        ].map { Data($0.utf8) }
        let last = try await server.serve(AsyncStream { c in lines.forEach { c.yield($0) }; c.finish() })
        #expect(last == .failed("it \"broke\"\nline 2 ✓ é 𝄞"), "the last generate's outcome")
        #expect(handler.calls.all == [
            "manifest",
            #"generate /ok/schema.prisma ["nested", "skip", "standalone"] true true"#,
            #"generate /bad/schema.prisma ["nested", "skip", "standalone"] true true"#,
        ])
        let a = answers.all
        #expect(a.count == 6, "\(a)")
        #expect(a.first == #"{"jsonrpc":"2.0","result":{"manifest":{"defaultOutput":"../generated","prettyName":"PhaseRunner REST API","version":"\#(ManifestEmitter.generatorVersion)"}},"id":5}"#)
        #expect(a.dropFirst().first == #"{"jsonrpc":"2.0","result":null,"id":6}"#)
        // Non-ASCII is escaped: the line is ASCII, so no chunking can split a character.
        #expect(a.dropFirst(2).first == #"{"jsonrpc":"2.0","error":{"code":-32000,"message":"it \"broke\"\nline 2 \u2713 \u00e9 \ud834\udd1e","data":null},"id":7}"#)
        #expect(a.dropFirst(3).first?.contains(#""code":-32602"#) == true && a.dropFirst(3).first?.contains("generator is missing") == true, "\(a)")
        #expect(a.dropFirst(4).first?.contains(#""id":9"#) == true && a.dropFirst(4).first?.contains("not a JSON-RPC 2.0 message") == true)
        #expect(a.dropFirst(5).first?.contains(#""code":-32601"#) == true && a.dropFirst(5).first?.contains("`whatever`") == true)
        for line in a { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "each answer is one JSON line: \(line)") }
        #expect(logs.all.count == 2)
        #expect(logs.all.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) == nil }, "log lines are never JSON")
    }
}
