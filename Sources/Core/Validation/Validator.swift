/// The outcome of validating a schema: the resolved model (complete when there
/// are no errors) and every diagnostic, in source order.
public struct ValidationResult: Sendable {
    public let model: SchemaModel
    public let diagnostics: [Diagnostic]
    public var isValid: Bool { !diagnostics.hasErrors }
}

/// Resolves an AST into a `SchemaModel` and applies Prisma's validation rules.
public enum SchemaValidator {
    public static func validate(_ ast: SchemaAST, sources: SourceSet) -> ValidationResult {
        let ctx = ValidationContext(sources: sources)
        var configs: [ConfigBlock] = []
        var modelDecls: [ModelDeclaration] = []
        var enumDecls: [EnumDeclaration] = []
        for top in ast.tops {
            switch top {
            case .config(let c): configs.append(c)
            case .model(let m): modelDecls.append(m)
            case .enumeration(let e): enumDecls.append(e)
            }
        }
        // Each pass reports in the stage of Prisma's validation its rules belong to
        // (`DiagnosticStage`); a rule of another stage inside a pass says so where it reports.
        ctx.stage = .configuration
        let (datasources, generators) = ConfigValidation.validate(configs, ctx)

        ctx.stage = .names
        var builder = ModelBuilder(ctx: ctx, declarations: modelDecls, enums: enumDecls)
        builder.collectNames()
        ctx.stage = .attributes
        let enums = builder.buildEnums()
        var (models, composites) = builder.buildContainers(enums: enums)

        var relations = RelationValidation(ctx: ctx)
        relations.link(models: &models, builder: builder)
        IndexValidation.validate(models: &models, composites: composites, builder: builder, ctx: ctx)
        ctx.stage = .relations
        relations.check(models: models)
        ctx.stage = .models
        RelationValidation.checkCompositeCycles(composites, ctx: ctx)
        ctx.stage = .relations
        ReferentialCycles.check(models: models, ctx: ctx)
        ctx.stage = .models
        ConnectorRules.check(models: models, ctx: ctx)
        NameRules.check(models: models, enums: enums, ctx: ctx)
        ConstraintNames.check(models: models, ctx: ctx)

        let model = SchemaModel(datasources: datasources, generators: generators, models: models,
                                enums: enums, compositeTypes: composites)
        return ValidationResult(model: model, diagnostics: DiagnosticStage.prismaOrder(ctx.diagnostics))
    }
}

/// Connector capabilities that apply across a model: autoincrement rules and MongoDB specifics.
enum ConnectorRules {
    static func check(models: [Model], ctx: ValidationContext) {
        // PostgreSQL and CockroachDB have none of these limits.
        guard let provider = ctx.provider, provider != .postgresql, provider != .cockroachdb else { return }
        for model in models {
            let kind: ContainerKind = model.isView ? .view : .model
            let autos = model.fields.filter { $0.defaultValue == .autoincrement }
            for f in autos {
                // Reported at the field, as Prisma does.
                let span = f.span
                switch provider {
                case .sqlite:
                    if !f.isId && model.primaryKey?.fieldNames != [f.name] {
                        ctx.attributeError("@default", "The `autoincrement()` default value is used on a non-id field even though the datasource does not support this.", span)
                    }
                case .mysql:
                    let indexed = model.primaryKey?.fieldNames.first == f.name || model.indexes.contains { $0.fieldNames.first == f.name }
                    if !indexed {
                        ctx.attributeError("@default", "The `autoincrement()` default value is used on a non-indexed field even though the datasource does not support this.", span)
                    }
                default: break
                }
            }
            if autos.count > 1, provider == .mysql || provider == .sqlite || provider == .sqlserver {
                // Once, at the model (as Prisma does).
                ctx.attributeError("@default", "The `autoincrement()` default value is used multiple times on this model even though the underlying datasource only supports one instance per table.", model.span)
            }
            if provider == .mongodb {
                for f in model.fields {
                    if f.defaultValue == .auto {
                        // (The native type first, as Prisma checks it.)
                        if f.nativeType?.name != "ObjectId" {
                            ctx.fieldError(f.name, container: model.name, kind: kind, "MongoDB `@default(auto())` fields must have `ObjectId` native type.", f.span)
                        } else if !f.isId {
                            ctx.fieldError(f.name, container: model.name, kind: kind, "MongoDB `@default(auto())` fields must have the `@id` attribute.", f.span)
                        }
                    }
                    if case .dbgenerated? = f.defaultValue {
                        ctx.fieldError(f.name, container: model.name, kind: kind, "The `dbgenerated()` function is not allowed with MongoDB. Please use `auto()` instead.", f.span)
                    }
                }
            }
        }
    }

    static func blockAttributeSpan(_ m: Model, _ name: String, _ ctx: ValidationContext) -> Span {
        SourcePlaces.first("@@\(name)", in: m.span, ctx)
    }
}

/// Database-name clashes between models and between enums.
enum NameRules {
    static func check(models: [Model], enums: [EnumType], ctx: ValidationContext) {
        var byDbName: [String: Int] = [:]
        byDbName.reserveCapacity(models.count)
        // In source order (sorting positions, not the models themselves: a model is a large value).
        let order = models.indices.sorted { (models[$0].span.file, models[$0].span.start) < (models[$1].span.file, models[$1].span.start) }
        for i in order {
            // (Read in place: a copy of each model would copy all its parts.)
            let dbName = models[i].dbName ?? models[i].name
            let db = models[i].schema.map { $0 + "." + dbName } ?? dbName
            if let o = byDbName[db] {
                // Point at the @@map that caused the clash.
                let mapped = models[i].dbName != nil ? i : models[o].dbName != nil ? o : i
                let span = models[mapped].dbName != nil ? ConnectorRules.blockAttributeSpan(models[mapped], "map", ctx) : models[i].span
                ctx.error("The model with database name \"\(dbName)\" could not be defined because another model or view with this name exists: \"\(models[o].name)\"", span)
                continue
            }
            byDbName[db] = i
        }
        var enumDb: [String: String] = [:]
        for e in enums {
            let db = (e.schema.map { $0 + "." } ?? "") + (e.dbName ?? e.name)
            if enumDb[db] != nil, ctx.provider != .postgresql || e.dbName != nil {
                ctx.error("An enum with the same database name is already defined.", e.span)
            }
            enumDb[db] = e.name
        }
    }
}
