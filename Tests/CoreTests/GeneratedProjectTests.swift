import Foundation
import Testing
@testable import Core

/// Regression tests for the generated project's files (review round 2): what can be checked
/// without npm is checked on the text and, for the secrets hook, through real runs.
@Suite("Generated project files")
struct GeneratedProjectTests {
    static let amplication = Corpus.real.appendingPathComponent("amplication__amplication.prisma")
    static let shop = EmitterTests.fixtures.appendingPathComponent("shop.prisma")

    static func file(_ files: [GeneratedFile], _ path: String) throws -> String {
        try #require(files.first { $0.path == path }, "not generated: \(path)").contents
    }

    @Test("#3 the schema's own database URL variable is used everywhere and passed to PrismaClient")
    func databaseURLVariable() throws {
        let files = try EmitterTests.generate(Self.amplication)
        let env = try Self.file(files, ".env.example"), config = try Self.file(files, "src/config.ts")
        let db = try Self.file(files, "src/db.ts"), setup = try Self.file(files, "tests/setup.ts")
        #expect(env.contains("POSTGRESQL_URL=\""))
        #expect(!env.contains("DATABASE_URL"))
        #expect(config.contains("databaseUrl: required('POSTGRESQL_URL')"))
        #expect(db.contains("new PrismaClient({ datasourceUrl: config.databaseUrl })"))
        #expect(setup.contains("POSTGRESQL_URL"))
        let shop = try EmitterTests.generate(Self.shop)
        #expect(try Self.file(shop, "src/config.ts").contains("required('DATABASE_URL')"))
    }

    @Test("#4 a listen error (port in use) is logged and exits non-zero instead of reporting success")
    func listenError() throws {
        let server = try Self.file(try EmitterTests.generate(Self.shop), "src/server.ts")
        let callback = try #require(server.range(of: "app.listen(config.port, (error?: Error) => {"))
        let body = server[callback.upperBound...]
        let failure = try #require(body.range(of: "if (error) {"))
        let listening = try #require(body.range(of: "'API listening'"))
        #expect(failure.lowerBound < listening.lowerBound)
        #expect(body[failure.lowerBound..<listening.lowerBound].contains("process.exit(1)"))
    }

    @Test("#10 there is no PUT: PATCH is the only update, in routes and in OpenAPI")
    func noPut() throws {
        let files = try EmitterTests.generate(Self.shop)
        for f in files where f.path.hasPrefix("src/routes/") { #expect(!f.contents.contains("router.put("), "\(f.path)") }
        let spec = try Self.file(files, "openapi.json")
        #expect(!spec.contains("\"put\""))
        #expect(spec.contains("\"patch\""))
    }

    @Test("#12 OpenAPI: deepObject filters with isNull (no const \"null\"), connect-or-foreign-key rule, 422, served by the app")
    func openAPIMatchesCode() throws {
        let files = try EmitterTests.generate(Self.shop)
        let spec = try Self.file(files, "openapi.json")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(spec.utf8)) as? [String: Any])
        #expect(!spec.contains("\"const\": \"null\""))
        let paths = try #require(doc["paths"] as? [String: Any])
        let list = try #require((paths["/people"] as? [String: Any])?["get"] as? [String: Any])
        let params = try #require(list["parameters"] as? [[String: Any]])
        let manager = try #require(params.first { $0["name"] as? String == "managerId" })
        #expect(manager["style"] as? String == "deepObject")
        let ops = ((manager["schema"] as? [String: Any])?["properties"] as? [String: Any]) ?? [:]
        #expect(Set(ops.keys).isSuperset(of: ["equals", "gte", "in", "not", "isNull"]))
        let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let profileCreate = try #require(schemas["ProfileCreate"] as? [String: Any])
        let allOf = try #require(profileCreate["allOf"] as? [[String: Any]])
        let anyOf = try #require(allOf.first?["anyOf"] as? [[String: Any]])
        #expect(anyOf.compactMap { $0["required"] as? [String] } == [["personId"], ["person"]])
        let create = try #require((paths["/people"] as? [String: Any])?["post"] as? [String: Any])
        #expect((create["responses"] as? [String: Any])?["422"] != nil)
        let app = try Self.file(files, "src/app.ts")
        #expect(app.contains("app.get('/openapi.json'") && app.contains("app.get('/docs'"))
        #expect(try Self.file(files, "src/docs.ts").contains("servers: [{ url: apiPrefix }]"))
    }

    @Test("#13 project files: pino-http before the body parser, tsconfig.build.json for src only, no unused tsconfig.paths.json")
    func projectFiles() throws {
        let files = try EmitterTests.generate(Self.shop)
        let app = try Self.file(files, "src/app.ts")
        let pino = try #require(app.range(of: "app.use(pinoHttp("))
        let json = try #require(app.range(of: "app.use(express.json("))
        #expect(pino.lowerBound < json.lowerBound)
        #expect(!files.contains { $0.path == "tsconfig.paths.json" })
        let build = try #require(try JSONSerialization.jsonObject(with: Data(try Self.file(files, "tsconfig.build.json").utf8)) as? [String: Any])
        #expect(build["include"] as? [String] == ["src/**/*.ts"])
        let pkg = try #require(try JSONSerialization.jsonObject(with: Data(try Self.file(files, "package.json").utf8)) as? [String: Any])
        let scripts = pkg["scripts"] as? [String: String] ?? [:]
        #expect(scripts["build"] == "tsc -p tsconfig.build.json")
        #expect(scripts["start"] == "node dist/server.js")
    }

    @Test("#13 the project is named by --name, else the nearest package.json, else the output folder")
    func projectName() throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        try tmp.write("app/package.json", #"{"name": "@acme/bookshop"}"#)
        try tmp.write("app/prisma/schema.prisma", "model A {\n  id Int @id\n}\n")
        let schema = tmp.path("app/prisma/schema.prisma").path
        #expect(CodeGenerator.projectName(schemaPath: schema, outputDir: "/x/out") == "@acme/bookshop")
        try tmp.write("lone/schema.prisma", "model A {\n  id Int @id\n}\n")
        let lone = tmp.path("lone/schema.prisma").path
        // No package.json up to three levels above the schema's folder → the output folder's name.
        let name = CodeGenerator.projectName(schemaPath: lone, outputDir: "/x/my-api")
        #expect(name == "my-api")
        #expect(GeneratorConfig(schemaPath: schema, outputDir: "/x/out", projectName: "chosen").resolvedProjectName == "chosen")
    }

    @Test("#14 the secrets hook is written once; a user's edit survives later runs; an untouched copy is updated")
    func secretsHookIsUserOwned() async throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let out = tmp.path("out")
        let config = GeneratorConfig(schemaPath: Self.shop.path, outputDir: out.path)
        #expect(await PipelineTests.run(config).status == .succeeded)
        let hook = out.appendingPathComponent("src/hooks/secrets.ts")
        let generated = try String(contentsOf: hook, encoding: .utf8)
        #expect(generated.contains("export async function hashSecret("))
        let mine = "export async function hashSecret({ value }: { model: string; field: string; value: string }): Promise<string> {\n  return value;\n}\n"
        try mine.write(to: hook, atomically: true, encoding: .utf8)
        let second = await PipelineTests.run(config)
        #expect(second.status == .succeeded)
        #expect(try String(contentsOf: hook, encoding: .utf8) == mine)
        // Deleting it brings the generated version back.
        try FileManager.default.removeItem(at: hook)
        #expect(await PipelineTests.run(config).status == .succeeded)
        #expect(try String(contentsOf: hook, encoding: .utf8) == generated)
        // The services pass sensitive fields through it.
        let service = try String(contentsOf: out.appendingPathComponent("src/services/person/person.service.ts"), encoding: .utf8)
        #expect(service.contains("hashSecrets('Person',"))
        #expect(service.contains("['passwordHash', 'internalNote']"))
    }
}
