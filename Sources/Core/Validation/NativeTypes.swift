/// Native database types (`@db.VarChar(191)`) per connector: which scalar types
/// they fit, which arguments they take, and the ranges Prisma enforces.
enum NativeTypes {
    enum Arguments {
        case none
        /// One optional non-negative integer (length or precision).
        case optionalInt
        /// One required non-negative integer.
        case requiredInt
        /// Optional (precision, scale).
        case optionalPrecisionScale
        /// One optional integer or `Max` (SQL Server).
        case optionalIntOrMax
    }

    struct Spec {
        var arguments: Arguments
        var types: [ScalarType]
    }

    private static func s(_ a: Arguments, _ t: ScalarType...) -> Spec { Spec(arguments: a, types: t) }

    static let postgres: [String: Spec] = [
        "SmallInt": s(.none, .int), "Integer": s(.none, .int), "BigInt": s(.none, .bigInt),
        "Decimal": s(.optionalPrecisionScale, .decimal), "Money": s(.none, .decimal), "Inet": s(.none, .string),
        "Oid": s(.none, .int), "Citext": s(.none, .string), "Real": s(.none, .float), "DoublePrecision": s(.none, .float),
        "VarChar": s(.optionalInt, .string), "Char": s(.optionalInt, .string), "Text": s(.none, .string),
        "ByteA": s(.none, .bytes), "Timestamp": s(.optionalInt, .dateTime), "Timestamptz": s(.optionalInt, .dateTime),
        "Date": s(.none, .dateTime), "Time": s(.optionalInt, .dateTime), "Timetz": s(.optionalInt, .dateTime),
        "Boolean": s(.none, .boolean), "Bit": s(.optionalInt, .string), "VarBit": s(.optionalInt, .string),
        "Uuid": s(.none, .string), "Xml": s(.none, .string), "Json": s(.none, .json), "JsonB": s(.none, .json),
    ]

    static let cockroach: [String: Spec] = [
        "Bit": s(.optionalInt, .string), "Bool": s(.none, .boolean), "Bytes": s(.none, .bytes), "Char": s(.optionalInt, .string),
        "Date": s(.none, .dateTime), "Decimal": s(.optionalPrecisionScale, .decimal), "Float4": s(.none, .float),
        "Float8": s(.none, .float), "Inet": s(.none, .string), "Int2": s(.none, .int), "Int4": s(.none, .int),
        "Int8": s(.none, .bigInt), "JsonB": s(.none, .json), "Oid": s(.none, .int), "CatalogSingleChar": s(.none, .string),
        "String": s(.optionalInt, .string), "Time": s(.optionalInt, .dateTime), "Timestamp": s(.optionalInt, .dateTime),
        "Timestamptz": s(.optionalInt, .dateTime), "Timetz": s(.optionalInt, .dateTime), "Uuid": s(.none, .string),
        "VarBit": s(.optionalInt, .string),
    ]

    static let mysql: [String: Spec] = [
        "Int": s(.none, .int), "UnsignedInt": s(.none, .int), "SmallInt": s(.none, .int), "UnsignedSmallInt": s(.none, .int),
        "TinyInt": s(.none, .boolean, .int), "UnsignedTinyInt": s(.none, .boolean, .int), "MediumInt": s(.none, .int),
        "UnsignedMediumInt": s(.none, .int), "BigInt": s(.none, .bigInt), "UnsignedBigInt": s(.none, .bigInt),
        "Decimal": s(.optionalPrecisionScale, .decimal), "Float": s(.none, .float), "Double": s(.none, .float),
        "Bit": s(.requiredInt, .boolean, .bytes), "Char": s(.requiredInt, .string), "VarChar": s(.requiredInt, .string),
        "Binary": s(.requiredInt, .bytes), "VarBinary": s(.requiredInt, .bytes), "TinyBlob": s(.none, .bytes),
        "Blob": s(.none, .bytes), "MediumBlob": s(.none, .bytes), "LongBlob": s(.none, .bytes),
        "TinyText": s(.none, .string), "Text": s(.none, .string), "MediumText": s(.none, .string), "LongText": s(.none, .string),
        "Date": s(.none, .dateTime), "Time": s(.optionalInt, .dateTime), "DateTime": s(.optionalInt, .dateTime),
        "Timestamp": s(.optionalInt, .dateTime), "Year": s(.none, .int), "Json": s(.none, .json),
    ]

    static let sqlserver: [String: Spec] = [
        "TinyInt": s(.none, .boolean, .int), "SmallInt": s(.none, .int), "Int": s(.none, .int), "BigInt": s(.none, .bigInt),
        "Decimal": s(.optionalPrecisionScale, .decimal), "Money": s(.none, .float), "SmallMoney": s(.none, .float),
        "Bit": s(.none, .boolean, .int), "Float": s(.optionalInt, .float), "Real": s(.none, .float),
        "Date": s(.none, .dateTime), "Time": s(.none, .dateTime), "DateTime": s(.none, .dateTime),
        "DateTime2": s(.none, .dateTime), "DateTimeOffset": s(.none, .dateTime), "SmallDateTime": s(.none, .dateTime),
        "Char": s(.optionalInt, .string), "NChar": s(.optionalInt, .string), "VarChar": s(.optionalIntOrMax, .string),
        "Text": s(.none, .string), "NVarChar": s(.optionalIntOrMax, .string), "NText": s(.none, .string),
        "Binary": s(.optionalInt, .bytes), "VarBinary": s(.optionalIntOrMax, .bytes), "Image": s(.none, .bytes),
        "Xml": s(.none, .string), "UniqueIdentifier": s(.none, .string),
    ]

    static let mongodb: [String: Spec] = [
        "String": s(.none, .string), "Double": s(.none, .float), "Long": s(.none, .int, .bigInt), "Int": s(.none, .int),
        "BinData": s(.none, .bytes), "ObjectId": s(.none, .string, .bytes), "Bool": s(.none, .boolean),
        "Date": s(.none, .dateTime), "Timestamp": s(.none, .dateTime), "Json": s(.none, .json),
    ]

    static func table(_ p: Provider) -> [String: Spec] {
        switch p {
        case .postgresql: return postgres
        case .cockroachdb: return cockroach
        case .mysql: return mysql
        case .sqlserver: return sqlserver
        case .mongodb: return mongodb
        case .sqlite: return [:]
        }
    }

    static func providerLabel(_ p: Provider) -> String {
        switch p {
        case .postgresql: return "Postgres"
        case .cockroachdb: return "CockroachDB"
        case .mysql: return "MySQL"
        case .sqlserver: return "SQL Server"
        case .mongodb: return "MongoDB"
        case .sqlite: return "SQLite"
        }
    }

    /// `Unsupported("Text")` where `Text` is a native type of the connector: the notation to use instead.
    static func unsupportedSuggestion(_ raw: String, provider: Provider, prefix: String) -> String? {
        let name = raw.split(separator: "(").first.map(String.init) ?? raw
        guard let spec = table(provider)[name], let scalar = spec.types.first else { return nil }
        return "\(scalar.rawValue) @\("pg").\(raw)"
    }

    static func validate(name: String, attribute a: Attribute, scalar: ScalarType, provider: Provider, ctx: ValidationContext) -> NativeType? {
        guard let spec = table(provider)[name] else {
            ctx.error("Native type \(name) is not supported for \(provider.rawValue) connector.", a.span)
            return nil
        }
        let rawArgs = a.arguments.arguments.compactMap(\.value)
        let argTexts = rawArgs.map { ctx.sources.text(of: $0.span) }
        let native = NativeType(prefix: ctx.datasourceName ?? "db", name: name, arguments: argTexts)
        if !spec.types.contains(scalar) {
            let expected = spec.types.map(\.rawValue).joined(separator: " or ")
            ctx.error("Native type \(name) is not compatible with declared field type \(scalar.rawValue), expected field type \(expected).", a.span)
            return nil
        }
        let label = providerLabel(provider)
        func nonNegative(_ e: Expression) -> Int? {
            if case .number(let n, _) = e, let v = Int(n), v >= 0 { return v }
            ctx.error("Expected a nonnegative integer, but found (\(ctx.sources.text(of: e.span))).", a.span)
            return nil
        }
        func arity(_ expected: Int, optional: Bool) -> Bool {
            if rawArgs.count > expected || (!optional && rawArgs.count < expected) {
                ctx.error("Native type \(name) takes \(expected) \(optional ? "optional " : "")arguments, but received \(rawArgs.count).", a.span)
                return false
            }
            return true
        }
        switch spec.arguments {
        case .none:
            guard arity(0, optional: false) else { return nil }
        case .optionalInt, .requiredInt:
            guard arity(1, optional: spec.arguments == .optionalInt) else { return nil }
            if let e = rawArgs.first {
                guard let v = nonNegative(e) else { return nil }
                checkLength(name: name, value: v, scalar: scalar, provider: provider, label: label, a: a, ctx: ctx)
            }
        case .optionalIntOrMax:
            guard arity(1, optional: true) else { return nil }
            if let e = rawArgs.first {
                if case .constant("Max", _) = e { break }
                guard case .number(let n, _) = e, let v = Int(n) else {
                    ctx.error("Expected an integer or `Max`, but found (\(ctx.sources.text(of: e.span))).", a.span)
                    return nil
                }
                checkLength(name: name, value: v, scalar: scalar, provider: provider, label: label, a: a, ctx: ctx)
            }
        case .optionalPrecisionScale:
            guard arity(2, optional: true) else { return nil }
            var values: [Int] = []
            for e in rawArgs {
                guard let v = nonNegative(e) else { return nil }
                values.append(v)
            }
            if values.count == 2, values[1] > values[0] {
                ctx.error("The scale must not be larger than the precision for the \(name)(\(values[0]),\(values[1])) native type in \(label).", a.span)
                return nil
            }
            if let p = values.first, provider == .postgresql || provider == .cockroachdb, p > 1000 || p == 0 {
                ctx.error("Argument M is out of range for native type `\(name)(\(values.map(String.init).joined(separator: ",")))` of \(label): Precision must be positive with a maximum value of 1000.", a.span)
                return nil
            }
            if let p = values.first, provider == .mysql, p > 65 {
                ctx.error("Argument M is out of range for native type `\(name)(\(values.map(String.init).joined(separator: ",")))` of \(label): Precision can range from 1 to 65.", a.span)
                return nil
            }
        }
        return native
    }

    private static func checkLength(name: String, value v: Int, scalar: ScalarType, provider: Provider, label: String,
                                    a: Attribute, ctx: ValidationContext) {
        func outOfRange(_ detail: String) {
            ctx.error("Argument M is out of range for native type `\(name)(\(v))` of \(label): \(detail)", a.span)
        }
        switch (provider, name) {
        case (.mysql, "Char"):
            if v > 255 { outOfRange("M can range from 0 to 255.") }
        case (.mysql, "VarChar"):
            if v > 65535 { outOfRange("M can range from 0 to 65,535.") }
        case (.mysql, "Bit"):
            if v < 1 || v > 64 { outOfRange("M can range from 1 to 64.") } else if scalar == .boolean, v != 1 { outOfRange("only Bit(1) can be used as Boolean.") }
        case (.sqlserver, "Char"), (.sqlserver, "Binary"):
            if v < 1 || v > 8000 { outOfRange("Length can range from 1 to 8000.") }
        case (.sqlserver, "NChar"):
            if v < 1 || v > 4000 { outOfRange("Length can range from 1 to 4000.") }
        case (.sqlserver, "VarChar"), (.sqlserver, "VarBinary"):
            if v < 1 || v > 8000 { outOfRange("Length can range from 1 to 8000. For larger sizes, use the `Max` variant.") }
        case (.sqlserver, "NVarChar"):
            if v < 1 || v > 4000 { outOfRange("Length can range from 1 to 4000. For larger sizes, use the `Max` variant.") }
        case (.sqlserver, "Float"):
            if v < 1 || v > 53 { outOfRange("Bit can range from 1 to 53.") }
        default:
            break
        }
    }

    /// Native types that cannot back a unique constraint, an id or an index (without `length:`).
    static func indexRestriction(_ native: NativeType, provider: Provider) -> (display: String, lengthHint: Bool)? {
        switch provider {
        case .mysql:
            let restricted: Set<String> = ["Text", "TinyText", "MediumText", "LongText", "Blob", "TinyBlob", "MediumBlob", "LongBlob"]
            return restricted.contains(native.name) ? (native.name, true) : nil
        case .sqlserver:
            if ["Text", "NText", "Image", "Xml"].contains(native.name) { return (native.name, false) }
            if ["VarChar", "NVarChar", "VarBinary"].contains(native.name), native.arguments == ["Max"] {
                return ("\(native.name)(Max)", false)
            }
            return nil
        case .postgresql:
            return native.name == "Xml" ? ("Xml", false) : nil
        default:
            return nil
        }
    }
}
