import Foundation
import Testing
@testable import Core

/// A model's generated layer files and OpenAPI part are cached by `ApiPlan.modelFingerprint`,
/// which holds the models it points at only by their interface
/// (`ApiPlan.interfaceFingerprint(of:)`). That is sound only if no change outside a model's
/// interface ever changes another model's files. Checked on the real schemas: each probe
/// changes one model `t`; every model pointing at `t` whose fingerprint stays must keep its
/// files byte for byte, and a change to a plain field must keep every such fingerprint.
@Suite("Model interfaces")
struct InterfaceTests {
    enum Probe: String, CaseIterable, CustomStringConvertible {
        /// A new optional scalar.
        case optional
        /// A new required scalar without a default.
        case required
        /// A new required field the generated tests cannot fill (`Unsupported`).
        case uncreatable
        /// A new unique scalar (part of the interface: fingerprints may change).
        case unique
        /// A plain field's documentation.
        case document
        /// A plain field removed.
        case drop
        /// Interface changes, for the soundness check: a relation field renamed, a foreign key
        /// made optional, a plain field hidden (`/// @hidden`).
        case renameRelation, optionalForeignKey, hide
        var description: String { rawValue }
        /// Changes only fields outside the interface.
        var isPlain: Bool { [.optional, .required, .uncreatable, .document, .drop].contains(self) }
        /// Plain for test files too (whether tests can create a model's rows is part of what
        /// other models' tests read).
        var isPlainForTests: Bool { isPlain && self != .uncreatable }
    }

    static let probeFields: [Probe: Field] = {
        let text = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\nmodel Probe {\n  id Int @id\n  zzOptional String?\n  zzRequired Int\n  zzUnique String @unique\n  zzOpaque Unsupported(\"probe\")\n}\n"
        guard let model = TestDependencyTests.plan(text)?.schema.model("Probe"),
              let o = model.field("zzOptional"), let r = model.field("zzRequired"), let u = model.field("zzUnique"),
              let x = model.field("zzOpaque") else { return [:] }
        return [.optional: o, .required: r, .unique: u, .uncreatable: x]
    }()

    /// The schema with `t` changed by `probe`; nil when the probe does not apply (no plain field).
    static func probed(_ plan: ApiPlan, _ t: ApiModel, _ probe: Probe) throws -> ApiPlan? {
        var schema = plan.schema
        let i = try #require(schema.models.firstIndex { $0.name == t.name })
        let interface = ApiPlan.interfaceFieldNames(of: t)
        let plain = schema.models[i].fields.firstIndex { !interface.contains($0.name) && !$0.isRelation && !$0.isId && !$0.isUnique }
        switch probe {
        case .optional, .required, .unique, .uncreatable:
            schema.models[i].fields.append(try #require(Self.probeFields[probe]))
        case .document:
            guard let plain else { return nil }
            schema.models[i].fields[plain].documentation = "probe"
        case .drop:
            guard let plain else { return nil }
            schema.models[i].fields.remove(at: plain)
        case .renameRelation:
            guard let r = schema.models[i].fields.firstIndex(where: \.isRelation) else { return nil }
            schema.models[i].fields[r].name += "Zz"
        case .optionalForeignKey:
            guard let fk = schema.models[i].fields.compactMap({ $0.relation?.fields.first }).first,
                  let k = schema.models[i].fields.firstIndex(where: { $0.name == fk }) else { return nil }
            schema.models[i].fields[k].arity = schema.models[i].fields[k].arity == .optional ? .required : .optional
        case .hide:
            guard let plain else { return nil }
            schema.models[i].fields[plain].documentation = "@hidden"
        }
        return ApiPlan(schema: schema)
    }

    static func pieces(_ m: ApiModel, _ plan: ApiPlan) -> (files: [GeneratedFile], openAPI: [Data]) {
        let files = CodeGenerator.modelFiles(plan, shared: { _ in nil as GeneratedFile? }) { other, emit in
            other.name == m.name ? emit().map(Optional.some) : []
        }.compactMap { $0 }
        return (files, OpenAPIEmitter.ModelPart(m, plan: plan).stored)
    }

    @Test("changes outside a model's interface leave the files of models pointing at it alone", arguments: Corpus.realSchemas)
    func sound(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let base = try #require(TestDependencyTests.plan(text), "\(url.lastPathComponent) does not compile")
        let baseFingerprints = base.ownModelFingerprints()
        var checked = 0
        for t in TestDependencyTests.sample(base, count: 6) {
            let pointing = base.models.filter { m in
                m.name != t.name && m.model.fields.contains { if case .model(t.name) = $0.type { return true }; return false }
            }
            for probe in Probe.allCases {
                guard let changed = try Self.probed(base, t, probe) else { continue }
                let fingerprints = changed.ownModelFingerprints()
                // Test files: every model whose tests read t (`testDataDependencies`).
                for m in base.models where m.name != t.name && CodeGenerator.testDataDependencies(of: m, plan: base).contains(t.name) {
                    let after = try #require(changed.model(m.name))
                    let deps = CodeGenerator.testDataDependencies(of: m, plan: base)
                    let same = base.fingerprint(of: m, reading: deps, models: baseFingerprints, options: .init())
                        == changed.fingerprint(of: after, reading: CodeGenerator.testDataDependencies(of: after, plan: changed), models: fingerprints, options: .init())
                    if probe.isPlainForTests { #expect(same, "\(probe) on \(t.name) changed the test fingerprint of \(m.name)") }
                    guard same else { continue }
                    #expect(CodeGenerator.modelTestFiles(m, plan: base, options: .init()) == CodeGenerator.modelTestFiles(after, plan: changed, options: .init()),
                            "\(url.lastPathComponent): \(probe) on \(t.name) changed \(m.name)'s test files")
                    checked += 1
                }
                for m in pointing {
                    let after = try #require(changed.model(m.name))
                    let same = base.modelFingerprint(m, models: baseFingerprints, options: .init())
                        == changed.modelFingerprint(after, models: fingerprints, options: .init())
                    if probe.isPlain { #expect(same, "\(probe) on \(t.name) changed the fingerprint of \(m.name)") }
                    guard same else { continue }
                    let (before, now) = (Self.pieces(m, base), Self.pieces(after, changed))
                    #expect(before.files == now.files, "\(url.lastPathComponent): \(probe) on \(t.name) changed \(m.name)'s files")
                    #expect(before.openAPI == now.openAPI, "\(url.lastPathComponent): \(probe) on \(t.name) changed \(m.name)'s OpenAPI part")
                    checked += 1
                }
            }
        }
        #expect(checked > 0 || base.models.allSatisfy { $0.model.relationFields.isEmpty }, "nothing was checked")
    }
}
