/// Shared state of one validation run: the diagnostics sink and the facts
/// about the datasource that many rules depend on.
final class ValidationContext {
    var diagnostics: [Diagnostic] = []
    var provider: Provider?
    /// The datasource name, which is also the native-type prefix (`db` in `@db.VarChar`).
    var datasourceName: String?
    var previewFeatures: Set<String> = []
    var relationMode: String?
    var declaredSchemas: [String] = []
    let sources: SourceSet

    init(sources: SourceSet) {
        self.sources = sources
    }

    func error(_ message: String, _ span: Span) {
        diagnostics.append(Diagnostic(error: message, span: span))
    }

    func warning(_ message: String, _ span: Span) {
        diagnostics.append(Diagnostic(warning: message, span: span))
    }

    func attributeError(_ attribute: String, _ message: String, _ span: Span) {
        error("Error parsing attribute \"\(attribute)\": \(message)", span)
    }

    func modelError(_ model: String, _ message: String, _ span: Span, kind: ContainerKind = .model) {
        error("Error validating \(kind.label) \"\(model)\": \(message)", span)
    }

    func fieldError(_ field: String, container: String, kind: ContainerKind, _ message: String, _ span: Span) {
        error("Error validating field `\(field)` in \(kind.label) `\(container)`: \(message)", span)
    }

    func validationError(_ message: String, _ span: Span) {
        error("Error validating: \(message)", span)
    }

    var usesPrismaRelationMode: Bool {
        relationMode == "prisma" || provider == .mongodb
    }

    var providerDisplayName: String {
        switch provider {
        case .postgresql: return "Postgres"
        case .mysql: return "MySQL"
        case .sqlite: return "sqlite"
        case .sqlserver: return "SQL Server"
        case .cockroachdb: return "CockroachDB"
        case .mongodb: return "MongoDB"
        case nil: return "the current connector"
        }
    }

    var supportsScalarLists: Bool { provider == .postgresql || provider == .cockroachdb || provider == .mongodb }
    var supportsEnums: Bool { provider != .sqlserver }
    var supportsCompositeTypes: Bool { provider == .mongodb }
    var supportsJson: Bool { provider != .sqlserver }
    var supportsCompoundIds: Bool { provider != .mongodb }
    var supportsNamedPrimaryKeys: Bool { provider == .postgresql || provider == .sqlserver || provider == .cockroachdb }
    var supportsClustering: Bool { provider == .sqlserver }
    var supportsMultiSchema: Bool { provider == .postgresql || provider == .sqlserver || provider == .cockroachdb }
}

extension ContainerKind {
    var label: String {
        switch self {
        case .model: return "model"
        case .view: return "view"
        case .type: return "composite type"
        }
    }
}

/// Reads an attribute's arguments the way Prisma does: one optional unnamed
/// (default) argument, named ones, duplicates and empty values reported.
struct AttributeArguments {
    let attribute: Attribute
    let label: String
    private(set) var unnamed: [AttributeArgument] = []
    private(set) var named: [String: AttributeArgument] = [:]
    private var used: Set<String> = []
    private var usedUnnamed = 0

    init(_ attribute: Attribute, prefix: String, context: ValidationContext) {
        self.attribute = attribute
        self.label = prefix + attribute.name
        for arg in attribute.arguments.arguments {
            if let name = arg.name {
                if arg.value == nil {
                    context.attributeError(label, "The `\(name.name)` argument is missing a value.", arg.span)
                    continue
                }
                if named[name.name] != nil {
                    context.attributeError(label, "AttributeArgument \"\(name.name)\" is already specified.", arg.span)
                    continue
                }
                named[name.name] = arg
            } else {
                unnamed.append(arg)
            }
        }
    }

    /// The default argument: the first unnamed one, or the one named `name`.
    mutating func defaultArgument(_ name: String, context: ValidationContext) -> Expression? {
        used.insert(name)
        if let first = unnamed.first {
            usedUnnamed = 1
            if let dup = named[name] {
                context.attributeError(label, "AttributeArgument \"\(name)\" is already specified as unnamed argument.", dup.span)
            }
            return first.value
        }
        return named[name]?.value
    }

    mutating func optional(_ name: String) -> Expression? {
        used.insert(name)
        return named[name]?.value
    }

    func span(of name: String) -> Span? { named[name]?.span }

    /// Reports arguments that no rule asked for.
    func reportUnused(context: ValidationContext) {
        for (i, arg) in unnamed.enumerated() where i >= usedUnnamed {
            if unnamed.count > 1, label == "@unique" || label == "@@unique" || label == "@@index" || label == "@@id" {
                let names = unnamed.compactMap { $0.value.map { context.sources.text(of: $0.span) } }
                context.attributeError(label, "You provided multiple unnamed arguments. This is not possible. Did you forget the brackets? Did you mean `[\(names.joined(separator: ", "))]`?", attribute.span)
                return
            }
            context.attributeError(label, "No such argument.", arg.span)
        }
        for (name, arg) in named.sorted(by: { $0.value.span.start < $1.value.span.start }) where !used.contains(name) {
            context.attributeError(label, "No such argument.", arg.span)
        }
    }
}

/// Helpers to read expressions as typed values, reporting Prisma's coercion errors.
enum Coerce {
    static func string(_ e: Expression, _ ctx: ValidationContext, label: String? = nil) -> String? {
        if case .string(let s, _) = e { return s }
        report("Expected a string value, but received \(e.kindDescription) value `\(ctx.sources.text(of: e.span))`.", e, ctx, label)
        return nil
    }

    static func constant(_ e: Expression, _ ctx: ValidationContext, label: String? = nil) -> String? {
        if case .constant(let s, _) = e { return s }
        report("Expected a constant value, but received \(e.kindDescription) value `\(ctx.sources.text(of: e.span))`.", e, ctx, label)
        return nil
    }

    static func bool(_ e: Expression, _ ctx: ValidationContext, label: String? = nil) -> Bool? {
        if case .constant(let s, _) = e, s == "true" || s == "false" { return s == "true" }
        report("Expected a boolean value, but received \(e.kindDescription) value `\(ctx.sources.text(of: e.span))`.", e, ctx, label)
        return nil
    }

    static func int(_ e: Expression, _ ctx: ValidationContext, label: String? = nil) -> Int? {
        if case .number(let s, _) = e, let v = Int(s) { return v }
        report("Expected a numeric value, but received \(e.kindDescription) value `\(ctx.sources.text(of: e.span))`.", e, ctx, label)
        return nil
    }

    static func array(_ e: Expression) -> [Expression] {
        if case .array(let items, _) = e { return items }
        return [e]
    }

    private static func report(_ message: String, _ e: Expression, _ ctx: ValidationContext, _ label: String?) {
        if let label {
            ctx.attributeError(label, message, e.span)
        } else {
            ctx.error(message, e.span)
        }
    }
}

extension ValidationContext {
    /// Prisma 6.19 rejects ids and indexes on views, but schemas written for earlier
    /// releases (and in use today, e.g. webstudio) rely on them, and the generator
    /// uses a view's id for `GET /:id`. We keep Prisma's message as a warning.
    func viewKeyWarning(_ message: String, _ span: Span) {
        warning("\(message) Prisma 6.19 and later reject this; it is accepted here for older schemas, and the generated API uses it to address rows.", span)
    }
}
