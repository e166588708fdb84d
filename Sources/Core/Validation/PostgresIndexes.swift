/// PostgreSQL's GiST, GIN, SP-GiST and BRIN indexes: which operator class goes with which index
/// type, which field types and native types each index type and operator class take, and
/// SP-GiST's single column (as Prisma's PostgreSQL connector checks them, with its messages).
enum PostgresIndexes {
    enum Algorithm: String {
        case btree = "BTree", hash = "Hash", gist = "Gist", gin = "Gin", spgist = "SpGist", brin = "Brin"
    }

    /// The operator classes and the index type each works with (`InetOps`: GiST and SP-GiST).
    static func supports(_ opclass: String, _ algorithm: Algorithm) -> Bool? {
        switch opclass {
        case "InetOps": return algorithm == .gist || algorithm == .spgist
        case "JsonbOps", "JsonbPathOps", "ArrayOps": return algorithm == .gin
        case "TextOps": return algorithm == .spgist
        default: return brinClasses.contains(opclass) ? algorithm == .brin : nil
        }
    }

    /// BRIN: each native type with the operator classes it takes (none given is fine for all).
    static let brinByNative: [String: Set<String>] = [
        "Bit": ["BitMinMaxOps"], "VarBit": ["VarBitMinMaxOps"], "Char": ["BpcharBloomOps", "BpcharMinMaxOps"],
        "Date": family("Date"), "Real": family("Float4"), "DoublePrecision": family("Float8"),
        "Inet": ["InetInclusionOps", "InetBloomOps", "InetMinMaxOps", "InetMinMaxMultiOps"],
        "SmallInt": family("Int2"), "Integer": family("Int4"), "BigInt": family("Int8"), "Decimal": family("Numeric"),
        "Oid": family("Oid"), "ByteA": ["ByteaBloomOps", "ByteaMinMaxOps"], "Text": ["TextBloomOps", "TextMinMaxOps"],
        "VarChar": ["TextBloomOps", "TextMinMaxOps"], "Timestamp": family("Timestamp"), "Timestamptz": family("TimestampTz"),
        "Time": family("Time"), "Timetz": family("TimeTz"), "Uuid": family("Uuid"),
    ]
    /// BRIN without a native type: the Prisma type a class needs, and its classes.
    static let brinByScalar: [(scalar: ScalarType, label: String, classes: Set<String>)] = [
        (.float, "Float", family("Float8")), (.int, "Int", family("Int4")), (.bigInt, "BigInt", family("Int8")),
        (.decimal, "Decimal", family("Numeric")), (.bytes, "Bytes", ["ByteaBloomOps", "ByteaMinMaxOps"]),
        (.string, "String", ["TextBloomOps", "TextMinMaxOps"]), (.dateTime, "DateTime", family("Timestamp")),
    ]
    static let brinClasses: Set<String> = brinByNative.values.reduce(into: []) { $0.formUnion($1) }

    static func family(_ prefix: String) -> Set<String> {
        ["\(prefix)BloomOps", "\(prefix)MinMaxOps", "\(prefix)MinMaxMultiOps"]
    }

    /// Checks one index of `model` (PostgreSQL only).
    static func check(_ index: IndexDefinition, in model: Model, ctx: ValidationContext) {
        let algorithm = index.indexType.flatMap(Algorithm.init(rawValue:)) ?? .btree
        // B-tree and hash indexes without operator classes (nearly every index) take any field.
        if algorithm == .btree || algorithm == .hash, !index.fields.contains(where: { $0.operatorClass != nil }) { return }
        func error(_ message: String) { ctx.attributeError(index.attributeName, message, index.span) }
        for item in index.fields {
            // `raw("…")` is taken as written; an unknown class is not ours to judge here.
            guard let field = model.field(item.name), item.operatorClass != "raw" else { continue }
            let opclass = item.operatorClass
            let supported = opclass.flatMap { supports($0, algorithm) }
            if opclass != nil, supported == nil { continue }
            if let opclass, supported == false {
                error("The given operator class `\(opclass)` is not supported with the `\(algorithm.rawValue)` index type.")
                continue
            }
            let native = field.nativeType?.name
            let scalar = field.scalarType
            func pointsTo(_ type: String) {
                error("The given operator class `\(opclass ?? "")` points to the field `\(field.name)` that is not of \(type) type.")
            }
            func mismatch() {
                switch (native, opclass) {
                case let (native?, opclass?):
                    error("The given operator class `\(opclass)` does not support native type `\(native)` of field `\(field.name)`.")
                case let (native?, nil):
                    error("The \(algorithm.rawValue) index field type `\(native)` has no default operator class.")
                case let (nil, opclass?):
                    error("The given operator class `\(opclass)` expects the field `\(field.name)` to define a valid native type.")
                case (nil, nil):
                    if !takes(field, algorithm) {
                        error("The \(algorithm.rawValue) index type does not support the type of the field `\(field.name)`.")
                    }
                }
            }
            switch algorithm {
            case .btree, .hash:
                break
            case .gist:
                if !(native == "Inet" && opclass == "InetOps") { mismatch() }
            case .gin:
                let jsonClass = opclass == "JsonbOps" || opclass == "JsonbPathOps"
                if native == nil, opclass == nil, scalar == .json { break }
                if opclass == nil, field.isList { break }
                if native == "JsonB", jsonClass || opclass == nil { break }
                if native == nil, jsonClass {
                    if scalar != .json { pointsTo("Json") }
                    break
                }
                if opclass == "ArrayOps" {
                    if !field.isList { error("The given operator class `ArrayOps` expects the type of field `\(field.name)` to be an array.") }
                    break
                }
                mismatch()
            case .spgist:
                if native == "Inet", opclass == "InetOps" || opclass == nil { break }
                if native == nil, opclass == nil, scalar == .string { break }
                if native == nil, opclass == "TextOps" {
                    if scalar != .string { pointsTo("String") }
                    break
                }
                if let native, ["Text", "VarChar", "Char"].contains(native), opclass == "TextOps" || opclass == nil { break }
                mismatch()
            case .brin:
                if let native, let classes = brinByNative[native], opclass.map(classes.contains) ?? true { break }
                if native == nil, let rule = brinByScalar.first(where: { rule in opclass.map(rule.classes.contains) ?? (scalar == rule.scalar) }) {
                    if scalar != rule.scalar { pointsTo(rule.label) }
                    break
                }
                mismatch()
            }
        }
        if algorithm == .spgist, index.fields.count > 1 {
            error("SpGist does not support multi-column indices.")
        }
    }

    /// Whether an index type takes a field's Prisma type without an operator class.
    static func takes(_ field: Field, _ algorithm: Algorithm) -> Bool {
        if case .unsupported = field.type { return true }
        let scalar = field.scalarType
        switch algorithm {
        case .btree, .hash: return true
        case .gist, .spgist: return scalar == .string
        case .gin: return scalar == .json || field.isList
        case .brin: return [.string, .bytes, .dateTime, .float, .int, .bigInt, .decimal].contains(scalar)
        }
    }
}
