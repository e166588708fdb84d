/// How a Prisma field type appears in generated TypeScript and Zod.
enum TypeMapping {
    /// The JSON shape in responses (BigInt/Decimal as strings, Bytes as base64, DateTime as ISO string).
    static func readType(_ f: Field) -> String {
        let base: String
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string, .bigInt, .decimal, .bytes, .dateTime: base = "string"
            case .int, .float: base = "number"
            case .boolean: base = "boolean"
            case .json: base = "JsonValue"
            }
        case .enumeration(let e): base = Naming.pascal(e)
        case .composite(let c): base = Naming.pascal(c)
        case .model(let m): base = "\(Naming.pascal(m))ReadDTO"
        case .unsupported: base = "unknown"
        }
        return wrap(base, f)
    }

    /// The JSON shape accepted in request bodies.
    static func inputType(_ f: Field) -> String {
        let base: String
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string, .bytes: base = "string"
            case .int, .float: base = "number"
            case .bigInt, .decimal: base = "string | number"
            case .boolean: base = "boolean"
            case .dateTime: base = "string"
            case .json: base = "JsonValue"
            }
        case .enumeration(let e): base = Naming.pascal(e)
        case .composite(let c): base = "\(Naming.pascal(c))Input"
        default: base = "unknown"
        }
        return wrap(base, f)
    }

    private static func wrap(_ base: String, _ f: Field) -> String {
        switch f.arity {
        case .list: return base.utf8.contains(32) ? "Array<\(base)>" : "\(base)[]"
        case .optional: return "\(base) | null"
        case .required: return base
        }
    }

    /// Zod schema for a body field (before optional/nullable wrapping).
    static func zodInput(_ f: Field, provider: Provider? = nil) -> String {
        let base: String
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string: base = "z.string()"
            case .int:
                if let (lo, hi) = intRange(f, provider: provider) { base = "zInt(\(lo), \(hi))" } else { base = "zInt()" }
            case .float: base = "z.number()"
            case .bigInt: base = "zBigInt"
            case .decimal: base = "zDecimal"
            case .boolean: base = "z.boolean()"
            case .dateTime: base = isDateOnly(f) ? "zDate" : "zDateTime"
            case .json: base = "zJson"
            case .bytes: base = "zBytes"
            }
        case .enumeration(let e): base = "z.enum(\(Naming.pascal(e))Values)"
        case .composite(let c): base = "\(Naming.pascal(c))Schema"
        default: base = "z.unknown()"
        }
        return f.isList ? "z.array(\(base))" : base
    }

    /// A `DateTime @db.Date` field holds a calendar date: it also takes `YYYY-MM-DD`.
    static func isDateOnly(_ f: Field) -> Bool { f.nativeType?.name == "Date" }

    /// The range of an `Int` field whose native type is narrower than 32 bits (nil: the full 32 bits).
    static func intRange(_ f: Field, provider: Provider?) -> (Int, Int)? {
        switch f.nativeType?.name {
        case "SmallInt", "Int2": return (-32768, 32767)
        case "UnsignedSmallInt": return (0, 65535)
        case "TinyInt": return provider == .sqlserver ? (0, 255) : (-128, 127)
        case "UnsignedTinyInt": return (0, 255)
        case "MediumInt": return (-8388608, 8388607)
        case "UnsignedMediumInt": return (0, 16777215)
        case "UnsignedInt", "Oid": return (0, 2147483647)
        case "Year": return (0, 2155)
        default: return nil
        }
    }

    /// Zod schema for a query-string filter on the field (`?field=…`, `?field[op]=…`, `?field[isNull]=…`).
    static func zodFilter(_ f: Field) -> String? {
        let base: String
        switch f.type {
        case .scalar(let s):
            switch s {
            case .string: base = "string"
            case .int: base = "int"
            case .float: base = "float"
            case .bigInt: base = "bigInt"
            case .decimal: base = "decimal"
            case .boolean: base = "boolean"
            case .dateTime: base = isDateOnly(f) ? "date" : "dateTime"
            case .json, .bytes: return nil
            }
        case .enumeration(let e): base = "enumeration(\(Naming.pascal(e))Values)"
        default: return nil
        }
        return (f.isRequired ? "filters." : "nullableFilters.") + base
    }

    /// Parser for a key path parameter (`/:id`).
    static func keyParser(_ f: Field) -> String {
        switch f.type {
        case .scalar(.int): return "params.int"
        case .scalar(.bigInt): return "params.bigInt"
        case .scalar(.float): return "params.float"
        case .scalar(.decimal): return "params.decimal"
        case .scalar(.boolean): return "params.boolean"
        case .scalar(.dateTime): return isDateOnly(f) ? "params.date" : "params.dateTime"
        case .scalar(.bytes): return "params.bytes"
        case .enumeration(let e): return "params.enumeration(\(Naming.pascal(e))Values)"
        default: return "params.string"
        }
    }

    /// TypeScript type of a parsed key value (what Prisma's `where` takes).
    static func keyType(_ f: Field) -> String {
        switch f.type {
        case .scalar(.int), .scalar(.float): return "number"
        case .scalar(.bigInt): return "bigint"
        case .scalar(.boolean): return "boolean"
        case .scalar(.dateTime): return "Date"
        case .scalar(.bytes): return "Buffer"
        case .enumeration(let e): return Naming.pascal(e)
        default: return "string"
        }
    }
}
