import Foundation

/// `@default(…)`: classifies the value and applies Prisma's type rules.
enum DefaultValidation {
    static let functions: Set<String> = ["autoincrement", "now", "uuid", "cuid", "nanoid", "ulid", "dbgenerated", "sequence", "auto"]

    struct Input {
        var fieldType: FieldType
        var arity: FieldArity
        var isComposite: Bool
        var enumValues: [String]?
    }

    static func validate(_ attr: Attribute, _ input: Input, _ ctx: ValidationContext) -> DefaultValue? {
        var args = AttributeArguments(attr, prefix: "@", context: ctx)
        let label = "@default"
        let value = args.defaultArgument("value", context: ctx)
        let mapExpr = args.optional("map")
        args.reportUnused(context: ctx)
        guard let value else {
            if attr.arguments.arguments.allSatisfy({ $0.value != nil }) {
                ctx.attributeError(label, "Argument \"value\" is missing.", attr.span)
            }
            return nil
        }
        if let mapExpr {
            if input.isComposite {
                ctx.attributeError(label, "The `map` argument is not allowed on a composite type field.", attr.span)
            } else if ctx.provider != .sqlserver, ctx.provider != nil {
                ctx.attributeError(label, "You defined a database name for the default value of a field on the model. This is not supported by the provider.", attr.span)
            } else {
                _ = Coerce.string(mapExpr, ctx)
            }
        }
        switch input.fieldType {
        case .model:
            ctx.attributeError(label, "Cannot set a default value on a relation field.", attr.span)
            return nil
        case .composite:
            return nil // reported by the caller with the field's name
        case .unsupported:
            if input.isComposite {
                ctx.attributeError(label, "Composite field of type `Unsupported` cannot have default values.", attr.span)
                return nil
            }
            if case .function("dbgenerated", let a, _) = value {
                return dbgenerated(a, attr, ctx)
            }
            ctx.attributeError(label, "Only @default(dbgenerated(\"...\")) can be used for Unsupported types.", attr.span)
            return nil
        default:
            break
        }
        if case .function(let name, let fargs, _) = value {
            return function(name, fargs, value, attr, input, ctx)
        }
        if input.arity == .list {
            guard case .array(let items, _) = value else {
                ctx.attributeError(label, "The default value of a list field must be a list.", attr.span)
                return nil
            }
            var out: [LiteralValue] = []
            for item in items {
                if let v = literal(item, input, attr, ctx) { out.append(v) } else { return nil }
            }
            return .literal(.list(out))
        }
        if case .array = value {
            ctx.attributeError(label, "The default value of a non-list field cannot be a list.", attr.span)
            return nil
        }
        return literal(value, input, attr, ctx).map { .literal($0) }
    }

    private static func literal(_ e: Expression, _ input: Input, _ attr: Attribute, _ ctx: ValidationContext) -> LiteralValue? {
        let label = "@default"
        let found = compactText(e, ctx)
        switch input.fieldType {
        case .enumeration:
            guard case .constant(let name, _) = e else {
                ctx.attributeError(label, "Expected an enum value, but found `\(found)`.", attr.span)
                return nil
            }
            if let values = input.enumValues, !values.contains(name) {
                ctx.attributeError(label, "The defined default value `\(name)` is not a valid value of the enum specified for the field.", attr.span)
                return nil
            }
            return .enumValue(name)
        case .scalar(let scalar):
            switch scalar {
            case .string:
                if case .string(let s, _) = e { return .string(s) }
                ctx.attributeError(label, "Expected a String value, but found `\(found)`.", attr.span)
            case .int, .bigInt:
                if case .number(let n, _) = e {
                    if Int(n) != nil || (scalar == .bigInt && n.allSatisfy({ $0.isNumber || $0 == "-" })) { return .int(n) }
                    ctx.attributeError(label, "Parse error: \"\(n)\" is not a valid integer. (invalid digit found in string)", e.span)
                    return nil
                }
                ctx.attributeError(label, "Expected a numeric value, but found `\(found)`.", attr.span)
            case .float, .decimal:
                if case .number(let n, _) = e { return .float(n) }
                if scalar == .decimal, case .string(let s, _) = e, Double(s) != nil { return .float(s) }
                ctx.attributeError(label, "Expected a numeric value, but found `\(found)`.", attr.span)
            case .boolean:
                if case .constant(let c, _) = e {
                    if c == "true" || c == "false" { return .boolean(c == "true") }
                    ctx.attributeError(label, "A boolean literal must be `true` or `false`.", e.span)
                    return nil
                }
                ctx.attributeError(label, "Expected a boolean value, but found `\(found)`.", attr.span)
            case .dateTime:
                if case .string(let s, _) = e {
                    if isRFC3339(s) { return .string(s) }
                    ctx.attributeError(label, "Parse error: \"\(s)\" is not a valid rfc3339 datetime string. (input contains invalid characters)", e.span)
                    return nil
                }
                ctx.attributeError(label, "Expected a datetime value, but found `\(found)`.", attr.span)
            case .json:
                if case .string(let s, _) = e {
                    if (try? JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed])) != nil { return .string(s) }
                    ctx.attributeError(label, "Parse error: \"\(s)\" is not a valid JSON string. (expected ident at line 1 column 2)", e.span)
                    return nil
                }
                ctx.attributeError(label, "Expected a JSON value, but found `\(found)`.", attr.span)
            case .bytes:
                if case .string(let s, _) = e {
                    if Data(base64Encoded: s) != nil { return .string(s) }
                    ctx.attributeError(label, "Parse error: \"\(s)\" is not a valid base64 string. (Could not convert from `base64 encoded bytes` to `PrismaValue::Bytes`)", e.span)
                    return nil
                }
                ctx.attributeError(label, "Expected a bytes value, but found `\(found)`.", attr.span)
            }
            return nil
        default:
            return nil
        }
    }

    private static func compactText(_ e: Expression, _ ctx: ValidationContext) -> String {
        switch e {
        case .array(let items, _): return "[" + items.map { compactText($0, ctx) }.joined(separator: ",") + "]"
        default: return ctx.sources.text(of: e.span)
        }
    }

    private static func function(_ name: String, _ fargs: ArgumentList, _ value: Expression, _ attr: Attribute,
                                 _ input: Input, _ ctx: ValidationContext) -> DefaultValue? {
        let label = "@default"
        guard functions.contains(name) else {
            if case .enumeration = input.fieldType {
                ctx.attributeError(label, "Expected an enum value, but found `\(ctx.sources.text(of: value.span))`.", attr.span)
                return nil
            }
            ctx.error("Unknown function in @default(): `\(name)` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions", value.span)
            return nil
        }
        if case .enumeration = input.fieldType, name != "dbgenerated" {
            ctx.attributeError(label, "Expected an enum value, but found `\(ctx.sources.text(of: value.span))`.", attr.span)
            return nil
        }
        if input.arity == .list, name != "dbgenerated" {
            ctx.attributeError(label, "The default value of a list field must be a list.", attr.span)
            return nil
        }
        let scalar = input.fieldType.scalarOrNil
        func typeMismatch() -> DefaultValue? {
            ctx.attributeError(label, "The function `\(name)()` cannot be used on fields of type `\(input.fieldType.typeName)`.", attr.span)
            return nil
        }
        func intArgument() -> (present: Bool, value: Int?) {
            guard let first = fargs.arguments.first else { return (false, nil) }
            if let v = first.value, case .number(let n, _) = v, let i = Int(n) { return (true, i) }
            return (true, nil)
        }
        if input.isComposite, ["autoincrement", "auto", "sequence"].contains(name) {
            ctx.attributeError(label, "The function `\(name)()` is not supported on composite fields.", attr.span)
            return nil
        }
        switch name {
        case "autoincrement":
            if !fargs.arguments.isEmpty {
                ctx.attributeError(label, "The `autoincrement` function does not take any argument. Consider changing this default to `autoincrement()`.", attr.span)
                return nil
            }
            guard scalar == .int || scalar == .bigInt else { return typeMismatch() }
            if attr.arguments.arguments.contains(where: { $0.name?.name == "map" }), ctx.provider == .sqlserver {
                ctx.attributeError(label, "Naming an autoincrement default value is not allowed.", attr.span)
                return nil
            }
            if ctx.provider == .mongodb {
                ctx.attributeError(label, "The `autoincrement()` default value is used with a datasource that does not support it.", attr.span)
                return nil
            }
            return .autoincrement
        case "now":
            if !fargs.arguments.isEmpty {
                ctx.attributeError(label, "The `now` function does not take any argument. Consider changing this default to `now()`.", attr.span)
                return nil
            }
            guard scalar == .dateTime else { return typeMismatch() }
            return .now
        case "uuid", "cuid", "nanoid":
            guard scalar == .string else { return typeMismatch() }
            if fargs.arguments.count > 1 {
                ctx.attributeError(label, "`\(name)()` takes a single Int argument.", attr.span)
                return nil
            }
            let arg = intArgument()
            if arg.present, arg.value == nil {
                ctx.attributeError(label, "`\(name)()` takes a single Int argument.", attr.span)
                return nil
            }
            switch name {
            case "uuid":
                let v = arg.value ?? 4
                guard v == 4 || v == 7 else {
                    ctx.attributeError(label, "`uuid()` takes either no argument, or a single integer argument which is either 4 or 7.", attr.span)
                    return nil
                }
                return .uuid(version: v)
            case "cuid":
                let v = arg.value ?? 1
                guard v == 1 || v == 2 else {
                    ctx.attributeError(label, "`cuid()` takes either no argument, or a single integer argument which is either 1 or 2.", attr.span)
                    return nil
                }
                return .cuid(version: v)
            default:
                if let v = arg.value, !(2...255).contains(v) {
                    ctx.attributeError(label, "`nanoid()` takes either no argument, or a single integer argument between 2 and 255.", attr.span)
                    return nil
                }
                return .nanoid(length: arg.value)
            }
        case "ulid":
            guard scalar == .string else { return typeMismatch() }
            if !fargs.arguments.isEmpty {
                ctx.attributeError(label, "The `ulid` function does not take any argument. Consider changing this default to `ulid()`.", attr.span)
                return nil
            }
            return .ulid
        case "dbgenerated":
            if input.isComposite {
                ctx.attributeError(label, "Fields of composite types cannot have `dbgenerated()` as default.", attr.span)
                return nil
            }
            return dbgenerated(fargs, attr, ctx)
        case "sequence":
            if ctx.provider != .cockroachdb {
                ctx.error("Unknown function in @default(): `sequence` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions", value.span)
                return nil
            }
            let allowed: Set<String> = ["virtual", "cache", "increment", "minValue", "maxValue", "start"]
            for a in fargs.arguments {
                guard let n = a.name?.name, allowed.contains(n) else {
                    ctx.error("Unexpected argument in `sequence()` function call", a.span)
                    return nil
                }
                guard let v = a.value else { continue }
                if n == "virtual" { if Coerce.bool(v, ctx) == nil { return nil } } else if Coerce.int(v, ctx) == nil { return nil }
            }
            guard scalar == .int || scalar == .bigInt else { return typeMismatch() }
            return .sequence
        case "auto":
            if ctx.provider != .mongodb {
                ctx.attributeError(label, "The current connector does not support the `auto()` function.", value.span)
                return nil
            }
            if !fargs.arguments.isEmpty {
                ctx.attributeError(label, "`auto()` takes no arguments", attr.span)
                return nil
            }
            return .auto
        default:
            return nil
        }
    }

    private static func dbgenerated(_ fargs: ArgumentList, _ attr: Attribute, _ ctx: ValidationContext) -> DefaultValue? {
        let label = "@default"
        if fargs.arguments.isEmpty { return .dbgenerated(nil) }
        if fargs.arguments.count == 1, let v = fargs.arguments[0].value {
            if case .string(let s, _) = v {
                if s.isEmpty {
                    ctx.attributeError(label, "dbgenerated() takes either no argument, or a single nonempty string argument.", attr.span)
                    return nil
                }
                return .dbgenerated(s)
            }
        }
        ctx.attributeError(label, "`dbgenerated()` takes a single String argument", attr.span)
        return nil
    }

    /// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS(.fff)?(Z|±HH:MM)`.
    static func isRFC3339(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func digits(_ from: Int, _ n: Int) -> Bool {
            guard from + n <= b.count else { return false }
            return b[from..<(from + n)].allSatisfy { $0 >= 48 && $0 <= 57 }
        }
        guard b.count >= 20, digits(0, 4), b[4] == 45, digits(5, 2), b[7] == 45, digits(8, 2),
              b[10] == 84 || b[10] == 116 || b[10] == 32, digits(11, 2), b[13] == 58, digits(14, 2), b[16] == 58, digits(17, 2)
        else { return false }
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            if i == start { return false }
        }
        guard i < b.count else { return false }
        if b[i] == 90 || b[i] == 122 { return i + 1 == b.count }
        if b[i] == 43 || b[i] == 45 { return i + 6 == b.count && digits(i + 1, 2) && b[i + 3] == 58 && digits(i + 4, 2) }
        return false
    }
}

extension FieldType {
    var scalarOrNil: ScalarType? { if case .scalar(let s) = self { return s } else { return nil } }
}
