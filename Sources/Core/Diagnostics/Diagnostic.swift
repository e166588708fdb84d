public enum Severity: String, Sendable, Codable, Comparable {
    case warning
    case error

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// A problem found in a schema: a value with a span until the edge renders it.
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    public var message: String
    public var span: Span
    /// The stage of Prisma's validation that reports it (what orders and filters a schema's
    /// diagnostics as Prisma does: `DiagnosticStage.prismaOrder`).
    public var stage: DiagnosticStage

    public init(severity: Severity, message: String, span: Span, stage: DiagnosticStage = .models) {
        self.severity = severity
        self.message = message
        self.span = span
        self.stage = stage
    }

    public init(error message: String, span: Span, stage: DiagnosticStage = .models) {
        self.init(severity: .error, message: message, span: span, stage: stage)
    }

    public init(warning message: String, span: Span, stage: DiagnosticStage = .models) {
        self.init(severity: .warning, message: message, span: span, stage: stage)
    }
}

/// Prisma validates a schema in stages, in this order, and a stage that found errors ends the
/// run: parsing, then names (duplicate declarations), then types (what each field's type
/// names), then attributes (their arguments and what they refer to, relation fields paired),
/// with the `datasource` and `generator` blocks read alongside; only a schema without errors
/// so far gets the model and relation rules (unique criteria, connector limits, referential
/// actions, …). So a broken attribute is reported, not the consequences further rules would
/// draw from it (a model "without a unique criteria" because its `@id` was rejected).
public enum DiagnosticStage: UInt8, Sendable, Hashable, Comparable, Codable {
    case parse, names, types, attributes, configuration
    /// The rules run model by model (model, field, relation-field and index rules).
    case models
    /// The rules run relation by relation, after every model's.
    case relations

    public static func < (a: DiagnosticStage, b: DiagnosticStage) -> Bool { a.rawValue < b.rawValue }

    /// `diagnostics` as Prisma reports them: stage by stage, each in source order, without the
    /// stages Prisma would not have run. Names are still resolved after parse errors, and the
    /// configuration blocks are always read; a later stage runs only when none before it found
    /// an error.
    public static func prismaOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let firstError = diagnostics.lazy.filter { $0.severity == .error }.map(\.stage).min()
        let last: DiagnosticStage
        switch firstError {
        case .parse?, .names?: last = .names
        case .types?: last = .types
        case .attributes?, .configuration?: last = .configuration
        case .models?, .relations?, nil: last = .relations
        }
        return diagnostics.enumerated()
            .filter { $0.element.stage <= last || $0.element.stage == .configuration }
            .sorted { a, b in
                let (x, y) = (a.element, b.element)
                return (x.stage.rawValue, x.span.file, x.span.start, a.offset) < (y.stage.rawValue, y.span.file, y.span.start, b.offset)
            }
            .map(\.element)
    }
}

/// A diagnostic with its position resolved against the source files, ready for any front end.
public struct ResolvedDiagnostic: Sendable, Hashable, Codable {
    public let severity: Severity
    public let message: String
    public let file: String
    public let line: Int
    public let column: Int
    /// Where the span ends (exclusive; 1-based like `line` and `column`).
    public let endLine: Int
    public let endColumn: Int
    /// The text of the line the diagnostic starts on: all of it, or for a long line the part
    /// around the column, with "…" where it was cut.
    public let sourceLine: String
    /// How many characters of `sourceLine` come before the caret (`column - 1` for a whole line).
    public let caretOffset: Int
    /// Number of columns the caret underline covers (at least 1).
    public let caretLength: Int

    public init(_ d: Diagnostic, in sources: SourceSet) {
        severity = d.severity
        message = d.message
        guard let src = sources.file(of: d.span) else {
            file = sources.files.first?.path ?? "schema.prisma"
            line = 1; column = 1; endLine = 1; endColumn = 1; sourceLine = ""; caretOffset = 0; caretLength = 1
            return
        }
        file = src.path
        let loc = src.location(of: d.span.start)
        line = loc.line
        column = loc.column
        let end = src.location(of: max(d.span.start, d.span.end))
        endLine = end.line
        endColumn = end.column
        (sourceLine, caretOffset) = src.lineExcerpt(loc.line, around: d.span.start)
        // The caret covers the span on this line, within the excerpt.
        let lineEnd = src.lineStarts.count > loc.line ? src.lineStarts[loc.line] : src.bytes.count
        var scalars = 0, i = max(0, d.span.start)
        while i < min(d.span.end, lineEnd, src.bytes.count) {
            if src.bytes[i] & 0xC0 != 0x80, src.bytes[i] != UInt8(ascii: "\n"), src.bytes[i] != UInt8(ascii: "\r") { scalars += 1 }
            i += 1
        }
        caretLength = max(1, min(scalars, sourceLine.unicodeScalars.count - caretOffset))
    }

    /// `path:line:col: error: message`, then the source line and a caret under the span.
    public func rendered() -> String {
        var out = "\(file):\(line):\(column): \(severity.rawValue): \(message)\n"
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        out += "\(pad) |\n"
        out += "\(gutter) | \(sourceLine)\n"
        // Keep tabs so the caret lines up under tab-indented source.
        var prefix = ""
        for (i, ch) in sourceLine.unicodeScalars.enumerated() where i < caretOffset {
            prefix.unicodeScalars.append(ch == "\t" ? "\t" : " ")
        }
        let width = min(caretLength, max(1, sourceLine.unicodeScalars.count - caretOffset))
        out += "\(pad) | \(prefix)\(String(repeating: "^", count: width))\n"
        return out
    }
}

public extension Array where Element == Diagnostic {
    var hasErrors: Bool { contains { $0.severity == .error } }
    var errors: [Diagnostic] { filter { $0.severity == .error } }
    var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}
