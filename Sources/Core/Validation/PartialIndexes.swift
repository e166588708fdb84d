/// Partial indexes (Prisma 7.4's `partialIndexes` preview feature): a `where:` condition on
/// `@unique`, `@@unique` and `@@index`, written as raw SQL, `where: raw("deletedAt IS NULL")`,
/// or as an object of the model's scalar fields, `where: { published: true }`,
/// `where: { status: { not: "archived" } }`, `where: { deletedAt: null }`.
enum PartialIndexes {
    /// The databases whose indexes take a condition (PostgreSQL, CockroachDB, SQLite, SQL Server).
    static func supported(_ provider: Provider?) -> Bool {
        switch provider {
        case .postgresql, .cockroachdb, .sqlite, .sqlserver, nil: return true
        case .mysql, .mongodb: return false
        }
    }

    /// Reads `args`' `where:` condition, if it has one, checking what does not depend on the
    /// model (the preview feature, the database, the condition's shape). Nil: none written, or
    /// one that was reported.
    static func read(_ args: inout AttributeArguments, label: String, span: Span, ctx: ValidationContext) -> IndexCondition? {
        guard let value = args.optional("where") else { return nil }
        let place = args.argumentSpan("where") ?? span
        guard ctx.previewFeatures.contains("partialIndexes") else {
            ctx.attributeError(label, "Defining partial indexes requires enabling the `partialIndexes` preview feature", place)
            return nil
        }
        guard supported(ctx.provider) else {
            ctx.attributeError(label, "Partial indexes (the `where` argument) are not supported with the current connector", place)
            return nil
        }
        switch value {
        case .function(let name, let arguments, _) where name == "raw":
            guard arguments.arguments.count == 1, arguments.arguments[0].name == nil,
                  let sql = arguments.arguments[0].value?.asString else {
                ctx.attributeError(label, "The `raw` function of a `where` condition takes one string: the SQL condition.", value.span)
                return nil
            }
            guard !sql.allSatisfy(\.isWhitespace) else {
                ctx.attributeError(label, "The `where` condition cannot be an empty string.", value.span)
                return nil
            }
        case .object(let entries, _):
            guard !entries.isEmpty else {
                ctx.attributeError(label, "The `where` condition must name at least one field.", value.span)
                return nil
            }
        default:
            ctx.attributeError(label, "The `where` condition must be `raw(\"…\")` or an object of fields, e.g. `{ deletedAt: null }`, but received \(value.kindDescription) value `\(ctx.sources.text(of: value.span))`.", value.span)
            return nil
        }
        return IndexCondition(text: ctx.sources.text(of: value.span), expression: value)
    }

    /// Checks an object condition's fields against `model` (a raw condition is the database's to judge).
    static func check(_ condition: IndexCondition, label: String, model: Model,
                      enumValues: (String) -> [String]?, ctx: ValidationContext) {
        guard case .object(let entries, _) = condition.expression else { return }
        var seen: Set<String> = []
        for entry in entries {
            guard seen.insert(entry.key.name).inserted else {
                ctx.attributeError(label, "The field `\(entry.key.name)` appears more than once in the `where` condition.", entry.key.span)
                continue
            }
            guard let field = model.field(entry.key.name), !field.isRelation else {
                ctx.attributeError(label, "The `where` condition refers to the unknown field `\(entry.key.name)` in model `\(model.name)`.", entry.key.span)
                continue
            }
            _ = check(entry.value, field: field, label: label, allowNot: true, enumValues: enumValues, ctx: ctx)
        }
    }

    /// Whether `value` can be compared with `field`: a literal of its type, `null` for an
    /// optional field, or `{ not: … }` around either.
    private static func check(_ value: Expression, field: Field, label: String, allowNot: Bool,
                              enumValues: (String) -> [String]?, ctx: ValidationContext) -> Bool {
        func mismatch(_ expected: String) -> Bool {
            ctx.attributeError(label, "The `where` condition compares the field `\(field.name)` with \(value.kindDescription) value `\(ctx.sources.text(of: value.span))`; expected \(expected).", value.span)
            return false
        }
        if field.isList { return mismatch("a scalar field that is not a list") }
        switch value {
        case .object(let entries, _) where allowNot:
            guard entries.count == 1, entries[0].key.name == "not" else {
                ctx.attributeError(label, "A field's condition object takes one key, `not`.", value.span)
                return false
            }
            return check(entries[0].value, field: field, label: label, allowNot: false, enumValues: enumValues, ctx: ctx)
        case .constant("null", _):
            return field.isRequired ? mismatch("a value: the field is required, so it is never null") : true
        case .constant(let c, _):
            switch field.type {
            case .scalar(.boolean) where c == "true" || c == "false": return true
            case .enumeration(let e):
                guard let values = enumValues(e), values.contains(c) else { return mismatch("a value of enum `\(e)`") }
                return true
            default: return mismatch(expectation(field))
            }
        case .number:
            switch field.type {
            case .scalar(.int), .scalar(.bigInt), .scalar(.float), .scalar(.decimal): return true
            default: return mismatch(expectation(field))
            }
        case .string:
            switch field.type {
            case .scalar(.string), .scalar(.dateTime), .scalar(.decimal), .scalar(.bigInt): return true
            default: return mismatch(expectation(field))
            }
        default:
            return mismatch(expectation(field))
        }
    }

    private static func expectation(_ field: Field) -> String {
        switch field.type {
        case .scalar(.boolean): return "`true` or `false`"
        case .scalar(.int), .scalar(.bigInt), .scalar(.float), .scalar(.decimal): return "a number"
        case .scalar(.string), .scalar(.dateTime): return "a string"
        case .enumeration(let e): return "a value of enum `\(e)`"
        default: return "a field of a type a condition can compare (this one is \(field.type.typeName))"
        }
    }
}
