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
    /// The stage of Prisma's validation the rules now running belong to (what each diagnostic
    /// is reported in).
    var stage: DiagnosticStage = .models
    let sources: SourceSet

    init(sources: SourceSet) {
        self.sources = sources
    }

    /// A context with the same datasource facts and no diagnostics, for work done on another
    /// thread (its diagnostics are added to this one's afterwards, in order).
    func child() -> ValidationContext {
        let c = ValidationContext(sources: sources)
        c.provider = provider
        c.datasourceName = datasourceName
        c.previewFeatures = previewFeatures
        c.relationMode = relationMode
        c.declaredSchemas = declaredSchemas
        c.stage = stage
        return c
    }

    func error(_ message: String, _ span: Span) {
        diagnostics.append(Diagnostic(error: message, span: span, stage: stage))
    }

    func warning(_ message: String, _ span: Span) {
        diagnostics.append(Diagnostic(warning: message, span: span, stage: stage))
    }

    /// Runs `body` with its reports in `stage` (a rule of another stage inside a pass).
    func within<R>(_ stage: DiagnosticStage, _ body: () throws -> R) rethrows -> R {
        let saved = self.stage
        self.stage = stage
        defer { self.stage = saved }
        return try body()
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
///
/// This runs for every attribute of every field, so it keeps the attribute's argument list
/// (one reference) and positions in it, never copies of the arguments, and finds a name by
/// a scan (an attribute has a handful of arguments; past `scanLimit` a dictionary is built).
struct AttributeArguments {
    /// `@name` or `@@name`, for messages (made only when one is reported).
    var label: String { prefix + name }
    /// How Prisma names the attribute in its argument-parsing errors: one `@`, for `@@map` too.
    private var argumentLabel: String { "@" + name }
    private let prefix: String
    private let name: String
    private let attributeSpan: Span
    private let arguments: [AttributeArgument]
    /// The named arguments that count: a value given, the first of their name.
    private var valid = Positions()
    /// The named arguments a rule asked for.
    private var used = Positions()
    private var firstUnnamed: Int?
    private var unnamedCount = 0
    private var usedUnnamed = false
    /// Name → position, only for attributes with more than `scanLimit` arguments.
    private var index: [String: Int]?
    private static let scanLimit = 16

    init(_ attribute: Attribute, prefix: String, context: ValidationContext) {
        self.prefix = prefix
        self.name = attribute.name
        self.attributeSpan = attribute.span
        self.arguments = attribute.arguments.arguments
        if arguments.count > AttributeArguments.scanLimit { index = [:] }
        for i in arguments.indices {
            guard let name = arguments[i].name?.name else {
                unnamedCount += 1
                if firstUnnamed == nil { firstUnnamed = i }
                continue
            }
            if arguments[i].value == nil {
                context.attributeError(argumentLabel, "The `\(name)` argument is missing a value.", arguments[i].span)
                continue
            }
            if position(of: name) != nil {
                context.error("Argument \"\(name)\" is already specified.", arguments[i].span)
                continue
            }
            valid.insert(i)
            index?[name] = i
        }
    }

    /// The position of the named argument that counts for `name`.
    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        for i in arguments.indices where valid.contains(i) && arguments[i].name?.name == name { return i }
        return nil
    }

    private mutating func use(_ name: String) -> Int? {
        guard let i = position(of: name) else { return nil }
        used.insert(i)
        return i
    }

    /// The default argument: the first unnamed one, or the one named `name`.
    mutating func defaultArgument(_ name: String, context: ValidationContext) -> Expression? {
        let named = use(name)
        if let first = firstUnnamed {
            usedUnnamed = true
            if let named {
                context.error("Argument \"\(name)\" is already specified as unnamed argument.", arguments[named].span)
            }
            return arguments[first].value
        }
        return named.flatMap { arguments[$0].value }
    }

    mutating func optional(_ name: String) -> Expression? {
        use(name).flatMap { arguments[$0].value }
    }

    /// The span of the whole named argument (`name: value`), if given.
    func argumentSpan(_ name: String) -> Span? {
        position(of: name).map { arguments[$0].span }
    }

    /// Reports arguments that no rule asked for.
    func reportUnused(context: ValidationContext) {
        var unnamedSeen = 0
        for arg in arguments where arg.name == nil {
            unnamedSeen += 1
            if unnamedSeen == 1, usedUnnamed { continue }
            if unnamedCount > 1, label == "@unique" || label == "@@unique" || label == "@@index" || label == "@@id" {
                let names = arguments.filter { $0.name == nil }.compactMap { $0.value.map { context.sources.text(of: $0.span) } }
                context.attributeError(argumentLabel, "You provided multiple unnamed arguments. This is not possible. Did you forget the brackets? Did you mean `[\(names.joined(separator: ", "))]`?", attributeSpan)
                return
            }
            context.error("No such argument.", arg.span)
        }
        for i in arguments.indices where valid.contains(i) && !used.contains(i) {
            context.error("No such argument.", arguments[i].span)
        }
    }

    /// A set of argument positions: a bit mask, and a set past 64 (never, in real schemas).
    private struct Positions {
        private var low: UInt64 = 0
        private var high: Set<Int> = []
        mutating func insert(_ i: Int) {
            if i < 64 { low |= 1 << UInt64(i) } else { high.insert(i) }
        }
        func contains(_ i: Int) -> Bool {
            i < 64 ? low & (1 << UInt64(i)) != 0 : high.contains(i)
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
