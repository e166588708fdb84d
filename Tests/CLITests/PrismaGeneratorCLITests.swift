import Foundation
import Testing

/// `phaserunner prisma-generator` driven the way the Prisma CLI drives a generator
/// (`@prisma/generator-helper`'s `GeneratorProcess`, Prisma 5–7): the provider command is run
/// through a shell with `PRISMA_GENERATOR_INVOCATION=true`, stdin and stderr piped and stdout
/// inherited; requests are JSON-RPC lines on stdin, answers JSON lines on stderr (other stderr
/// lines are the log); ids count across every generator of the schema; once a generator has
/// answered `generate`, Prisma stops it with SIGTERM.
@Suite("phaserunner prisma-generator")
struct PrismaGeneratorCLITests {
    /// A scripted Prisma CLI: sends the requests Prisma sends and waits for the answers.
    final class ScriptedPrisma: @unchecked Sendable {
        let process = Process()
        private let stdin = Pipe()
        private let stderr = Pipe()
        private let lock = NSLock()
        private let arrived = NSCondition()
        private var answers: [Int: [String: Any]] = [:]
        private var logLines: [String] = []
        private var pending = Data()
        private var closed = false
        let stdoutURL: URL

        init(in dir: URL) throws {
            stdoutURL = dir.appendingPathComponent("prisma-stdout-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "'\(CLITests.binary.path)' prisma-generator"]
            process.environment = ProcessInfo.processInfo.environment.merging(["PRISMA_GENERATOR_INVOCATION": "true"]) { _, new in new }
            process.currentDirectoryURL = dir
            process.standardInput = stdin
            process.standardError = stderr
            process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
            stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.received(data)
            }
            try process.run()
        }

        private func received(_ data: Data) {
            arrived.lock()
            defer { arrived.broadcast(); arrived.unlock() }
            if data.isEmpty { closed = true; return }
            pending.append(data)
            while let nl = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<nl]
                pending = Data(pending[(nl + 1)...])
                // As GeneratorProcess does: a line that parses as a JSON-RPC answer is one; the rest is log.
                if let json = try? JSONSerialization.jsonObject(with: line) as? [String: Any], json["jsonrpc"] as? String == "2.0",
                   let id = json["id"] as? Int {
                    answers[id] = json
                } else {
                    logLines.append(String(decoding: line, as: UTF8.self))
                }
            }
        }

        func send(_ request: String) {
            stdin.fileHandleForWriting.write(Data((request + "\n").utf8))
        }

        /// Waits for the answer to `id` (a hang guard, not a timing assertion: 5 minutes).
        func answer(_ id: Int) throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(300)
            arrived.lock()
            defer { arrived.unlock() }
            while answers[id] == nil, !closed, Date() < deadline { _ = arrived.wait(until: deadline) }
            return try #require(answers[id], "no answer to request \(id); log:\n\(logLines.joined(separator: "\n"))")
        }

        var log: String { arrived.lock(); defer { arrived.unlock() }; return logLines.joined(separator: "\n") }
        var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

        /// Closes stdin and waits for the process to end; returns its status.
        func finish() -> Int32 {
            try? stdin.fileHandleForWriting.close()
            process.waitUntilExit()
            return process.terminationStatus
        }

        deinit {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: stdoutURL)
        }
    }

    static let schemaText = """
        // Prisma 7: the datasource URL lives in prisma.config.ts
        datasource db {
          provider = "postgresql"
        }

        generator client {
          provider = "prisma-client-js"
        }

        generator api {
          provider   = "phaserunner prisma-generator"
          output     = "../generated"
          standalone = "false"
        }

        model Author {
          id    Int    @id @default(autoincrement())
          name  String
          books Book[]
        }

        model Book {
          id       Int    @id @default(autoincrement())
          title    String
          authorId Int
          author   Author @relation(fields: [authorId], references: [id])
        }

        """

    /// A project folder with `prisma/schema.prisma`.
    func project(_ schema: String = Self.schemaText) throws -> (dir: URL, schema: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prisma-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("prisma"), withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("prisma/schema.prisma")
        try schema.write(to: url, atomically: true, encoding: .utf8)
        return (dir, url)
    }

    // MARK: The messages, as Prisma builds them

    /// Which Prisma CLI is scripted. Prisma 7 runs prisma-client-js inside its own process (so
    /// our block gets ids 1 and 2) and its datasources have no `url`; Prisma 5 runs every
    /// generator as a process (ids count across them), sends `url` as an env value and
    /// `postinstall`.
    enum PrismaVersion { case v5, v7 }

    /// A `GeneratorConfig` as `getConfig` returns it (before `generate`, `output` is still
    /// the text of the block; Prisma then resolves it against the block's folder and sets
    /// `isCustomOutput`, in the same objects it later sends as `otherGenerators`).
    static func generatorConfig(name: String, provider: String, output: String?, config: String, schema: URL, resolved: Bool = false,
                                documentation: String? = nil) -> String {
        let out = output.map { #"{"fromEnvVar":null,"value":"\#($0)"}"# } ?? "null"
        let custom = resolved && output != nil ? #","isCustomOutput":true"# : ""
        let doc = documentation.map { #","documentation":"\#($0)""# } ?? ""
        return #"{"name":"\#(name)","provider":{"fromEnvVar":null,"value":"\#(provider)"},"output":\#(out),"config":\#(config),"binaryTargets":[{"fromEnvVar":null,"value":"debian-openssl-3.0.x","native":true}],"previewFeatures":[],"sourceFilePath":"\#(schema.path)"\#(custom)\#(doc)}"#
    }

    static func getManifest(id: Int, config: String = #"{"standalone":"false"}"#, schema: URL) -> String {
        #"{"jsonrpc":"2.0","method":"getManifest","params":\#(generatorConfig(name: "api", provider: "phaserunner prisma-generator", output: "../generated", config: config, schema: schema)),"id":\#(id)}"#
    }

    /// `generate`'s `GeneratorOptions`: the block with its output resolved, the other
    /// generators (here one with a nested-list value, which Prisma's parser allows), the
    /// schema's path and text, its datasources, and the DMMF.
    static func generate(id: Int, output: URL, config: String = #"{"standalone":"false"}"#, schema: URL, prisma: PrismaVersion = .v7) throws -> String {
        let text = try String(contentsOf: schema, encoding: .utf8)
        let datamodel = String(decoding: try JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
        let generator = generatorConfig(name: "api", provider: "phaserunner prisma-generator", output: output.path, config: config, schema: schema,
                                        resolved: true, documentation: "The REST API")
        let clientOut = schema.deletingLastPathComponent().appendingPathComponent("../generated/client").standardizedFileURL.path
        let client = generatorConfig(name: "client", provider: "prisma-client-js", output: clientOut, config: #"{"tables":[["User","Session"]]}"#,
                                     schema: schema, resolved: true)
        switch prisma {
        case .v7:
            let datasource = #"{"name":"db","provider":"postgresql","activeProvider":"postgresql","schemas":[],"sourceFilePath":"\#(schema.path)"}"#
            return #"{"jsonrpc":"2.0","method":"generate","params":{"datamodel":\#(datamodel),"datasources":[\#(datasource)],"generator":\#(generator),"dmmf":\#(dmmf),"otherGenerators":[\#(client)],"schemaPath":"\#(schema.path)","version":"0000000000000000000000000000000000000000"},"id":\#(id)}"#
        case .v5:
            let datasource = #"{"name":"db","provider":"postgresql","activeProvider":"postgresql","url":{"fromEnvVar":"DATABASE_URL","value":null},"schemas":[],"sourceFilePath":"\#(schema.path)"}"#
            return #"{"jsonrpc":"2.0","method":"generate","params":{"datamodel":\#(datamodel),"datasources":[\#(datasource)],"generator":\#(generator),"dmmf":\#(dmmf),"otherGenerators":[\#(client)],"schemaPath":"\#(schema.path)","version":"0000000000000000000000000000000000000000","dataProxy":false,"postinstall":false},"id":\#(id)}"#
        }
    }

    /// The DMMF document of `schemaText` (datamodel, schema and mappings, abridged to one
    /// operation per kind): PhaseRunner skips it, but it is there and large in every call.
    static let dmmf = #"""
        {"datamodel":{"enums":[],"models":[{"name":"Author","dbName":null,"schema":null,"fields":[{"name":"id","kind":"scalar","isList":false,"isRequired":true,"isUnique":false,"isId":true,"isReadOnly":false,"hasDefaultValue":true,"type":"Int","nativeType":null,"default":{"name":"autoincrement","args":[]},"isGenerated":false,"isUpdatedAt":false},{"name":"name","kind":"scalar","isList":false,"isRequired":true,"isUnique":false,"isId":false,"isReadOnly":false,"hasDefaultValue":false,"type":"String","nativeType":null,"isGenerated":false,"isUpdatedAt":false},{"name":"books","kind":"object","isList":true,"isRequired":true,"isUnique":false,"isId":false,"isReadOnly":false,"hasDefaultValue":false,"type":"Book","nativeType":null,"relationName":"AuthorToBook","relationFromFields":[],"relationToFields":[],"isGenerated":false,"isUpdatedAt":false}],"primaryKey":null,"uniqueFields":[],"uniqueIndexes":[],"isGenerated":false},{"name":"Book","dbName":null,"schema":null,"fields":[{"name":"id","kind":"scalar","isList":false,"isRequired":true,"isUnique":false,"isId":true,"isReadOnly":false,"hasDefaultValue":true,"type":"Int","nativeType":null,"default":{"name":"autoincrement","args":[]},"isGenerated":false,"isUpdatedAt":false},{"name":"title","kind":"scalar","isList":false,"isRequired":true,"isUnique":false,"isId":false,"isReadOnly":false,"hasDefaultValue":false,"type":"String","nativeType":null,"isGenerated":false,"isUpdatedAt":false},{"name":"authorId","kind":"scalar","isList":false,"isRequired":true,"isUnique":false,"isId":false,"isReadOnly":true,"hasDefaultValue":false,"type":"Int","nativeType":null,"isGenerated":false,"isUpdatedAt":false},{"name":"author","kind":"object","isList":false,"isRequired":true,"isUnique":false,"isId":false,"isReadOnly":false,"hasDefaultValue":false,"type":"Author","nativeType":null,"relationName":"AuthorToBook","relationFromFields":["authorId"],"relationToFields":["id"],"isGenerated":false,"isUpdatedAt":false}],"primaryKey":null,"uniqueFields":[],"uniqueIndexes":[],"isGenerated":false}],"types":[],"indexes":[{"model":"Author","type":"id","isDefinedOnField":true,"fields":[{"name":"id"}]},{"model":"Book","type":"id","isDefinedOnField":true,"fields":[{"name":"id"}]}]},"schema":{"inputObjectTypes":{"prisma":[{"name":"AuthorWhereInput","meta":{"source":"Author"},"constraints":{"maxNumFields":null,"minNumFields":null},"fields":[{"name":"id","isRequired":false,"isNullable":false,"inputTypes":[{"type":"IntFilter","namespace":"prisma","location":"inputObjectTypes","isList":false},{"type":"Int","location":"scalar","isList":false}]}]}]},"outputObjectTypes":{"prisma":[{"name":"Query","fields":[{"name":"findUniqueAuthor","args":[],"isNullable":true,"outputType":{"type":"Author","namespace":"model","location":"outputObjectTypes","isList":false}}]}],"model":[{"name":"Author","fields":[{"name":"id","args":[],"isNullable":false,"outputType":{"type":"Int","location":"scalar","isList":false}}]}]},"enumTypes":{"prisma":[{"name":"SortOrder","values":["asc","desc"]}]},"fieldRefTypes":{"prisma":[{"name":"IntFieldRefInput","allowTypes":[{"type":"Int","location":"scalar","isList":false}],"fields":[{"name":"_ref","isRequired":true,"isNullable":false,"inputTypes":[{"type":"String","location":"scalar","isList":false}]}]}]}},"mappings":{"modelOperations":[{"model":"Author","plural":"authors","findUnique":"findUniqueAuthor","createOne":"createOneAuthor"},{"model":"Book","plural":"books","findUnique":"findUniqueBook","createOne":"createOneBook"}],"otherOperations":{"read":[],"write":["executeRaw","queryRaw"]}}}
        """#

    // MARK: Tests

    @Test("getManifest, then generate with the block's keys (standalone = \"false\"), as Prisma 7 and Prisma 5 send them: the API is written like `generate --no-standalone` would", arguments: [PrismaVersion.v7, .v5])
    func generates(prisma: PrismaVersion) throws {
        let (dir, schema) = try project(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("generated")
        let process = try ScriptedPrisma(in: dir)
        // Prisma 5 runs prisma-client-js as a process too: it got ids 1 and 3.
        let (manifestID, generateID) = prisma == .v7 ? (1, 2) : (2, 4)
        process.send(Self.getManifest(id: manifestID, schema: schema))
        let manifest = try process.answer(manifestID)
        let body = try #require((manifest["result"] as? [String: Any])?["manifest"] as? [String: Any])
        #expect(body["prettyName"] as? String == "PhaseRunner REST API")
        #expect(body["defaultOutput"] as? String == "../generated")
        #expect(body["version"] as? String != nil)

        process.send(try Self.generate(id: generateID, output: out, schema: schema, prisma: prisma))
        let answer = try process.answer(generateID)
        #expect(answer["error"] == nil, "\(answer)")
        #expect(answer.keys.contains("result"))
        #expect(process.finish() == 0, "\(process.log)")

        let fm = FileManager.default
        #expect(fm.fileExists(atPath: out.appendingPathComponent("src/manifests/generation.json").path))
        #expect(!fm.fileExists(atPath: out.appendingPathComponent("package.json").path), "standalone = \"false\" writes no project files")
        #expect(process.stdout.contains("generated ") && process.stdout.contains("into \(out.path)"), "the summary is on the user's terminal: \(process.stdout)")
        let manifestText = try String(contentsOf: out.appendingPathComponent("src/manifests/generation.json"), encoding: .utf8)
        #expect(manifestText.contains("book"))
    }

    @Test("a schema PhaseRunner rejects: the answer is an error naming the phase and file:line:col with a caret; the output of the previous generate is unchanged; exit 1")
    func failingSchema() throws {
        let (dir, schema) = try project(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("generated")
        let prisma = try ScriptedPrisma(in: dir)
        prisma.send(Self.getManifest(id: 1, schema: schema))
        _ = try prisma.answer(1)
        prisma.send(try Self.generate(id: 2, output: out, schema: schema))
        #expect(try prisma.answer(2)["error"] == nil)
        let before = try snapshot(out)

        // A second generate in the same process (Prisma's watch mode starts a new process each
        // time, but nothing in the protocol forbids it); this one breaks the schema.
        try Self.schemaText.replacingOccurrences(of: "  title    String\n", with: "  title    Strin\n").write(to: schema, atomically: true, encoding: .utf8)
        prisma.send(try Self.generate(id: 3, output: out, schema: schema))
        let answer = try prisma.answer(3)
        let error = try #require(answer["error"] as? [String: Any], "\(answer)")
        #expect(error["code"] as? Int == -32000)
        #expect(error.keys.contains("data"))
        let message = try #require(error["message"] as? String)
        #expect(message.contains("validateSchema") || message.contains("parseSchema"), "\(message)")
        #expect(message.contains("\(schema.path):24:12:"), "\(message)")
        #expect(message.contains("Strin") && message.contains("^"), "\(message)")
        #expect(message.contains("the output folder was not changed"))
        #expect(try snapshot(out) == before)
        #expect(prisma.finish() == 1)
    }

    @Test("block keys are checked: an unknown key and a bad value are errors naming the block and the key; a line that is not a request is logged, an unknown method answered")
    func badRequests() throws {
        let (dir, schema) = try project(); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("generated")
        let prisma = try ScriptedPrisma(in: dir)
        prisma.send("this is not json")
        prisma.send(#"{"jsonrpc":"2.0","method":"shutdown","params":{},"id":7}"#)
        let unknown = try #require(try prisma.answer(7)["error"] as? [String: Any])
        #expect(unknown["code"] as? Int == -32601)
        prisma.send(#"{"jsonrpc":"2.0","method":"generate","params":{"schemaPath":3},"id":8}"#)
        let invalid = try #require(try prisma.answer(8)["error"] as? [String: Any])
        #expect((invalid["message"] as? String)?.contains("invalid request") == true, "\(invalid)")

        prisma.send(try Self.generate(id: 9, output: out, config: #"{"standalone":"false","standalon":"true"}"#, schema: schema))
        let typo = try #require(try prisma.answer(9)["error"] as? [String: Any])
        #expect((typo["message"] as? String)?.contains("generator `api`: unknown key `standalon`") == true, "\(typo)")
        prisma.send(try Self.generate(id: 10, output: out, config: #"{"jobs":"0"}"#, schema: schema))
        let jobs = try #require(try prisma.answer(10)["error"] as? [String: Any])
        #expect((jobs["message"] as? String)?.contains("`jobs` must be a whole number of at least 1") == true, "\(jobs)")
        prisma.send(try Self.generate(id: 11, output: out, config: #"{"skip":["nope"]}"#, schema: schema))
        let skip = try #require(try prisma.answer(11)["error"] as? [String: Any])
        #expect((skip["message"] as? String)?.contains("unknown phase 'nope'") == true, "\(skip)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(prisma.log.contains("ignored a line that is not a JSON-RPC request"))
        #expect(prisma.finish() == 1)
    }

    @Test("Prisma stops a generator that has answered with SIGTERM to the shell it started: when the shell exec'd PhaseRunner, PhaseRunner exits at once with 0")
    func stoppedBySIGTERM() throws {
        let (dir, schema) = try project(); defer { try? FileManager.default.removeItem(at: dir) }
        let prisma = try ScriptedPrisma(in: dir)
        prisma.send(Self.getManifest(id: 1, schema: schema))
        _ = try prisma.answer(1)
        // bash and macOS's sh exec the command, so the signal reaches PhaseRunner itself.
        let pid = try generatorPID(shell: prisma.process.processIdentifier)
        kill(pid, SIGTERM)
        prisma.process.waitUntilExit()
        #expect(prisma.process.terminationStatus == 0)
    }

    @Test("when the shell did not exec (dash), SIGTERM ends the shell; Node then closes the generator's stdin and PhaseRunner exits with 0")
    func shellStopped() throws {
        let (dir, schema) = try project(); defer { try? FileManager.default.removeItem(at: dir) }
        let prisma = try ScriptedPrisma(in: dir)
        prisma.send(Self.getManifest(id: 1, schema: schema))
        _ = try prisma.answer(1)
        let pid = try generatorPID(shell: prisma.process.processIdentifier)
        if pid != prisma.process.processIdentifier { kill(prisma.process.processIdentifier, SIGTERM) }
        // What Node does once the child it spawned has exited: destroy its stdin.
        _ = prisma.finish()
        // PhaseRunner itself ends (bounded wait: a hang guard).
        var gone = false
        for _ in 0..<60_000 where !gone {
            gone = kill(pid, 0) == -1 && errno == ESRCH || Self.isZombie(pid)
            if !gone { usleep(5000) }
        }
        #expect(gone, "phaserunner \(pid) still runs after its stdin closed")
    }

    @Test("Ctrl-C during a generation stops it like `generate`: the answer is an error, the output is left as it was, exit 130")
    func interrupted() throws {
        // Thousands of models: the run is still going when the signal arrives.
        let (dir, schema) = try project(CLITests.largeSchema(models: 3000)); defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("generated")
        let prisma = try ScriptedPrisma(in: dir)
        prisma.send(try Self.generate(id: 1, output: out, schema: schema))
        // The run has begun once setupOutputDir made its staging folder.
        let staging = dir.appendingPathComponent(".generated.phaserunner/staging")
        let deadline = Date().addingTimeInterval(300)
        while !FileManager.default.fileExists(atPath: staging.path), prisma.process.isRunning, Date() < deadline { usleep(2000) }
        kill(try generatorPID(shell: prisma.process.processIdentifier), SIGINT)
        let error = try #require(try prisma.answer(1)["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains("cancelled; the output folder was not changed") == true, "\(error)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(prisma.finish() == 130)
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    /// The generator's pid: the shell itself when it exec'd the command, else its child.
    func generatorPID(shell: Int32) throws -> Int32 {
        let comm = (try? String(contentsOfFile: "/proc/\(shell)/comm", encoding: .utf8)) ?? ""
        if comm.hasPrefix("phaserunner") { return shell }
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try #require(children.split(separator: " ").first.flatMap { Int32($0) })
    }

    /// Every file under `dir` with its bytes.
    func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = dir.path + "/"
        let files = try #require(FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil))
        for case let url as URL in files {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
                out[String(url.path.dropFirst(base.count))] = try Data(contentsOf: url)
            }
        }
        return out
    }
}
