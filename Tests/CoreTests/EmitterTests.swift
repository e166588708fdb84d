import Foundation
import Testing
@testable import Core

@Suite("Generated TypeScript and OpenAPI")
struct EmitterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let inputs: [URL] = Corpus.realSchemas + [fixtures.appendingPathComponent("shop.prisma"), fixtures.appendingPathComponent("mongo.prisma")]

    static func generate(_ url: URL, standalone: Bool = true) throws -> [GeneratedFile] {
        let compiled = try Corpus.compile(url)
        guard !compiled.hasErrors else { throw CompileFailure(messages: compiled.resolved().map { $0.rendered() }) }
        return CodeGenerator.generateAll(compiled, projectName: url.deletingPathExtension().lastPathComponent,
                                         options: .init(standalone: standalone))
    }

    struct CompileFailure: Error { let messages: [String] }

    @Test("tsc: every file parses and every import resolves (strict, no emit)", arguments: inputs)
    func typeChecks(_ url: URL) throws {
        #expect(TypeScriptCheck.tscPath != nil, "tsc is missing: apt-get install node-typescript")
        let files = try Self.generate(url)
        let result = try TypeScriptCheck.run(files, name: url.deletingPathExtension().lastPathComponent)
        #expect(result.exitCode == 0, "\(url.lastPathComponent):\n\(result.output.prefix(6000))")
    }

    @Test("openapi.json validates with openapi-spec-validator", arguments: inputs)
    func openAPIValidates(_ url: URL) throws {
        let files = try Self.generate(url, standalone: false)
        let spec = try #require(files.first { $0.path == "openapi.json" })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phaserunner-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("openapi.json")
        try spec.contents.write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try Self.shell(["python3", "-m", "openapi_spec_validator", file.path])
        #expect(status == 0, "\(url.lastPathComponent): \(output.prefix(3000))")
        let doc = try JSONSerialization.jsonObject(with: Data(spec.contents.utf8)) as? [String: Any]
        #expect(doc?["openapi"] as? String == "3.1.0")
        #expect(!spec.contents.contains("\"nullable\""))
    }

    @Test("two runs on the same input produce byte-identical output", arguments: inputs)
    func deterministic(_ url: URL) throws {
        let a = try Self.generate(url), b = try Self.generate(url)
        #expect(a.map(\.path) == b.map(\.path))
        #expect(a == b)
        #expect(Set(a.map(\.path)).count == a.count, "duplicate paths")
    }

    static func shell(_ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
