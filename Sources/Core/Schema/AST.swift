/// The syntax tree of a schema: what was written, with spans, before any resolution.

public struct Identifier: Sendable, Hashable {
    public var name: String
    public var span: Span
    public init(_ name: String, span: Span) {
        self.name = name
        self.span = span
    }
}

public indirect enum Expression: Sendable, Hashable {
    case string(String, Span)
    case number(String, Span)
    /// A bare identifier or dotted path: `Cascade`, `true`, `Role.ADMIN`, a field name.
    case constant(String, Span)
    case function(name: String, arguments: ArgumentList, span: Span)
    case array([Expression], Span)
    /// `{ key: value, … }`: a partial index's condition (`where: { deletedAt: null }`).
    case object([ObjectEntry], Span)

    public var span: Span {
        switch self {
        case .string(_, let s), .number(_, let s), .constant(_, let s), .array(_, let s), .object(_, let s): return s
        case .function(_, _, let s): return s
        }
    }

    /// A short description used in "Expected …, but received … value" messages.
    public var kindDescription: String {
        switch self {
        case .string: return "string"
        case .number: return "numeric"
        case .constant: return "literal"
        case .function: return "functional"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var asString: String? {
        if case .string(let s, _) = self { return s }
        return nil
    }

    public var asConstant: String? {
        if case .constant(let s, _) = self { return s }
        return nil
    }

    public var asArray: [Expression]? {
        if case .array(let a, _) = self { return a }
        return nil
    }
}

/// One `key: value` of an object expression.
public struct ObjectEntry: Sendable, Hashable {
    public var key: Identifier
    public var value: Expression
    public init(key: Identifier, value: Expression) {
        self.key = key
        self.value = value
    }
}

public struct AttributeArgument: Sendable, Hashable {
    public var name: Identifier?
    /// Nil for `name:` with nothing after the colon (reported by validation).
    public var value: Expression?
    public var span: Span
    public init(name: Identifier?, value: Expression?, span: Span) {
        self.name = name
        self.value = value
        self.span = span
    }
}

public struct ArgumentList: Sendable, Hashable {
    public var arguments: [AttributeArgument]
    /// Span of a trailing comma, if one was written.
    public var trailingComma: Span?
    public var span: Span
    public init(arguments: [AttributeArgument], trailingComma: Span?, span: Span) {
        self.arguments = arguments
        self.trailingComma = trailingComma
        self.span = span
    }
    public static func empty(_ span: Span) -> ArgumentList { ArgumentList(arguments: [], trailingComma: nil, span: span) }
}

public struct Attribute: Sendable, Hashable {
    /// Full path without the `@`/`@@`, e.g. `id`, `db.VarChar`.
    public var name: String
    public var nameSpan: Span
    public var arguments: ArgumentList
    /// Whether the attribute was written with parentheses.
    public var hasParentheses: Bool
    public var span: Span
    public init(name: String, nameSpan: Span, arguments: ArgumentList, hasParentheses: Bool, span: Span) {
        self.name = name
        self.nameSpan = nameSpan
        self.arguments = arguments
        self.hasParentheses = hasParentheses
        self.span = span
    }
}

public enum FieldArity: String, Sendable, Hashable, Codable {
    case required, optional, list
}

public enum FieldTypeExpression: Sendable, Hashable {
    case named(String, Span)
    case unsupported(String, Span)
    public var span: Span {
        switch self {
        case .named(_, let s), .unsupported(_, let s): return s
        }
    }
    public var name: String {
        switch self {
        case .named(let n, _): return n
        case .unsupported: return "Unsupported"
        }
    }
}

public struct FieldDeclaration: Sendable, Hashable {
    public var name: Identifier
    public var type: FieldTypeExpression
    public var arity: FieldArity
    public var attributes: [Attribute]
    public var documentation: String?
    public var span: Span
}

public enum ContainerKind: String, Sendable, Hashable, Codable {
    case model, view, type
}

public struct ModelDeclaration: Sendable, Hashable {
    public var kind: ContainerKind
    public var name: Identifier
    public var fields: [FieldDeclaration]
    public var attributes: [Attribute]
    public var documentation: String?
    public var span: Span
}

public struct EnumValueDeclaration: Sendable, Hashable {
    public var name: Identifier
    public var attributes: [Attribute]
    public var documentation: String?
    public var span: Span
}

public struct EnumDeclaration: Sendable, Hashable {
    public var name: Identifier
    public var values: [EnumValueDeclaration]
    public var attributes: [Attribute]
    public var documentation: String?
    public var span: Span
}

public struct ConfigProperty: Sendable, Hashable {
    public var name: Identifier
    public var value: Expression?
    public var span: Span
}

public enum ConfigKind: String, Sendable, Hashable {
    case datasource, generator
}

public struct ConfigBlock: Sendable, Hashable {
    public var kind: ConfigKind
    public var name: Identifier
    public var properties: [ConfigProperty]
    public var documentation: String?
    public var span: Span
}

public enum TopLevel: Sendable, Hashable {
    case model(ModelDeclaration)
    case enumeration(EnumDeclaration)
    case config(ConfigBlock)
}

/// The parsed schema (all files), in source order.
public struct SchemaAST: Sendable {
    public var tops: [TopLevel]
    public init(tops: [TopLevel]) { self.tops = tops }
}
