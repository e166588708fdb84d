import Foundation
import Testing
@testable import Core

@Suite("Schema loading and inspect JSON")
struct LoaderTests {
    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("a folder of .prisma files is one schema, with relations across files")
    func multiFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("models"), withIntermediateDirectories: true)
        try "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n".write(to: dir.appendingPathComponent("schema.prisma"), atomically: true, encoding: .utf8)
        try "model User {\n  id    Int    @id\n  posts Post[]\n}\n".write(to: dir.appendingPathComponent("models/user.prisma"), atomically: true, encoding: .utf8)
        try "model Post {\n  id     Int  @id\n  user   User @relation(fields: [userId], references: [id])\n  userId Int\n  bad    Nope\n}\n".write(to: dir.appendingPathComponent("models/post.prisma"), atomically: true, encoding: .utf8)
        try "not a schema".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let sources = try SchemaLoader.load(path: dir.path)
        #expect(sources.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["post.prisma", "user.prisma", "schema.prisma"])
        let compiled = CompiledSchema(sources: sources)
        let errors = compiled.resolved().filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.file.hasSuffix("models/post.prisma") == true)
        #expect(errors.first?.line == 5)
        #expect(compiled.model.model("User")?.field("posts")?.relation?.oppositeField == "user")
    }

    @Test("missing paths and empty folders are load errors, not crashes")
    func loadErrors() throws {
        #expect(throws: SchemaLoadError.notFound("/nonexistent/x.prisma")) { try SchemaLoader.load(path: "/nonexistent/x.prisma") }
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SchemaLoadError.emptyFolder(dir.path)) { try SchemaLoader.load(path: dir.path) }
    }

    @Test("inspect --json is identical across runs for every real schema", arguments: Corpus.realSchemas)
    func stableJSON(_ url: URL) throws {
        let a = SchemaJSON.encode(try Corpus.compile(url).model, sources: try SchemaLoader.load(path: url.path))
        let b = SchemaJSON.encode(try Corpus.compile(url).model, sources: try SchemaLoader.load(path: url.path))
        #expect(a == b)
        let obj = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any]
        #expect((obj?["models"] as? [Any])?.isEmpty == false)
    }
}
