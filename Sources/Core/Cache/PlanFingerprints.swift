import Foundation

// The plan's fingerprints: the plan as a whole, and per model (its own content, its interface
// as the models pointing at it see it, and its test interface), with what they are made of
// computed once per plan.

extension ApiPlan: ContextFingerprintable {
    /// The plan is what this build makes of the schema it was planned from.
    public var contextFingerprint: Fingerprint { Self.fingerprint(schema: schema.fingerprint(models: schemaModelFingerprints)) }

    /// The fingerprint of the plan made from the schema whose fingerprint is `schema`.
    static func fingerprint(schema: Fingerprint) -> Fingerprint {
        var f = Fingerprinter("ApiPlan")
        f.add(schema)
        return f.finalize()
    }

    /// The schema's models' fingerprints, computed once per plan (the plan's fingerprint and
    /// every phase's per-model pieces share them).
    var schemaModelFingerprints: [Fingerprint] { memo.schemaModels { schema.modelFingerprints() } }

    /// What one model's generated layer files (contract, validators, service, controller,
    /// route) are made from: the model, every model its relation fields point at (their
    /// names, keys and routes appear in its files), the enums and composite types, the
    /// datasource and the emit options. Equal fingerprints, byte-identical files.
    public func modelFingerprint(_ m: ApiModel, models: ModelFingerprints, options: CodeGenerator.Options) -> Fingerprint {
        var f = Fingerprinter("ApiModel")
        f.add(m.name)
        f.add(models.own[m.name] ?? Self.fingerprint(of: m))
        let targets = Set(m.model.fields.compactMap { field -> String? in
            if case .model(let t) = field.type { return t }
            return nil
        }).sorted()
        for t in targets {
            f.add(t)
            // A target counts by its interface: adding a plain field to it leaves m's files alone.
            if let target = model(t) { f.add(models.interface[t] ?? Self.interfaceFingerprint(of: target)) } else { f.addNil() }
        }
        f.add(models.global)
        f.add(options.standalone)
        f.add(options.apiPrefix)
        return f.finalize()
    }

    /// What other models' files can read of `t` when they point at it: its names, route, key,
    /// hidden fields, model attributes and documentation, and every field that is not plain. A
    /// plain field is a scalar that is neither id, unique, part of an index or of the key, nor
    /// named by a relation (as a foreign key of `t`'s own relations, or referenced by another
    /// model's). `InterfaceTests` checks that changing plain fields never changes another
    /// model's files while this fingerprint stays.
    static func interfaceFingerprint(of t: ApiModel) -> Fingerprint {
        let named = interfaceFieldNames(of: t)
        var f = Fingerprinter("ApiModel.interface")
        f.add(t.name)
        f.add(t.route)
        f.add(t.kebab)
        f.add(encodable: t.model.dbName)
        f.add(t.model.isView)
        f.add(t.model.isIgnored)
        f.add(encodable: t.model.schema)
        f.add(encodable: t.model.primaryKey)
        f.add(encodable: t.model.indexes)
        f.add(encodable: t.model.documentation)
        f.add(encodable: t.key)
        f.add(encodable: t.compoundKeyName)
        f.add(encodable: t.hidden)
        for field in t.model.fields where field.isRelation || field.isId || field.isUnique || named.contains(field.name) {
            f.add(encodable: field)
        }
        return f.finalize()
    }

    /// The scalar fields of `t` named by its key, hidden fields, indexes or relations (its
    /// relation, id and unique fields belong to its interface whatever their names).
    static func interfaceFieldNames(of t: ApiModel) -> Set<String> {
        var named = Set(t.key.map(\.name)).union(t.hidden)
        for index in [t.model.primaryKey].compactMap({ $0 }) + t.model.indexes { for f in index.fields { named.insert(f.name) } }
        for f in t.model.fields { if let r = f.relation { named.formUnion(r.fields); named.formUnion(r.references) } }
        return named
    }

    /// What one model's files are made from when they read the models named in `reading`
    /// (with or without an API), plus the plan-wide inputs and the emit options.
    public func fingerprint(of m: ApiModel, reading names: [String], models: ModelFingerprints, options: CodeGenerator.Options) -> Fingerprint {
        var f = Fingerprinter("ApiModel.reading")
        f.add(m.name)
        for name in names.sorted() {
            f.add(name)
            if name == m.name, let own = models.own[name] {
                f.add(own)
            } else if let interface = testInterfaceFingerprints[name] {
                // Another model counts by its interface and whether tests can create its rows.
                f.add(interface)
            } else if let plain = schemaModel(name) {
                // A model without an API: its schema model only.
                f.add(SchemaModel.fingerprint(of: plain))
            } else {
                f.addNil()
            }
        }
        f.add(models.global)
        f.add(options.standalone)
        f.add(options.apiPrefix)
        return f.finalize()
    }

    /// One model's own part of the plan (its schema model and what the plan decided for it).
    static func fingerprint(of m: ApiModel, model: Fingerprint? = nil) -> Fingerprint {
        var f = Fingerprinter("ApiModel.own")
        f.add(model ?? SchemaModel.fingerprint(of: m.model))
        f.add(m.route)
        f.add(m.kebab)
        return f.finalize()
    }

    /// Each API model's own fingerprint, by name, and the plan-wide one (computed once per plan).
    public func ownModelFingerprints() -> ModelFingerprints {
        memo.own {
            var byName: [String: Fingerprint] = [:]
            for (m, fp) in zip(schema.models, schemaModelFingerprints) where byName[m.name] == nil { byName[m.name] = fp }
            let modelFingerprint = byName
            let own = ResultSlots<Fingerprint>(count: models.count)
            let interface = ResultSlots<Fingerprint>(count: models.count)
            DispatchQueue.concurrentPerform(iterations: models.count) { i in
                own[i] = Self.fingerprint(of: models[i], model: modelFingerprint[models[i].name])
                interface[i] = Self.interfaceFingerprint(of: models[i])
            }
            var ownByName: [String: Fingerprint] = [:], interfaceByName: [String: Fingerprint] = [:]
            for (i, m) in models.enumerated() {
                ownByName[m.name] = own[i]
                interfaceByName[m.name] = interface[i]
            }
            return ModelFingerprints(own: ownByName, interface: interfaceByName, global: globalFingerprint)
        }
    }

    /// What other models' test files can read of each API model, by name: its interface and
    /// whether, its required parents aside, the tests can create its rows
    /// (`TestEmitter.ownSkipReason`). Computed once per plan, when test files are made.
    var testInterfaceFingerprints: [String: Fingerprint] {
        memo.testInterface {
            let interface = ownModelFingerprints().interface
            let apiModels = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let slots = ResultSlots<Fingerprint>(count: models.count)
            DispatchQueue.concurrentPerform(iterations: models.count) { i in
                var f = Fingerprinter("ApiModel.testInterface")
                f.add(interface[models[i].name] ?? Self.interfaceFingerprint(of: models[i]))
                f.add(encodable: TestEmitter.ownSkipReason(models[i], models: apiModels, plan: self))
                slots[i] = f.finalize()
            }
            var out: [String: Fingerprint] = [:]
            for (i, m) in models.enumerated() { out[m.name] = slots[i] }
            return out
        }
    }

    /// What every model's files may read besides models: enums, composite types, datasources,
    /// generators and which models have no API.
    public var globalFingerprint: Fingerprint {
        var f = Fingerprinter("ApiPlan.global")
        f.add(encodable: schema.enums)
        f.add(encodable: schema.compositeTypes)
        f.add(encodable: schema.datasources)
        f.add(encodable: schema.generators)
        for e in excluded { f.add(e.model); f.add(e.reason) }
        return f.finalize()
    }
}

/// The model fingerprints of the schemas fingerprinted lately, by the schema's fingerprint:
/// the plan made from a schema reuses them instead of encoding every model again. A pure
/// function's results, keyed by content: never stale.
final class ModelFingerprintMemo: @unchecked Sendable {
    static let shared = ModelFingerprintMemo()
    private let lock = NSLock()
    private var recent: [(schema: Fingerprint, models: [Fingerprint])] = []

    func remember(_ models: [Fingerprint], of schema: Fingerprint) {
        lock.withLock {
            recent.removeAll { $0.schema == schema }
            recent.append((schema, models))
            if recent.count > 4 { recent.removeFirst() }
        }
    }

    func models(of schema: Fingerprint) -> [Fingerprint]? {
        lock.withLock { recent.last { $0.schema == schema }?.models }
    }
}

/// What a plan computes once, on first use (the plan is a value shared by phases that run at once).
final class ApiPlanMemo: @unchecked Sendable {
    let schemaModels: Once<[Fingerprint]>
    let own = Once<ModelFingerprints>()
    let testInterface = Once<[String: Fingerprint]>()
    let requiredParents = Once<[String: [String]]>()

    init(schemaModels: [Fingerprint]? = nil) { self.schemaModels = Once(schemaModels) }
}

/// A value made on first use, once: a caller that comes while it is being made waits for it
/// rather than making it again. (Each has its own lock: making one may use another.)
final class Once<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?

    init(_ value: T? = nil) { self.value = value }

    func callAsFunction(_ make: () -> T) -> T {
        lock.withLock {
            if let value { return value }
            let made = make()
            value = made
            return made
        }
    }
}

/// Fingerprints computed once per plan for its per-model pieces.
public struct ModelFingerprints: Sendable {
    /// Each API model's own part of the plan, by name.
    public let own: [String: Fingerprint]
    /// What other models' files can read of each API model (`ApiPlan.interfaceFingerprint(of:)`).
    public let interface: [String: Fingerprint]
    /// Enums, composite types, datasources, generators, models without an API.
    public let global: Fingerprint
}
