import Foundation
import Testing
@testable import Core

@Suite("Generated TypeScript")
struct EmitterTests {
    static func generate(_ url: URL, standalone: Bool = true) throws -> [GeneratedFile] {
        let compiled = try Corpus.compile(url)
        #expect(!compiled.hasErrors)
        let plan = ApiPlan(schema: compiled.model)
        let models = CodeGenerator.modelFiles(plan)
        let base = CodeGenerator.infrastructure()
        return models + base + CodeGenerator.barrels(for: models) + [CodeGenerator.tsconfigPaths()]
    }

    @Test("every real schema's output type-checks with tsc", arguments: Corpus.realSchemas)
    func realSchemasCompile(_ url: URL) throws {
        let files = try Self.generate(url)
        let result = try TypeScriptCheck.run(files, name: url.deletingPathExtension().lastPathComponent)
        #expect(result.exitCode == 0, "\(url.lastPathComponent):\n\(result.output.prefix(4000))")
    }
}
