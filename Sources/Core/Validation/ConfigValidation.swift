/// Rules for `datasource` and `generator` blocks.
enum ConfigValidation {
    static let datasourceProperties: Set<String> = [
        "provider", "url", "directUrl", "shadowDatabaseUrl", "relationMode", "referentialIntegrity", "schemas", "extensions",
    ]

    /// Resolves every config block, fills the context, and returns the model's datasources and generators.
    static func validate(_ blocks: [ConfigBlock], _ ctx: ValidationContext) -> ([Datasource], [Generator]) {
        var generators: [Generator] = []
        var generatorNames: Set<String> = []
        // Generators first: preview features affect datasource rules.
        for block in blocks where block.kind == .generator {
            if generatorNames.contains(block.name.name) {
                ctx.error("The generator \"\(block.name.name)\" cannot be defined because a generator with that name already exists.", block.name.span)
            }
            generatorNames.insert(block.name.name)
            generators.append(generator(block, ctx))
        }
        var datasources: [Datasource] = []
        for block in blocks where block.kind == .datasource {
            if !datasources.isEmpty {
                ctx.error("You defined more than one datasource. This is not allowed yet because support for multiple databases has not been implemented yet.", block.span)
                continue
            }
            if let ds = datasource(block, ctx) { datasources.append(ds) }
        }
        // Preview feature checks that depend on the provider.
        for (g, block) in zip(generators, blocks.filter { $0.kind == .generator }) {
            guard let prop = block.properties.first(where: { $0.name.name == "previewFeatures" }), let value = prop.value else { continue }
            for feature in g.previewFeatures {
                PreviewFeatures.check(feature, span: value.span, ctx)
            }
        }
        return (datasources, generators)
    }

    /// A string, or `env("VAR")` (returned as `env(VAR)`).
    static func stringOrEnv(_ e: Expression, _ ctx: ValidationContext) -> String? {
        if case .function(let name, let args, _) = e, name == "env" {
            let list = args.arguments
            if list.count == 1, let arg = list.first, let v = arg.value, case .string(let s, _) = v {
                if arg.name != nil { ctx.warning("The env function doesn't expect named arguments", e.span) }
                return "env(\(s))"
            }
            // One unnamed argument of another kind: reported at it, as Prisma does (`env(true)`).
            if list.count == 1, let arg = list.first, arg.name == nil, let v = arg.value {
                ctx.error("Expected a string value, but received \(v.kindDescription) value `\(ctx.sources.text(of: v.span))`.", v.span)
                return nil
            }
            ctx.error("The env function expects a singular, unnamed, string argument.", e.span)
            return nil
        }
        return Coerce.string(e, ctx)
    }

    private static func datasource(_ block: ConfigBlock, _ ctx: ValidationContext) -> Datasource? {
        var props: [String: ConfigProperty] = [:]
        for p in block.properties {
            if props[p.name.name] != nil {
                ctx.error("Key \"\(p.name.name)\" is already defined in datasource \"\(block.name.name)\".", p.name.span)
            }
            props[p.name.name] = p
            if p.value == nil {
                ctx.error("Property \(p.name.name) in datasource \(block.name.name) needs to be assigned a value", block.span)
            }
        }
        guard let providerProp = props["provider"], let providerExpr = providerProp.value else {
            ctx.error("Argument \"provider\" is missing in data source block \"\(block.name.name)\".", block.span)
            return nil
        }
        guard let provider = stringOrEnv(providerExpr, ctx) else { return nil }
        let connector = Provider(providerString: provider)
        if connector == nil, !provider.hasPrefix("env(") {
            ctx.error("Datasource provider not known: \"\(provider)\".", providerExpr.span)
        }
        ctx.provider = connector
        ctx.datasourceName = block.name.name
        var url: String?
        if let u = props["url"]?.value {
            url = stringOrEnv(u, ctx)
        }
        for key in ["directUrl", "shadowDatabaseUrl"] {
            if let v = props[key]?.value { _ = stringOrEnv(v, ctx) }
        }
        if let shadow = props["shadowDatabaseUrl"]?.value, let shadowValue = stringValue(shadow) {
            // (`directUrl` first, as Prisma checks it.)
            if let d = props["directUrl"]?.value, stringValue(d) == shadowValue {
                ctx.error("shadowDatabaseUrl is the same as directUrl for datasource \"\(block.name.name)\". Please specify a different database as shadow database to avoid data loss.", d.span)
            } else if let u = props["url"]?.value, stringValue(u) == shadowValue {
                ctx.error("shadowDatabaseUrl is the same as url for datasource \"\(block.name.name)\". Please specify a different database as shadow database to avoid data loss.", u.span)
            }
        }
        var relationMode: String?
        if let ri = props["referentialIntegrity"] {
            if props["relationMode"] != nil {
                ctx.error("The `referentialIntegrity` and `relationMode` attributes cannot be used together. Please use only `relationMode` instead.", ri.span)
            } else {
                ctx.warning("The `referentialIntegrity` attribute is deprecated. Please use `relationMode` instead. Learn more at https://pris.ly/d/relation-mode", ri.span)
            }
            if let v = ri.value { relationMode = Coerce.string(v, ctx) }
        }
        if let rm = props["relationMode"]?.value {
            relationMode = Coerce.string(rm, ctx)
        }
        if let mode = relationMode, mode != "prisma", mode != "foreignKeys" {
            ctx.error("Error validating datasource `relationMode`: Invalid relation mode setting: \"\(mode)\". Supported values: \"prisma\", \"foreignKeys\"", props["relationMode"]?.value?.span ?? block.span)
        } else if relationMode == "foreignKeys", connector == .mongodb {
            ctx.error("Error validating datasource `relationMode`: Invalid relation mode setting: \"foreignKeys\". Supported values: \"prisma\"", props["relationMode"]?.value?.span ?? block.span)
        }
        ctx.relationMode = relationMode
        var schemas: [String] = []
        if let s = props["schemas"], let value = s.value {
            if connector != nil, !ctx.supportsMultiSchema {
                ctx.error("The `schemas` property is not supported on the current connector.", value.span)
            }
            // A name given twice is reported once, at its first place (as Prisma does).
            var firstPlace: [String: Span] = [:]
            var reported: Set<String> = []
            for item in Coerce.array(value) {
                guard let name = Coerce.string(item, ctx) else { continue }
                if let first = firstPlace[name] {
                    if reported.insert(name).inserted { ctx.error("Duplicated schema names are not allowed", first) }
                } else {
                    firstPlace[name] = item.span
                }
                schemas.append(name)
            }
        }
        ctx.declaredSchemas = schemas
        if let ext = props["extensions"], let value = ext.value {
            if connector != .postgresql, connector != nil {
                ctx.error("Property not known: \"extensions\".", ext.span)
            } else if !ctx.previewFeatures.contains("postgresqlExtensions") {
                ctx.error("The `extensions` property is only available with the `postgresqlExtensions` preview feature.", ext.span)
            } else {
                validateExtensions(value, ctx)
            }
        }
        for p in block.properties where !datasourceProperties.contains(p.name.name) {
            ctx.error("Property not known: \"\(p.name.name)\".", p.span)
        }
        return Datasource(name: block.name.name, provider: provider, url: url, relationMode: relationMode,
                          schemas: schemas, span: block.span)
    }

    private static func validateExtensions(_ value: Expression, _ ctx: ValidationContext) {
        for item in Coerce.array(value) {
            let name: String
            var args: ArgumentList?
            switch item {
            case .constant(let n, _): name = n
            case .function(let n, let a, _): name = n; args = a
            default:
                ctx.error("Expected a constant or function value, but received \(item.kindDescription) value `\(ctx.sources.text(of: item.span))`.", item.span)
                continue
            }
            if name.contains("-") {
                ctx.validationError("The character `-` is not allowed in extension names.", item.span)
            }
            var seen: Set<String> = []
            for arg in args?.arguments ?? [] {
                guard let argName = arg.name else {
                    ctx.validationError("The argument must have a name", arg.span)
                    continue
                }
                if seen.contains(argName.name) {
                    ctx.validationError("The argument `\(argName.name)` can only be defined once", arg.span)
                    continue
                }
                seen.insert(argName.name)
                switch argName.name {
                case "version", "schema", "map":
                    if case .string = arg.value {} else {
                        if let v = arg.value {
                            ctx.error("Expected a string value, but received \(v.kindDescription) value `\(ctx.sources.text(of: v.span))`.", v.span)
                        }
                        ctx.validationError("The `\(argName.name)` argument must be a string literal", arg.value?.span ?? arg.span)
                    }
                default:
                    ctx.error("Argument not known: \"\(argName.name)\".", arg.span)
                }
            }
        }
    }

    private static func stringValue(_ e: Expression) -> String? {
        switch e {
        case .string(let s, _): return s
        case .function("env", let args, _): return args.arguments.first?.value?.asString.map { "env(\($0))" }
        default: return nil
        }
    }

    private static func generator(_ block: ConfigBlock, _ ctx: ValidationContext) -> Generator {
        var provider = ""
        var output: String?
        var features: [String] = []
        var config: [String: String] = [:]
        var seen: Set<String> = []
        for p in block.properties {
            if seen.contains(p.name.name) {
                ctx.error("Key \"\(p.name.name)\" is already defined in generator \"\(block.name.name)\".", p.name.span)
            }
            seen.insert(p.name.name)
            guard let value = p.value else {
                ctx.error("Property \(p.name.name) in generator \(block.name.name) needs to be assigned a value", block.span)
                continue
            }
            switch p.name.name {
            case "provider":
                provider = stringOrEnv(value, ctx) ?? ""
            case "output":
                output = stringOrEnv(value, ctx)
            case "previewFeatures":
                for item in Coerce.array(value) {
                    if let f = Coerce.string(item, ctx) { features.append(f) }
                }
            default:
                switch value {
                case .string(let s, _): config[p.name.name] = s
                default: config[p.name.name] = ctx.sources.text(of: value.span)
                }
            }
        }
        if !seen.contains("provider") {
            ctx.error("Argument \"provider\" is missing in generator block \"\(block.name.name)\".", block.span)
        }
        // (As Prisma matches them: `VIEWS` enables `views`; the names are checked once the provider is known.)
        ctx.previewFeatures.formUnion(features.map { PreviewFeatures.lookup($0)?.name ?? $0 })
        return Generator(name: block.name.name, provider: provider, output: output, previewFeatures: features,
                         config: config, span: block.span)
    }
}
