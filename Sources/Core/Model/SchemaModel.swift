/// The resolved, typed schema: what the emitters and the TUI read. Built by the
/// validator from the AST; every element keeps the span it came from.

public enum ScalarType: String, Sendable, Hashable, Codable, CaseIterable {
    case string = "String"
    case int = "Int"
    case bigInt = "BigInt"
    case float = "Float"
    case decimal = "Decimal"
    case boolean = "Boolean"
    case dateTime = "DateTime"
    case json = "Json"
    case bytes = "Bytes"
}

public enum FieldType: Sendable, Hashable, Encodable {
    case scalar(ScalarType)
    case enumeration(String)
    case model(String)
    case composite(String)
    case unsupported(String)

    public var typeName: String {
        switch self {
        case .scalar(let s): return s.rawValue
        case .enumeration(let n), .model(let n), .composite(let n): return n
        case .unsupported(let s): return "Unsupported(\"\(s)\")"
        }
    }
}

public enum FieldKind: String, Sendable, Codable {
    case scalar, enumeration = "enum", relation = "object", composite, unsupported
}

public struct NativeType: Sendable, Hashable, Codable {
    public var prefix: String
    public var name: String
    public var arguments: [String]
    public init(prefix: String, name: String, arguments: [String]) {
        self.prefix = prefix
        self.name = name
        self.arguments = arguments
    }
    public var description: String {
        arguments.isEmpty ? name : "\(name)(\(arguments.joined(separator: ",")))"
    }
}

/// A literal default value.
public indirect enum LiteralValue: Sendable, Hashable, Encodable {
    case string(String)
    case int(String)
    case float(String)
    case boolean(Bool)
    case enumValue(String)
    case list([LiteralValue])
}

/// `@default(…)` classified.
public enum DefaultValue: Sendable, Hashable, Encodable {
    case autoincrement
    case now
    case uuid(version: Int)
    case cuid(version: Int)
    case nanoid(length: Int?)
    case ulid
    case dbgenerated(String?)
    case sequence
    case auto
    case literal(LiteralValue)

    /// Whether the database (not the client) produces the value.
    public var isDatabaseManaged: Bool {
        switch self {
        case .autoincrement, .dbgenerated, .sequence, .auto: return true
        default: return false
        }
    }
}

public enum ReferentialAction: String, Sendable, Hashable, Codable, CaseIterable {
    case cascade = "Cascade"
    case restrict = "Restrict"
    case noAction = "NoAction"
    case setNull = "SetNull"
    case setDefault = "SetDefault"
}

public enum RelationKind: String, Sendable, Hashable, Codable {
    case oneToOne = "1:1"
    case oneToMany = "1:n"
    case manyToMany = "m:n"
}

/// The relation information on one relation field.
public struct RelationInfo: Sendable, Hashable, Encodable {
    /// The relation's name (explicit, or Prisma's derived `ModelAToModelB`).
    public var name: String
    public var isNamedExplicitly: Bool
    /// Scalar fields on this side holding the foreign key (empty on the back-relation side).
    public var fields: [String]
    public var references: [String]
    public var onDelete: ReferentialAction?
    public var onUpdate: ReferentialAction?
    /// Foreign-key constraint name from `map:`.
    public var map: String?
    public var kind: RelationKind
    public var oppositeModel: String
    /// Nil only while resolving (a validated schema always links both sides).
    public var oppositeField: String?
}

public struct Field: Sendable, Hashable, Encodable {
    public var name: String
    public var dbName: String?
    public var type: FieldType
    public var arity: FieldArity
    public var isId: Bool = false
    public var isUnique: Bool = false
    public var isUpdatedAt: Bool = false
    public var isIgnored: Bool = false
    public var defaultValue: DefaultValue?
    public var nativeType: NativeType?
    public var relation: RelationInfo?
    public var documentation: String?
    public var span: Span

    public var kind: FieldKind {
        switch type {
        case .scalar: return .scalar
        case .enumeration: return .enumeration
        case .model: return .relation
        case .composite: return .composite
        case .unsupported: return .unsupported
        }
    }
    public var isRequired: Bool { arity == .required }
    public var isList: Bool { arity == .list }
    public var isRelation: Bool { if case .model = type { return true } else { return false } }
    public var scalarType: ScalarType? { if case .scalar(let s) = type { return s } else { return nil } }
}

public enum SortOrder: String, Sendable, Hashable, Codable {
    case asc = "Asc", desc = "Desc"
}

public struct IndexField: Sendable, Hashable, Encodable {
    public var name: String
    public var sort: SortOrder?
    public var length: Int?
    public var operatorClass: String?
}

public enum IndexKind: String, Sendable, Hashable, Codable {
    case primaryKey = "id", unique, normal = "index", fulltext
}

public struct IndexDefinition: Sendable, Hashable, Encodable {
    public var kind: IndexKind
    public var fields: [IndexField]
    /// Client name (`name:`), used for compound unique `where` inputs.
    public var name: String?
    /// Database constraint name (`map:`).
    public var map: String?
    public var indexType: String?
    public var clustered: Bool?
    /// True when declared on a field (`@id`, `@unique`), false for `@@…`.
    public var isFieldLevel: Bool
    public var span: Span
    /// A partial index's `where:` condition (`partialIndexes` preview feature); nil for a whole-table one.
    public var condition: IndexCondition? = nil
    public var fieldNames: [String] { fields.map(\.name) }
    /// The attribute that declares it, as messages name it: `@id`, `@@unique`, `@@index`, …
    public var attributeName: String { (isFieldLevel ? "@" : "@@") + kind.rawValue }
}

/// A partial index's condition: `raw("…")` SQL or an object of fields, as written.
public struct IndexCondition: Sendable, Hashable, Encodable {
    /// The condition's source text, e.g. `{ deletedAt: null }` or `raw("status = 'active'")`.
    public var text: String
    public var expression: Expression

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

public struct Model: Sendable, Hashable, Encodable {
    public var name: String
    public var dbName: String?
    public var isView: Bool
    public var fields: [Field]
    public var primaryKey: IndexDefinition?
    public var indexes: [IndexDefinition]
    public var isIgnored: Bool
    public var schema: String?
    public var documentation: String?
    public var span: Span

    public func field(_ name: String) -> Field? {
        fieldIndex(name).map { fields[$0] }
    }
    /// The position of the field named `name`. The fields are read where they are stored:
    /// `fields[i].name` through the array's subscript can copy each whole field first.
    public func fieldIndex(_ name: String) -> Int? {
        fields.withUnsafeBufferPointer { stored in
            for i in stored.indices where stored[i].name == name { return i }
            return nil
        }
    }
    public func hasField(_ name: String) -> Bool { fieldIndex(name) != nil }
    /// `read` applied in place to the field named `name` (nil: no such field).
    public func withField<R>(_ name: String, _ read: (Field) -> R) -> R? {
        guard let i = fieldIndex(name) else { return nil }
        return fields.withUnsafeBufferPointer { read($0[i]) }
    }
    public var scalarFields: [Field] { fields.filter { !$0.isRelation } }
    public var relationFields: [Field] { fields.filter { $0.isRelation } }
    public var uniqueIndexes: [IndexDefinition] { indexes.filter { $0.kind == .unique } }
}

public struct CompositeType: Sendable, Hashable, Encodable {
    public var name: String
    public var fields: [Field]
    public var documentation: String?
    public var span: Span
}

public struct EnumValue: Sendable, Hashable, Encodable {
    public var name: String
    public var dbName: String?
    public var documentation: String?
    public var span: Span
}

public struct EnumType: Sendable, Hashable, Encodable {
    public var name: String
    public var dbName: String?
    public var values: [EnumValue]
    public var schema: String?
    public var documentation: String?
    public var span: Span
}

public enum Provider: String, Sendable, Hashable, Codable, CaseIterable {
    case postgresql, mysql, sqlite, sqlserver, cockroachdb, mongodb

    public init?(providerString: String) {
        switch providerString {
        case "postgresql", "postgres": self = .postgresql
        case "mysql": self = .mysql
        case "sqlite": self = .sqlite
        case "sqlserver": self = .sqlserver
        case "cockroachdb": self = .cockroachdb
        case "mongodb": self = .mongodb
        default: return nil
        }
    }
}

public struct Datasource: Sendable, Hashable, Encodable {
    public var name: String
    public var provider: String
    public var url: String?
    public var relationMode: String?
    public var schemas: [String]
    public var span: Span
    public var connector: Provider? { Provider(providerString: provider) }
}

public struct Generator: Sendable, Hashable, Encodable {
    public var name: String
    public var provider: String
    public var output: String?
    public var previewFeatures: [String]
    public var config: [String: String]
    public var span: Span
}

public struct SchemaModel: Sendable, Hashable, Encodable {
    public var datasources: [Datasource]
    public var generators: [Generator]
    public var models: [Model]
    public var enums: [EnumType]
    public var compositeTypes: [CompositeType]

    public init(datasources: [Datasource] = [], generators: [Generator] = [], models: [Model] = [],
                enums: [EnumType] = [], compositeTypes: [CompositeType] = []) {
        self.datasources = datasources
        self.generators = generators
        self.models = models
        self.enums = enums
        self.compositeTypes = compositeTypes
    }

    public var provider: Provider? { datasources.first?.connector }
    public func model(_ name: String) -> Model? { models.first { $0.name == name } }
    public func enumType(_ name: String) -> EnumType? { enums.first { $0.name == name } }
    public func compositeType(_ name: String) -> CompositeType? { compositeTypes.first { $0.name == name } }
}
