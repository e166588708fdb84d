/// Links the two sides of every relation and applies Prisma's relation rules.
///
/// Runs in two steps: `link` reads `@relation` and pairs fields (so index rules can
/// see foreign keys), and `check` applies the rules that need unique criteria.
struct RelationValidation {
    struct RawRelation {
        var name: String?
        var fields: [String]?
        var references: [String]?
        var onDelete: ReferentialAction?
        var onUpdate: ReferentialAction?
        var onDeleteSpan: Span?
        var onUpdateSpan: Span?
        var map: String?
        /// The `@relation` attribute's span, when the field has one.
        var attributeSpan: Span?
        /// The span of the `fields` list.
        var fieldsSpan: Span?
    }

    /// One entry per field of every model (scalar fields keep an empty entry), found by
    /// position: reading one property does not copy the whole entry out of a dictionary.
    struct FieldTable<Value> {
        private var start: [Int] = []
        private var values: [Value] = []
        init() {}
        init(models: [Model], initial: Value) {
            start.reserveCapacity(models.count)
            var total = 0
            for mi in models.indices { start.append(total); total += models.inPlace(mi) { $0.fields.count } }
            values = Array(repeating: initial, count: total)
        }
        subscript(_ ref: FieldRef) -> Value {
            get { values[start[ref.model] + ref.field] }
            set { values[start[ref.model] + ref.field] = newValue }
        }
    }

    /// The `RawRelation` of each relation field (an empty one for any other field): a slot
    /// per field, entries only for relation fields.
    struct RawRelations {
        private var slot = FieldTable<Int32>()
        private var entries: [RawRelation] = []
        private static let none = RawRelation()
        init() {}
        init(models: [Model]) { slot = FieldTable(models: models, initial: -1) }
        subscript(_ ref: FieldRef) -> RawRelation {
            _read {
                let s = slot[ref]
                if s < 0 { yield RawRelations.none } else { yield entries[Int(s)] }
            }
        }
        /// Records `relations[i]` for `keys[i]`, taking the list (a part's, joined without copies).
        mutating func append(keys: [FieldRef], taking relations: inout [RawRelation]) {
            for (i, key) in keys.enumerated() { slot[key] = Int32(entries.count + i) }
            entries.appendTaking(&relations)
        }
    }

    /// Where diagnostics go (a child context in a part of `check`).
    var ctx: ValidationContext
    var raw = RawRelations()
    /// Field → its opposite, once paired.
    var opposite = FieldTable<FieldRef?>()
    /// Model name → index of the first model with that name.
    var indexByName: [String: Int] = [:]

    init(ctx: ValidationContext) { self.ctx = ctx }

    /// This validation, reporting into `ctx` (a part's child context). A constant: a part's
    /// closures then read it in place rather than copying it for every call.
    private func reporting(into ctx: ValidationContext) -> RelationValidation {
        var part = self
        part.ctx = ctx
        return part
    }

    private func parseAction(_ e: Expression?, label: String) -> (ReferentialAction?, Span?) {
        guard let e else { return (nil, nil) }
        guard case .constant(let c, _) = e else {
            _ = Coerce.constant(e, ctx)
            return (nil, nil)
        }
        guard let action = ReferentialAction(rawValue: c) else {
            ctx.attributeError(label, "Invalid referential action: `\(c)`", e.span)
            return (nil, nil)
        }
        return (action, e.span)
    }

    /// The name Prisma gives a relation without `@relation(name)`: both model names, sorted, joined by "To".
    static func derivedName(_ a: String, _ b: String) -> String {
        a < b ? a + "To" + b : b + "To" + a
    }

    mutating func link(models: inout [Model], builder: ModelBuilder) {
        let grouped = pair(models, builder: builder)
        // 3. fill RelationInfo, in place (`pair` has let go of its copies of `models` by now:
        // writing into a model shared with a copy would copy all its fields).
        fill(&models, grouped: grouped)
    }

    /// Steps 1 and 2: reads every `@relation` and pairs the fields; returns the groupings.
    private mutating func pair(_ models: [Model], builder: ModelBuilder) -> [Grouping] {
        raw = RawRelations(models: models)
        opposite = FieldTable(models: models, initial: nil)
        // 1. read @relation attributes (model by model: in parts on all cores for a large schema)
        // (Fields are read in place by index throughout: a `Field` is a large value, and
        // iterating `fields` by value would copy every one of them.)
        var read = Concurrent.map(models.count, minimumPerPart: 64, ctx: ctx) { [self] range, ctx in
            let part = reporting(into: ctx)
            var keys: [FieldRef] = [], relations: [RawRelation] = []
            for mi in range {
                models.withFields(of: mi) { fields in
                    for fi in fields.indices where fields[fi].isRelation {
                        let key = FieldRef(model: mi, field: fi)
                        keys.append(key)
                        relations.append(part.rawRelation(builder.relationAttributes[key]))
                    }
                }
            }
            return (keys: keys, relations: relations)
        }
        for k in read.indices {
            raw.append(keys: read[k].keys, taking: &read[k].relations)
        }
        // 2. ambiguity and pairing
        indexByName = [:]
        indexByName.reserveCapacity(models.count)
        for mi in models.indices {
            let name = models.inPlace(mi) { $0.name }
            if indexByName[name] == nil { indexByName[name] = mi }
        }
        // Each model's relation fields grouped by target and relation name (model by model, in parts).
        let grouped = Concurrent.map(models.count, minimumPerPart: 64, ctx: ctx) { [self] range, _ in
            range.map { mi in grouping(at: mi, in: models) }
        }.flatMap { $0 }
        // Each field's opposite, looked for model by model in parts: a field's search depends
        // only on the groupings. What a search found is then applied in field order, as one pass
        // would: a field already paired by an earlier field's search keeps that pair, and one
        // whose search found nothing is reported unless an earlier field paired it (with two
        // models of one name, the two sides of a pair can disagree).
        let found = Concurrent.map(models.count, minimumPerPart: 64, ctx: ctx) { [self] range, ctx in
            var searched: [(field: FieldRef, found: FieldRef?)] = []
            for mi in range {
                // (The model and its fields are read in place; only a report copies them.)
                let modelName = models.inPlace(mi) { $0.name }
                func relationName(_ fi: Int) -> String? { raw[FieldRef(model: mi, field: fi)].name }
                let keys = grouped[mi].keys
                let groups = grouped[mi].groups
                var reported: Set<GroupKey> = []
                for fi in keys.indices {
                    guard let groupKey = keys[fi] else { continue } // not a relation field
                    let target = groupKey.target
                    let key = FieldRef(model: mi, field: fi)
                    let name = relationName(fi)
                    let group = groups[groupKey] ?? []
                    let anyUnnamed = group.contains { relationName($0) == nil }
                    let isSelf = target == modelName
                    if isSelf, group.count > 2 {
                        if reported.insert(groupKey).inserted {
                            let model = models[mi], f = model.fields[fi]
                            let names = group.map { "`\(model.fields[$0].name)`" }
                            let list = names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
                            if anyUnnamed {
                                ctx.within(.models) { ctx.modelError(model.name, "Unnamed self relation detected. The fields \(list) in model `\(model.name)` have no relation name. Please provide a relation name for one of them by adding `@relation(<name>).", f.span) }
                            } else {
                                ctx.within(.models) { ctx.modelError(model.name, "Wrongly named self relation detected. The fields \(list) in model `\(model.name)` have the same relation name. At most two relation fields can belong to the same relation and therefore have the same name. Please assign a different relation name to one of them.", f.span) }
                            }
                        }
                        continue
                    }
                    if !isSelf, group.count > 1 {
                        if reported.insert(groupKey).inserted {
                            let model = models[mi], f = model.fields[fi]
                            let other = group.first { $0 != fi }.map { model.fields[$0].name } ?? ""
                            if anyUnnamed {
                                ctx.within(.models) { ctx.modelError(model.name, "Ambiguous relation detected. The fields `\(f.name)` and `\(other)` in model `\(model.name)` both refer to `\(target)`. Please provide different relation names for them by adding `@relation(<name>).", f.span) }
                            } else {
                                ctx.within(.models) { ctx.modelError(model.name, "Wrongly named relation detected. The fields `\(f.name)` and `\(other)` in model `\(model.name)` both use the same relation name. Please provide different relation names for them through `@relation(<name>).", f.span) }
                            }
                        }
                        continue
                    }
                    // find the opposite
                    var candidate: FieldRef?
                    let ti = indexByName[target]
                    if isSelf {
                        if let o = group.first(where: { $0 != fi }) { candidate = FieldRef(model: mi, field: o) }
                    } else if let ti {
                        // The target's fields pointing back here under the same relation name (given,
                        // or both unnamed): the group of that target and name, given names compared.
                        let back = grouped[ti].groups[GroupKey(target: modelName, name: groupKey.name)] ?? []
                        var match: Int?, count = 0
                        for fj in back where raw[FieldRef(model: ti, field: fj)].name == name {
                            count += 1
                            if match == nil { match = fj }
                        }
                        if count == 1, let match { candidate = FieldRef(model: ti, field: match) }
                    }
                    searched.append((key, candidate))
                }
            }
            return searched
        }
        for part in found {
            for (key, candidate) in part where opposite[key] == nil {
                if let candidate {
                    opposite[key] = candidate
                    opposite[candidate] = key
                    continue
                }
                let model = models[key.model]
                let f = model.fields[key.field]
                guard !f.isIgnored, !model.isIgnored else { continue }
                let target = grouped[key.model].keys[key.field]?.target ?? ""
                let kind: ContainerKind = model.isView ? .view : .model
                let targetKind = indexByName[target].map { models[$0].isView } == true ? "view" : "model"
                ctx.within(.relations) { ctx.fieldError(f.name, container: model.name, kind: kind,
                               "The relation field `\(f.name)` on \(kind.label) `\(model.name)` is missing an opposite relation field on the \(targetKind) `\(target)`. Either run `prisma format` or add it manually.", f.span) }
            }
        }
        return grouped
    }

    private func fill(_ models: inout [Model], grouped: [Grouping]) {
        // Each relation field's RelationInfo, made and stored in place model by model, in parts
        // on all cores: a part writes only its own models and reads the other side of each
        // relation from the groupings, never from a model another part may be writing.
        let count = models.count
        models.withUnsafeMutableBufferPointer { stored in
            let models = PartsShared(value: stored)
            _ = Concurrent.map(count, minimumPerPart: 64, ctx: ctx) { [self] range, _ in
                for mi in range {
                    for fi in grouped[mi].keys.indices {
                        guard let groupKey = grouped[mi].keys[fi], let facts = grouped[mi].facts[fi] else { continue } // not a relation field
                        let key = FieldRef(model: mi, field: fi)
                        let r = raw[key]
                        let other = opposite[key].flatMap { grouped[$0.model].facts[$0.field] } // the opposite field
                        let oppositeIsList = other?.isList ?? false
                        let kind: RelationKind
                        if facts.isList, oppositeIsList { kind = .manyToMany }
                        else if facts.isList || oppositeIsList { kind = .oneToMany }
                        else { kind = .oneToOne }
                        models.value[mi].fields[fi].relation = RelationInfo(
                            name: groupKey.name, isNamedExplicitly: r.name != nil,
                            fields: r.fields ?? [], references: r.references ?? [],
                            onDelete: r.onDelete, onUpdate: r.onUpdate, map: r.map, kind: kind,
                            oppositeModel: groupKey.target, oppositeField: other?.name)
                    }
                }
            }
        }
    }

    /// A relation field's target and relation name (given, or derived from the two models).
    struct GroupKey: Hashable {
        var target: String
        var name: String
    }

    /// A model's relation fields by `GroupKey` (field indices, in field order), and each one's key
    /// (nil for a field that is not a relation), with the two facts of the field its opposite
    /// side's `RelationInfo` needs (read here once, so that `fill` can write every model in
    /// place while the other parts write theirs).
    struct Grouping {
        var keys: [GroupKey?]
        var groups: [GroupKey: [Int]] = [:]
        var facts: [FieldFacts?]
    }

    struct FieldFacts {
        var name: String
        var isList: Bool
    }

    private func grouping(at mi: Int, in models: [Model]) -> Grouping {
        let modelName = models.inPlace(mi) { $0.name }
        return models.withFields(of: mi) { fields in
            var g = Grouping(keys: [GroupKey?](repeating: nil, count: fields.count),
                             facts: [FieldFacts?](repeating: nil, count: fields.count))
            for fi in fields.indices {
                guard case .model(let target) = fields[fi].type else { continue }
                let key = GroupKey(target: target, name: raw[FieldRef(model: mi, field: fi)].name ?? RelationValidation.derivedName(modelName, target))
                g.keys[fi] = key
                g.facts[fi] = FieldFacts(name: fields[fi].name, isList: fields[fi].isList)
                g.groups[key, default: []].append(fi)
            }
            return g
        }
    }

    /// What a relation field's `@relation` says (nil: it has none).
    private func rawRelation(_ a: Attribute?) -> RawRelation {
        var r = RawRelation()
        guard let a else { return r }
        r.attributeSpan = a.span
        var args = AttributeArguments(a, prefix: "@", context: ctx)
        if let n = args.defaultArgument("name", context: ctx) { r.name = Coerce.string(n, ctx) }
        if let f = args.optional("fields") {
            r.fields = constants(f)
            r.fieldsSpan = f.span
        }
        if let f = args.optional("references") {
            r.references = constants(f)
        }
        // An action's problems are reported at its whole argument (`onDelete: SetNull`), as Prisma does.
        (r.onDelete, r.onDeleteSpan) = parseAction(args.optional("onDelete"), label: "@relation")
        r.onDeleteSpan = r.onDeleteSpan.map { args.argumentSpan("onDelete") ?? $0 }
        (r.onUpdate, r.onUpdateSpan) = parseAction(args.optional("onUpdate"), label: "@relation")
        r.onUpdateSpan = r.onUpdateSpan.map { args.argumentSpan("onUpdate") ?? $0 }
        if let m = args.optional("map") {
            r.map = Coerce.string(m, ctx)
            if ctx.provider == .sqlite {
                ctx.within(.models) { ctx.attributeError("@relation", "Your provider does not support named foreign keys.", a.span) }
            }
        }
        args.reportUnused(context: ctx)
        return r
    }

    private func constants(_ e: Expression) -> [String] {
        Coerce.array(e).compactMap { item in
            if case .constant(let c, _) = item { return c }
            ctx.error("Expected a constant literal value, but received \(item.kindDescription) value `\(ctx.sources.text(of: item.span))`.", item.span)
            return nil
        }
    }

    /// The rules of every relation, each pair once (at whichever of its two fields comes
    /// first), model by model: in parts on all cores for a large schema.
    func check(models: [Model]) {
        _ = Concurrent.map(models.count, minimumPerPart: 64, ctx: ctx) { range, ctx in
            let part = reporting(into: ctx)
            for mi in range { part.check(model: mi, models) }
        }
    }

    /// (Models and fields are handed on where they are stored, not copied: `check` reads
    /// every relation field of the schema.)
    private func check(model mi: Int, _ models: [Model]) {
        models.withUnsafeBufferPointer { models in
            models[mi].fields.withUnsafeBufferPointer { fields in
                for fi in fields.indices where fields[fi].isRelation {
                    guard let target = fields[fi].relation?.oppositeModel, let ti = indexByName[target] else { continue }
                    check(FieldRef(model: mi, field: fi), model: models[mi], field: fields[fi], target: models[ti], models)
                }
            }
        }
    }

    private func check(_ key: FieldRef, model: Model, field f: Field, target: Model, _ models: UnsafeBufferPointer<Model>) {
        guard let kind = f.relation?.kind else { return }
        // a relation to an ignored model must itself be ignored
        if target.isIgnored, !model.isIgnored, !f.isIgnored {
            ctx.within(.models) { ctx.attributeError("@ignore", "The relation field `\(f.name)` on Model `\(model.name)` must specify the `@ignore` attribute, because the model \(target.name) it is pointing to is marked ignored.", f.span) }
        }
        let r = raw[key]
        guard let oppKey = opposite[key] else {
            // Unpaired: still check the fields/references this side declares.
            checkForeignKey(model: model, field: f, raw: r, target: target)
            return
        }
        if oppKey.precedes(key) { return } // a pair is checked at its first field
        models[oppKey.model].fields.withUnsafeBufferPointer { oppFields in
            let opp = oppKey.field, oppRaw = raw[oppKey]
            switch kind {
            case .manyToMany:
                checkManyToMany(model, f, r, target, oppFields[opp], oppRaw)
            case .oneToMany where f.isList:
                checkOneToMany(listSide: f, listModel: model, listRaw: r, single: oppFields[opp], singleModel: target, singleRaw: oppRaw)
            case .oneToMany:
                checkOneToMany(listSide: oppFields[opp], listModel: target, listRaw: oppRaw, single: f, singleModel: model, singleRaw: r)
            case .oneToOne:
                checkOneToOne(model, f, r, target, oppFields[opp], oppRaw)
            }
        }
    }

    private func hasFields(_ r: RawRelation) -> Bool { r.fields != nil }
    private func hasReferences(_ r: RawRelation) -> Bool { r.references != nil }
    private func hasActions(_ r: RawRelation) -> Bool { r.onDelete != nil || r.onUpdate != nil }

    private func checkManyToMany(_ model: Model, _ f: Field, _ r: RawRelation, _ target: Model, _ opp: Field, _ oppRaw: RawRelation) {
        if model.isView || target.isView {
            ctx.validationError("Implicit many-to-many relations are not supported for views.", f.span)
            ctx.validationError("Implicit many-to-many relations are not supported for views.", opp.span)
            return
        }
        for (field, raw) in [(f, r), (opp, oppRaw)] {
            if raw.references != nil, ctx.provider != .mongodb {
                ctx.attributeError("@relation", "Implicit many-to-many relation should not have references argument defined. Either remove it, or change the relation to one-to-many.", field.span)
            }
            for s in [raw.onDeleteSpan, raw.onUpdateSpan].compactMap({ $0 }) {
                ctx.validationError("Referential actions on implicit many-to-many relations are not supported", s)
            }
        }
        if ctx.provider == .mongodb { return }
        for (m, field, otherModel) in [(model, f, target), (target, opp, model)] {
            let pk = otherModel.primaryKey
            if pk == nil || pk!.fields.count != 1 {
                ctx.fieldError(field.name, container: m.name, kind: m.isView ? .view : .model,
                               "The relation field `\(field.name)` on \(m.isView ? "view" : "model") `\(m.name)` references `\(otherModel.name)` which does not have an `@id` field. Models without `@id` cannot be part of a many to many relation. Use an explicit intermediate Model to represent this relationship.", field.span)
            }
        }
    }

    private func checkOneToMany(listSide: Field, listModel: Model, listRaw: RawRelation,
                                single: Field, singleModel: Model, singleRaw: RawRelation) {
        if hasFields(listRaw) || hasReferences(listRaw) {
            ctx.attributeError("@relation", "The relation field `\(listSide.name)` on Model `\(listModel.name)` must not specify the `fields` or `references` argument in the @relation attribute. You must only specify it on the opposite field `\(single.name)` on model `\(singleModel.name)`.", listSide.span)
        }
        if hasActions(listRaw) {
            ctx.attributeError("@relation", "The relation field `\(listSide.name)` on Model `\(listModel.name)` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `\(single.name)` on model `\(singleModel.name)`, or in case of a many to many relation, in an explicit join table.", listSide.span)
        }
        if single.isIgnored || listSide.isIgnored { return }
        if !hasFields(singleRaw) {
            ctx.attributeError("@relation", "The relation field `\(single.name)` on Model `\(singleModel.name)` must specify the `fields` argument in the @relation attribute. You can run `prisma format` to fix this automatically.", single.span)
        }
        if !hasReferences(singleRaw) {
            ctx.attributeError("@relation", "The relation field `\(single.name)` on Model `\(singleModel.name)` must specify the `references` argument in the @relation attribute.", single.span)
        }
        checkForeignKey(model: singleModel, field: single, raw: singleRaw, target: listModel)
    }

    private func checkOneToOne(_ model: Model, _ f: Field, _ r: RawRelation, _ target: Model, _ opp: Field, _ oppRaw: RawRelation) {
        let aFields = hasFields(r), bFields = hasFields(oppRaw)
        let aRefs = hasReferences(r), bRefs = hasReferences(oppRaw)
        /// Prisma reports these from both sides of the relation.
        func pair(_ what: String, both: Bool) {
            for (a, am, b, bm) in [(f, model, opp, target), (opp, target, f, model)] {
                if both {
                    ctx.attributeError("@relation", "The relation fields `\(a.name)` on Model `\(am.name)` and `\(b.name)` on Model `\(bm.name)` both provide the `\(what)` argument in the @relation attribute. You have to provide it only on one of the two fields.", a.span)
                } else {
                    ctx.attributeError("@relation", "The relation fields `\(a.name)` on Model `\(am.name)` and `\(b.name)` on Model `\(bm.name)` do not provide the `\(what)` argument in the @relation attribute. You have to provide it on one of the two fields.", a.span)
                }
            }
        }
        if f.isIgnored || opp.isIgnored { return }
        if aFields && bFields { pair("fields", both: true) }
        if aRefs && bRefs { pair("references", both: true) }
        if !aFields && !bFields && !aRefs && !bRefs {
            pair("fields", both: false)
            pair("references", both: false)
            return
        }
        if (aFields && !aRefs && bRefs && !bFields) || (bFields && !bRefs && aRefs && !aFields) {
            let (fs, fm, os, om) = aFields ? (f, model, opp, target) : (opp, target, f, model)
            ctx.attributeError("@relation", "The relation field `\(fs.name)` on Model `\(fm.name)` provides the `fields` argument in the @relation attribute. And the related field `\(os.name)` on Model `\(om.name)` provides the `references` argument. You must provide both arguments on the same side.", fs.span)
            return
        }
        if aFields && bFields { return }
        let (fkSide, fkModel, fkRaw, back, backModel, backRaw) = (aFields || aRefs) ? (f, model, r, opp, target, oppRaw) : (opp, target, oppRaw, f, model, r)
        if !hasFields(fkRaw) {
            ctx.attributeError("@relation", "The relation field `\(fkSide.name)` on Model `\(fkModel.name)` must specify the `fields` argument in the @relation attribute. You can run `prisma format` to fix this automatically.", fkSide.span)
        }
        if !hasReferences(fkRaw) {
            ctx.attributeError("@relation", "The relation field `\(fkSide.name)` on Model `\(fkModel.name)` must specify the `references` argument in the @relation attribute.", fkSide.span)
        }
        if hasActions(backRaw) {
            if hasActions(fkRaw) {
                ctx.attributeError("@relation", "The relation fields `\(fkSide.name)` on Model `\(fkModel.name)` and `\(back.name)` on Model `\(backModel.name)` both provide the `onDelete` or `onUpdate` argument in the @relation attribute. You have to provide it only on one of the two fields.", back.span)
            } else {
                ctx.attributeError("@relation", "The relation field `\(back.name)` on Model `\(backModel.name)` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `\(fkSide.name)` on model `\(fkModel.name)`.", back.span)
            }
        }
        if back.isRequired {
            if fkSide.isRequired {
                ctx.attributeError("@relation", "The relation field `\(back.name)` on Model `\(backModel.name)` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `\(fkModel.name)` to `\(fkModel.name)?` to fix this.", back.span)
            } else {
                ctx.attributeError("@relation", "The relation field `\(fkModel.name).\(fkSide.name)` defines the `fields` and/or `references` argument. You must set them on the required side of the relation (`\(backModel.name).\(back.name)`) in order for the constraints to be enforced. Alternatively, you can change this field to be required and the opposite optional, or make both sides of the relation optional.", fkSide.span)
            }
        }
        if checkForeignKey(model: fkModel, field: fkSide, raw: fkRaw, target: backModel), let fields = fkRaw.fields, !fields.isEmpty {
            // 1:1 foreign keys must be unique
            if !isUniqueCriterion(fields, in: fkModel, exactOrder: false) {
                let hint = fields.count == 1
                    ? "Either add an `@unique` attribute to the field `\(fields[0])`, or change the relation to one-to-many."
                    : "Either add an `@@unique([\(fields.joined(separator: ", "))])` attribute to the model, or change the relation to one-to-many."
                ctx.attributeError("@relation", "A one-to-one relation must use unique fields on the defining side. \(hint)", fkSide.span)
            }
        }
    }

    private func isUniqueCriterion(_ fields: [String], in model: Model, exactOrder: Bool) -> Bool {
        func matches(_ c: IndexDefinition) -> Bool {
            guard c.fields.count == fields.count else { return false }
            if c.fields.indices.allSatisfy({ c.fields[$0].name == fields[$0] }) { return true }
            return !exactOrder && Set(c.fields.lazy.map(\.name)) == Set(fields)
        }
        if let pk = model.primaryKey, matches(pk) { return true }
        return model.indexes.contains { $0.kind == .unique && matches($0) }
    }

    /// Whether some key or index of `model` starts with `fields`, in order (with emulated
    /// relations, the index a foreign key would have had).
    private func indexed(_ fields: [String], in model: Model) -> Bool {
        func covers(_ index: IndexDefinition) -> Bool {
            index.fields.count >= fields.count && fields.indices.allSatisfy { index.fields[$0].name == fields[$0] }
        }
        if let pk = model.primaryKey, covers(pk) { return true }
        return model.indexes.contains(where: covers)
    }

    /// MongoDB joins a foreign key to the field it references only when both have the same
    /// native type (`@db.ObjectId` on one side only is a warning, as in Prisma).
    private func sameNativeType(model: Model, _ fa: Field, target: Model, _ fb: Field, relationField: Field) {
        let (x, y) = (fa.nativeType?.name, fb.nativeType?.name)
        guard x != y else { return }
        let (a, b) = ("\(model.name).\(fa.name)", "\(target.name).\(fb.name)")
        let hint: String
        switch (x, y) {
        case (nil, let y?): hint = "Consider either removing \(b)'s native type attribute or adding '@db.\(y)' to \(a)."
        case (let x?, nil): hint = "Consider either removing \(a)'s native type attribute or adding '@db.\(x)' to \(b)."
        case (let x?, let y?): hint = "Consider updating those fields to either use '@db.\(x)' or '@db.\(y)'."
        case (nil, nil): return
        }
        ctx.warning("Warning validating field `\(relationField.name)` in model `\(model.name)`: Field \(a) and \(b) must have the same native type for MongoDB to join those collections correctly. \(hint) Beware that this will become an error in the future.", fa.span)
    }

    /// Checks `fields`/`references` on the side that holds the foreign key. Returns whether they are sound.
    @discardableResult
    private func checkForeignKey(model: Model, field: Field, raw r: RawRelation, target: Model) -> Bool {
        guard let fields = r.fields, let refs = r.references else { return false }
        // Where Prisma reports each problem: the `fields` list, the attribute, or the field.
        let attrSpan = field.span
        let unknown = fields.filter { !model.hasField($0) }
        if !unknown.isEmpty {
            ctx.within(.attributes) { ctx.validationError("The argument fields must refer only to existing fields. The following fields do not exist in this model: \(unknown.joined(separator: ", "))", r.fieldsSpan ?? attrSpan) }
            return false
        }
        let relFields = fields.filter { name in model.withField(name) { $0.isRelation } == true }
        if !relFields.isEmpty {
            ctx.within(.attributes) { ctx.validationError("The argument fields must refer only to scalar fields. But it is referencing the following relation fields: \(relFields.joined(separator: ", "))", r.fieldsSpan ?? attrSpan) }
            return false
        }
        let unknownRefs = refs.filter { !target.hasField($0) }
        if !unknownRefs.isEmpty {
            ctx.within(.attributes) { ctx.validationError("The argument `references` must refer only to existing fields in the related model `\(target.name)`. The following fields do not exist in the related model: \(unknownRefs.joined(separator: ", "))", r.attributeSpan ?? attrSpan) }
            return false
        }
        let relRefs = refs.filter { name in target.withField(name) { $0.isRelation } == true }
        if !relRefs.isEmpty {
            ctx.within(.attributes) { ctx.validationError("The argument `references` must refer only to scalar fields in the related model `\(target.name)`. But it is referencing the following relation fields: \(relRefs.joined(separator: ", "))", r.attributeSpan ?? attrSpan) }
            return false
        }
        if fields.count != refs.count {
            ctx.validationError("You must specify the same number of fields in `fields` and `references`.", r.attributeSpan ?? attrSpan)
            return false
        }
        var ok = true
        for (a, b) in zip(fields, refs) {
            guard let fa = model.field(a), let fb = target.field(b) else { continue }
            let compatible = fa.type == fb.type || Set([fa.scalarType, fb.scalarType]) == Set([.int, .bigInt])
            if !compatible {
                ctx.attributeError("@relation", "The type of the field `\(a)` in the model `\(model.name)` is not matching the type of the referenced field `\(b)` in model `\(target.name)`.", attrSpan)
                ok = false
            }
        }
        if ok, ctx.provider == .mongodb {
            for (a, b) in zip(fields, refs) {
                guard let fa = model.field(a), let fb = target.field(b) else { continue }
                sameNativeType(model: model, fa, target: target, fb, relationField: field)
            }
        }
        if ctx.relationMode == "prisma", ctx.provider != .mongodb, !indexed(fields, in: model) {
            ctx.within(.models) { ctx.warning("With `relationMode = \"prisma\"`, no foreign keys are used, so relation fields will not benefit from the index usually created by the relational database under the hood. This can lead to poor performance when querying these fields. We recommend adding an index manually. Learn more at https://pris.ly/d/relation-mode-prisma-indexes\" ", r.attributeSpan ?? attrSpan) }
        }
        if !isUniqueCriterion(refs, in: target, exactOrder: true) {
            if isUniqueCriterion(refs, in: target, exactOrder: false) {
                if ctx.provider != .sqlserver { return ok }
                ctx.validationError("The argument `references` must refer to a unique criterion in the related model `\(target.name)` using the same order of fields. Please check the ordering in the following fields: `\(refs.joined(separator: ", "))`.", attrSpan)
            } else if !target.isView {
                let hint = refs.count == 1
                    ? "Consider adding an `@unique` attribute to the field `\(refs[0])` in the model `\(target.name)`."
                    : "Consider adding an `@@unique([\(refs.joined(separator: ", "))])` attribute to the model `\(target.name)`."
                ctx.attributeError("@relation", "The argument `references` must refer to a unique criterion in the related model. \(hint)", attrSpan)
            }
            ok = false
        }
        let fkFields = fields.compactMap { model.field($0) }
        if field.isRequired, fkFields.contains(where: { !$0.isRequired }) {
            ctx.validationError("The relation field `\(field.name)` uses the scalar fields \(fields.joined(separator: ", ")). At least one of those fields is optional. Hence the relation field must be optional as well.", field.span)
        }
        ctx.within(.models) { checkActions(field: field, raw: r, fkFields: fkFields) }
        return ok
    }

    private func checkActions(field: Field, raw r: RawRelation, fkFields: [Field]) {
        let anyRequired = fkFields.contains { $0.isRequired }
        for (action, actionSpan, which) in [(r.onDelete, r.onDeleteSpan, "onDelete"), (r.onUpdate, r.onUpdateSpan, "onUpdate")] {
            guard let action, let actionSpan else { continue }
            if ctx.usesPrismaRelationMode {
                if action == .setDefault {
                    ctx.validationError("Invalid referential action: `SetDefault`. Allowed values: (`Cascade`, `Restrict`, `NoAction`, `SetNull`)", actionSpan)
                    continue
                }
                if action == .noAction, ctx.provider == .postgresql || ctx.provider == .sqlite {
                    let db = ctx.provider == .postgresql ? "Postgres" : "sqlite"
                    ctx.validationError("Invalid referential action: `NoAction`. Allowed values: (`Cascade`, `Restrict`, `SetNull`). `NoAction` is not implemented for \(db) when using `relationMode = \"prisma\"`, you could try using `Restrict` instead. Learn more at https://pris.ly/d/relation-mode", actionSpan)
                    continue
                }
            } else if ctx.provider == .sqlserver, action == .restrict {
                ctx.validationError("Invalid referential action: `Restrict`. Allowed values: (`Cascade`, `NoAction`, `SetNull`, `SetDefault`)", actionSpan)
                continue
            } else if ctx.provider == .mysql, action == .setDefault {
                ctx.warning("MySQL does not actually support the `SetDefault` referential action, so using it may result in unexpected errors. Read more at https://pris.ly/d/mysql-set-default ", actionSpan)
            }
            if action == .setNull, anyRequired {
                if ctx.provider == .postgresql, !ctx.usesPrismaRelationMode {
                    // (At the relation field, as Prisma reports it: `onDelete`'s before `onUpdate`'s.)
                    ctx.warning("The `\(which)` referential action of a relation should not be set to `SetNull` when a referenced field is required. We recommend either to choose another referential action, or to make the referenced fields optional. Read more at https://pris.ly/d/postgres-set-null ", field.span)
                } else {
                    ctx.attributeError("@relation", "The `\(which)` referential action of a relation must not be set to `SetNull` when a referenced field is required.\nEither choose another referential action, or make the referenced fields optional.\n", field.span)
                }
            }
        }
    }

    /// How many "endless cycle" errors name their path; past it, one error counts the rest
    /// (a ring of n types has n fields in the cycle, each path n long: listing every path of
    /// a large ring would print n² names).
    static let maxListedCompositeCycles = 100

    /// Composite types may not contain themselves through required fields. Which fields lie on
    /// a cycle comes from the strongly connected components of the required-field graph (one
    /// linear pass); each reported cycle's path is then found by a search from the field's
    /// type back to its own.
    static func checkCompositeCycles(_ composites: [CompositeType], ctx: ValidationContext) {
        var index: [String: Int] = [:]
        for (i, c) in composites.enumerated() where index[c.name] == nil { index[c.name] = i }
        // edges[i]: the types the required composite fields of type i point at, in field order.
        let edges: [[Int]] = composites.map { c in
            c.fields.compactMap { f in
                guard f.isRequired, case .composite(let t) = f.type else { return nil }
                return index[t]
            }
        }
        let component = stronglyConnectedComponents(edges)
        var listed = 0, unlisted = 0
        var firstUnlisted: Span?
        for (ci, c) in composites.enumerated() {
            for f in c.fields where f.isRequired {
                guard case .composite(let t) = f.type else { continue }
                if t == c.name {
                    ctx.fieldError(f.name, container: c.name, kind: .type, "The type is the same as the parent and causes an endless cycle. Please change the field to be either optional or a list.", f.span)
                    continue
                }
                guard let ti = index[t], component[ti] == component[ci] else { continue }
                guard listed < maxListedCompositeCycles else {
                    unlisted += 1
                    if firstUnlisted == nil { firstUnlisted = f.span }
                    continue
                }
                listed += 1
                let p = (cyclePath(from: ti, to: ci, edges: edges).map { composites[$0].name }).map { "`\($0)`" }.joined(separator: " → ")
                ctx.fieldError(f.name, container: c.name, kind: .type, "The types cause an endless cycle in the path \(p). Please change one of the fields to be either optional or a list to break the cycle.", f.span)
            }
        }
        if unlisted > 0, let span = firstUnlisted {
            ctx.error("\(unlisted) more required field\(unlisted == 1 ? "" : "s") of composite types cause endless cycles (the first \(maxListedCompositeCycles) are listed). Please change fields to be either optional or lists to break the cycles.", span)
        }
    }

    /// The path `to → from → … → to` a depth-first search from `from` finds (the last field
    /// pushed is explored first), as type indices. Each entry remembers the one it was pushed
    /// from, so the search costs the size of the graph, not its paths.
    private static func cyclePath(from start: Int, to target: Int, edges: [[Int]]) -> [Int] {
        var entries: [(node: Int, parent: Int)] = [(start, -1)]
        var stack = [0]
        var visited = Set<Int>()
        while let e = stack.popLast() {
            let node = entries[e].node
            guard visited.insert(node).inserted else { continue }
            for next in edges[node] {
                if next == target {
                    var path = [target]
                    var k = e
                    var reversed: [Int] = []
                    while k >= 0 { reversed.append(entries[k].node); k = entries[k].parent }
                    path += reversed.reversed()
                    path.append(target)
                    return path
                }
                entries.append((next, e))
                stack.append(entries.count - 1)
            }
        }
        return [target, start, target]
    }

    /// Tarjan's algorithm without recursion: the component id of every node.
    static func stronglyConnectedComponents(_ edges: [[Int]]) -> [Int] {
        let n = edges.count
        var order = Array(repeating: -1, count: n), low = Array(repeating: 0, count: n)
        var component = Array(repeating: -1, count: n)
        var onStack = Array(repeating: false, count: n)
        var stack: [Int] = [], counter = 0, components = 0
        var work: [(node: Int, edge: Int)] = []
        for root in 0..<n where order[root] < 0 {
            work.append((root, 0))
            while let (v, i) = work.last {
                if i == 0 {
                    order[v] = counter; low[v] = counter; counter += 1
                    stack.append(v); onStack[v] = true
                }
                if i < edges[v].count {
                    work[work.count - 1].edge += 1
                    let w = edges[v][i]
                    if order[w] < 0 {
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], order[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last?.node { low[parent] = min(low[parent], low[v]) }
                if low[v] == order[v] {
                    while let w = stack.popLast() {
                        onStack[w] = false
                        component[w] = components
                        if w == v { break }
                    }
                    components += 1
                }
            }
        }
        return component
    }
}
