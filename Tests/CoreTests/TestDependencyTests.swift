import Foundation
import Testing
@testable import Core

/// `CodeGenerator.testDependencies(of:plan:)` is what a per-model cache trusts: a model's test
/// files must not change when a model outside that list changes. Checked on the real schemas by
/// changing each model's own content in three ways (a new required field, one the tests cannot
/// fill, no API at all) and comparing a sample of models' files with those of the unchanged schema.
@Suite("Test files' model dependencies")
struct TestDependencyTests {
    /// What is done to a model: each changes its own test files or whether other models can use it.
    enum Probe: String, CaseIterable, CustomStringConvertible {
        /// A new required String field: the model's bodies and echo checks change.
        case field
        /// A required field the tests cannot fill: the model (and its children) cannot be created.
        case uncreatable
        /// `/// @api none`: the model loses its API.
        case noAPI
        var description: String { rawValue }
    }

    /// Fields to add, from a schema of their own: a required String, a required Unsupported.
    static let probeFields: (string: Field, unsupported: Field)? = {
        let text = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\nmodel Probe {\n  id Int @id\n  zzProbe String\n  zzOpaque Unsupported(\"probe\")\n}\n"
        guard let model = plan(text)?.schema.model("Probe"), let s = model.field("zzProbe"), let u = model.field("zzOpaque") else { return nil }
        return (s, u)
    }()

    /// The schema with `name`'s own content changed by `probe` (nothing else changes).
    static func probed(_ schema: SchemaModel, model name: String, _ probe: Probe) throws -> ApiPlan {
        let fields = try #require(probeFields)
        var schema = schema
        let i = try #require(schema.models.firstIndex { $0.name == name })
        switch probe {
        case .field: schema.models[i].fields.append(fields.string)
        case .uncreatable: schema.models[i].fields.append(fields.unsupported)
        case .noAPI: schema.models[i].documentation = [schema.models[i].documentation, "@api none"].compactMap { $0 }.joined(separator: "\n")
        }
        return ApiPlan(schema: schema)
    }

    static func plan(_ text: String) -> ApiPlan? {
        let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: "schema.prisma", text: text)))
        return compiled.hasErrors ? nil : ApiPlan(schema: compiled.model)
    }

    /// Up to `count` models spread over the plan, the most related first (they have the most to miss).
    static func sample(_ plan: ApiPlan, count: Int) -> [ApiModel] {
        let ranked = plan.models.enumerated().sorted { a, b in
            (-a.element.model.fields.filter(\.isRelation).count, a.offset) < (-b.element.model.fields.filter(\.isRelation).count, b.offset)
        }.map(\.element)
        let top = ranked.prefix(count / 2)
        let rest = ranked.dropFirst(count / 2)
        let stride = max(1, rest.count / max(1, count - top.count))
        return Array(top) + rest.enumerated().filter { $0.offset % stride == 0 }.prefix(count - top.count).map(\.element)
    }

    struct Tally {
        var unchangedOutside = 0, changedOutside: [String] = []
        var dependencyProbes = 0, dependencyChanges = 0
    }

    static let options = CodeGenerator.Options()

    @Test("a model's test files change only with the models testDependencies names", arguments: Corpus.realSchemas)
    func conservative(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let base = try #require(Self.plan(text), "\(url.lastPathComponent) does not compile")
        let sampled = Self.sample(base, count: 4)
        let expected = Dictionary(uniqueKeysWithValues: sampled.map { ($0.name, CodeGenerator.modelTestFiles($0, plan: base, options: Self.options)) })
        // One model's files are those of the whole suite (worked out from its dependencies alone).
        let all = CodeGenerator.tests(base, options: Self.options)
        for m in sampled { #expect(all.filter { $0.model == m.name } == expected[m.name], "\(m.name)") }
        let deps = Dictionary(uniqueKeysWithValues: sampled.map { ($0.name, Set(CodeGenerator.testDependencies(of: $0, plan: base))) })
        let shared = CodeGenerator.sharedTestFiles(base, options: Self.options)
        var tally = Tally()
        for other in base.schema.models.map(\.name) {
            for probe in Probe.allCases {
                let changed = try Self.probed(base.schema, model: other, probe)
                #expect(CodeGenerator.sharedTestFiles(changed, options: Self.options) == shared, "\(probe) \(other) changed a shared file")
                for m in sampled {
                    guard let pm = changed.model(m.name) else { continue }
                    let files = CodeGenerator.modelTestFiles(pm, plan: changed, options: Self.options)
                    let same = files == expected[m.name]
                    if deps[m.name]?.contains(other) == true {
                        tally.dependencyProbes += 1
                        if !same { tally.dependencyChanges += 1 }
                        // A related model losing its API takes a relation (and its include test) away
                        // from a model the tests create (views and the like do not test includes).
                        let creatable = expected[m.name]?.contains { $0.path.hasPrefix("tests/factories/") } == true
                        if probe == .noAPI, creatable, other != m.name, m.relations.contains(where: { $0.type == .model(other) }) {
                            #expect(!same, "\(url.lastPathComponent): \(other) lost its API and \(m.name)'s files did not change")
                        }
                    } else if same {
                        tally.unchangedOutside += 1
                    } else {
                        tally.changedOutside.append("\(probe) \(other) → \(m.name)")
                    }
                }
            }
        }
        #expect(tally.changedOutside.isEmpty, "\(url.lastPathComponent): files changed by a model outside testDependencies: \(tally.changedOutside)")
        #expect(tally.unchangedOutside > 0 || base.models.count <= sampled.count, "\(url.lastPathComponent): nothing was checked")
        #expect(tally.dependencyChanges > 0, "\(url.lastPathComponent): no change to a dependency changed anything")
    }

    @Test("changing the model itself or a required parent changes its files")
    func dependenciesMatter() throws {
        let text = try String(contentsOf: EmitterTests.fixtures.appendingPathComponent("shop.prisma"), encoding: .utf8)
        let base = try #require(Self.plan(text))
        let order = try #require(base.model("OrderLine"))
        #expect(CodeGenerator.testDependencies(of: order, plan: base) == ["Order", "OrderLine", "Person", "Product"])
        let before = CodeGenerator.modelTestFiles(order, plan: base, options: Self.options)
        #expect(before.map(\.path) == ["tests/order-line.test.ts", "tests/factories/order-line.ts"])
        #expect(before.allSatisfy { $0.model == "OrderLine" })
        for (model, probe) in [("OrderLine", Probe.field), ("Order", .uncreatable), ("Person", .uncreatable), ("Product", .noAPI)] {
            let changed = try Self.probed(base.schema, model: model, probe)
            let after = CodeGenerator.modelTestFiles(try #require(changed.model("OrderLine")), plan: changed, options: Self.options)
            #expect(after != before, "\(probe) \(model) left OrderLine's files as they were")
        }
        // Quiz has no relations: only itself.
        #expect(CodeGenerator.testDependencies(of: try #require(base.model("Quiz")), plan: base) == ["Quiz"])
    }

    @Test("a route taken by an earlier model is a dependency")
    func routeRivals() throws {
        let text = """
        datasource db {
          provider = "postgresql"
          url      = env("DATABASE_URL")
        }
        model Person {
          id Int @id
        }
        model People {
          id Int @id
        }
        model Other {
          id Int @id
        }
        """
        let base = try #require(Self.plan(text))
        let people = try #require(base.model("People"))
        #expect(CodeGenerator.testDependencies(of: people, plan: base) == ["People", "Person"])
        #expect(CodeGenerator.testDependencies(of: try #require(base.model("Person")), plan: base) == ["Person"])
        let before = CodeGenerator.modelTestFiles(people, plan: base, options: Self.options)
        let changed = try Self.probed(base.schema, model: "Person", .noAPI)
        #expect(CodeGenerator.modelTestFiles(try #require(changed.model("People")), plan: changed, options: Self.options) != before,
                "People takes the route Person no longer has")
    }

    @Test("tests() is the shared files, then each model's files in plan order")
    func everything() throws {
        let plan = try #require(Self.plan(try String(contentsOf: EmitterTests.fixtures.appendingPathComponent("shop.prisma"), encoding: .utf8)))
        let all = CodeGenerator.tests(plan, options: Self.options)
        var pieced = CodeGenerator.sharedTestFiles(plan, options: Self.options)
        #expect(pieced.allSatisfy { $0.model == nil })
        for m in plan.models { pieced += CodeGenerator.modelTestFiles(m, plan: plan, options: Self.options) }
        #expect(all == pieced)
    }
}
