import Foundation
import Testing
@testable import Core

/// The generated validators, query layer, controllers and error mapping run under Node with
/// the real Zod (see `NodeRuntime`); only Prisma Client is a stand-in.
@Suite("Generated code at run time (Node + real Zod)")
struct RuntimeTests {
    static let inputs = EmitterTests.inputs

    @Test("validators and the query layer: valid and invalid input for every model, field and operator", arguments: inputs)
    func validators(_ url: URL) throws {
        let compiled = try Corpus.compile(url)
        try #require(!compiled.hasErrors)
        let files = try EmitterTests.generate(url)
        let name = url.deletingPathExtension().lastPathComponent
        let project = try NodeRuntime.build(files, name: name)
        defer { NodeRuntime.remove(project) }
        let cases = RuntimeCases.all(ApiPlan(schema: compiled.model))
        #expect(cases.count > 20)
        let casesFile = project.root.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: cases.map(\.json), options: [.sortedKeys]).write(to: casesFile)
        let r = try NodeRuntime.node("validators.cjs", in: project, args: [casesFile.path])
        #expect(r.status == 0, "\(name): \(r.stdout.prefix(8000))\(r.stderr.prefix(2000))")
        #expect(r.stdout.contains("\(cases.count) passed, 0 failed"), "\(name): \(r.stdout.suffix(300))")
    }

    @Test("controllers and error mapping on the shop fixture: params, 404/409/422, body-parser errors, 500 logging, secrets")
    func controllers() throws {
        let url = EmitterTests.fixtures.appendingPathComponent("shop.prisma")
        let project = try NodeRuntime.build(try EmitterTests.generate(url), name: "shop-controllers")
        defer { NodeRuntime.remove(project) }
        let r = try NodeRuntime.node("controllers.cjs", in: project)
        #expect(r.status == 0, "\(r.stdout.prefix(8000))\(r.stderr.prefix(3000))")
        #expect(r.stdout.contains(" passed, 0 failed"), "\(r.stdout.suffix(500))")
    }
}
