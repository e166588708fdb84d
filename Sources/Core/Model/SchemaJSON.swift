import Foundation

/// A stable, DMMF-like JSON view of the semantic model (`phaserunner inspect --json`).
/// Arrays keep source order and keys are sorted, so the output is byte-identical across runs.
public enum SchemaJSON {
    public static func encode(_ model: SchemaModel, sources: SourceSet) -> String {
        String(decoding: data(model, sources: sources, pretty: true), as: UTF8.self)
    }

    /// The same document as bytes; `pretty: false` gives it on one line (plugins receive it so,
    /// inside a JSON-RPC message): the same keys and values as `inspect --json` prints.
    public static func data(_ model: SchemaModel, sources: SourceSet, pretty: Bool) -> Data {
        let doc = Document(model, sources: sources)
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(doc)) ?? Data("{}".utf8)
    }

    struct Location: Encodable {
        let file: String
        let line: Int
        let column: Int
        init(_ span: Span, _ sources: SourceSet) {
            file = sources.file(of: span)?.path ?? ""
            let loc = sources.location(of: span)
            line = loc.line
            column = loc.column
        }
    }

    struct Document: Encodable {
        let datasources: [DatasourceJSON]
        let generators: [GeneratorJSON]
        let models: [ModelJSON]
        let enums: [EnumJSON]
        let types: [CompositeJSON]
        init(_ m: SchemaModel, sources: SourceSet) {
            datasources = m.datasources.map { DatasourceJSON(name: $0.name, provider: $0.provider, url: $0.url, relationMode: $0.relationMode, schemas: $0.schemas) }
            generators = m.generators.map { GeneratorJSON(name: $0.name, provider: $0.provider, output: $0.output, previewFeatures: $0.previewFeatures) }
            models = m.models.map { ModelJSON($0, sources) }
            enums = m.enums.map { e in
                EnumJSON(name: e.name, dbName: e.dbName, documentation: e.documentation,
                         values: e.values.map { EnumValueJSON(name: $0.name, dbName: $0.dbName, documentation: $0.documentation) },
                         location: Location(e.span, sources))
            }
            types = m.compositeTypes.map { CompositeJSON(name: $0.name, documentation: $0.documentation, fields: $0.fields.map { FieldJSON($0, sources) }, location: Location($0.span, sources)) }
        }
    }

    struct DatasourceJSON: Encodable {
        let name: String, provider: String, url: String?, relationMode: String?, schemas: [String]
    }
    struct GeneratorJSON: Encodable {
        let name: String, provider: String, output: String?, previewFeatures: [String]
    }
    struct EnumValueJSON: Encodable { let name: String, dbName: String?, documentation: String? }
    struct EnumJSON: Encodable {
        let name: String, dbName: String?, documentation: String?, values: [EnumValueJSON], location: Location
    }
    struct CompositeJSON: Encodable {
        let name: String, documentation: String?, fields: [FieldJSON], location: Location
    }

    struct IndexJSON: Encodable {
        let kind: String, fields: [String], name: String?, map: String?, type: String?
        init(_ i: IndexDefinition) {
            kind = i.kind.rawValue
            fields = i.fields.map { f in
                var s = f.name
                var args: [String] = []
                if let sort = f.sort { args.append("sort: \(sort.rawValue)") }
                if let l = f.length { args.append("length: \(l)") }
                if let o = f.operatorClass { args.append("ops: \(o)") }
                if !args.isEmpty { s += "(\(args.joined(separator: ", ")))" }
                return s
            }
            name = i.name
            map = i.map
            type = i.indexType
        }
    }

    struct ModelJSON: Encodable {
        let name: String, dbName: String?, isView: Bool, isIgnored: Bool, schema: String?, documentation: String?
        let fields: [FieldJSON]
        let primaryKey: IndexJSON?
        let indexes: [IndexJSON]
        let location: Location
        init(_ m: Model, _ sources: SourceSet) {
            name = m.name; dbName = m.dbName; isView = m.isView; isIgnored = m.isIgnored; schema = m.schema
            documentation = m.documentation
            fields = m.fields.map { FieldJSON($0, sources) }
            primaryKey = m.primaryKey.map(IndexJSON.init)
            indexes = m.indexes.map(IndexJSON.init)
            location = Location(m.span, sources)
        }
    }

    struct RelationJSON: Encodable {
        let name: String, kind: String, fields: [String], references: [String]
        let onDelete: String?, onUpdate: String?, map: String?, oppositeModel: String, oppositeField: String?
    }

    struct FieldJSON: Encodable {
        let name: String, dbName: String?, kind: String, type: String, arity: String
        let isId: Bool, isUnique: Bool, isUpdatedAt: Bool, isIgnored: Bool
        let `default`: String?
        let nativeType: String?
        let relation: RelationJSON?
        let documentation: String?
        let location: Location
        init(_ f: Field, _ sources: SourceSet) {
            name = f.name; dbName = f.dbName; kind = f.kind.rawValue; type = f.type.typeName; arity = f.arity.rawValue
            isId = f.isId; isUnique = f.isUnique; isUpdatedAt = f.isUpdatedAt; isIgnored = f.isIgnored
            `default` = f.defaultValue.map(\.description)
            nativeType = f.nativeType.map { "@\($0.prefix).\($0.description)" }
            relation = f.relation.map {
                RelationJSON(name: $0.name, kind: $0.kind.rawValue, fields: $0.fields, references: $0.references,
                             onDelete: $0.onDelete?.rawValue, onUpdate: $0.onUpdate?.rawValue, map: $0.map,
                             oppositeModel: $0.oppositeModel, oppositeField: $0.oppositeField)
            }
            documentation = f.documentation
            location = Location(f.span, sources)
        }
    }
}

extension DefaultValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .autoincrement: return "autoincrement()"
        case .now: return "now()"
        case .uuid(let v): return v == 4 ? "uuid()" : "uuid(\(v))"
        case .cuid(let v): return v == 1 ? "cuid()" : "cuid(\(v))"
        case .nanoid(let n): return n.map { "nanoid(\($0))" } ?? "nanoid()"
        case .ulid: return "ulid()"
        case .dbgenerated(let s): return s.map { "dbgenerated(\"\($0)\")" } ?? "dbgenerated()"
        case .sequence: return "sequence()"
        case .auto: return "auto()"
        case .literal(let l): return l.description
        }
    }
}

extension LiteralValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .int(let s), .float(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .enumValue(let e): return e
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
