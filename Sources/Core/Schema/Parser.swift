/// Recursive-descent parser for the Prisma Schema Language.
///
/// The grammar is line-oriented: every block member ends at a newline, so the
/// parser recovers from a bad line by reporting it and skipping to the next one.
/// It never fails; it returns whatever it could build plus every error it saw.
public struct Parser {
    private var tokens: [Token]
    private var index = 0
    private let file: Int
    public private(set) var diagnostics: [Diagnostic] = []
    /// How deep the expression being parsed nests (arrays and function arguments).
    private var expressionDepth = 0
    /// The end of the closing brace of the last top-level block closed, or -1.
    private(set) var closedBlockAt = -1

    /// The deepest nesting of arrays and function calls an expression may have. Deeper input
    /// is refused with an error instead of being parsed (the parser and everything that walks
    /// the tree recurse, so an unbounded depth would overflow the stack); real schemas nest a
    /// few levels.
    public static let maxExpressionDepth = 128

    public static func parse(_ source: SourceFile, fileIndex: Int = 0) -> (ast: SchemaAST, diagnostics: [Diagnostic]) {
        let part = ParallelParse.parse(source, fileIndex: fileIndex) ?? parse(source, fileIndex: fileIndex, range: 0..<source.bytes.count)
        return (SchemaAST(tops: part.tops), part.lexDiagnostics + part.diagnostics)
    }

    /// What parsing a part of a file found (`closedBlockAt`: the end of the last top-level
    /// block's closing brace, -1 when none).
    struct Part {
        var tops: [TopLevel]
        var lexDiagnostics: [Diagnostic]
        var diagnostics: [Diagnostic]
        var closedBlockAt: Int
    }

    /// Parses `range` of a file as if it were the whole file.
    static func parse(_ source: SourceFile, fileIndex: Int, range: Range<Int>) -> Part {
        let (tokens, lexDiagnostics) = Lexer.tokenize(source, fileIndex: fileIndex, range: range)
        var parser = Parser(tokens: tokens, file: fileIndex)
        let tops = parser.parseTopLevel()
        return Part(tops: tops, lexDiagnostics: lexDiagnostics, diagnostics: parser.diagnostics, closedBlockAt: parser.closedBlockAt)
    }

    /// A declaration's doc comment lines as one text (nil: none; one line is taken as it is).
    static func documentation(_ lines: [String]) -> String? {
        lines.count > 1 ? lines.joined(separator: "\n") : lines.first
    }

    /// Parses every file of a source set into one AST.
    public static func parse(_ sources: SourceSet) -> (ast: SchemaAST, diagnostics: [Diagnostic]) {
        var tops: [TopLevel] = []
        var diags: [Diagnostic] = []
        for (i, f) in sources.files.enumerated() {
            var r = parse(f, fileIndex: i)
            tops.appendTaking(&r.ast.tops) // (one file's list is taken, not copied)
            diags += r.diagnostics
        }
        return (SchemaAST(tops: tops), diags)
    }

    private init(tokens: [Token], file: Int) {
        self.tokens = tokens
        self.file = file
    }

    // MARK: - token helpers

    private var current: Token { tokens[index] }
    private func peek(_ k: Int = 1) -> Token { tokens[min(index + k, tokens.count - 1)] }
    private var atEnd: Bool { current.kind == .eof }

    @discardableResult
    private mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private mutating func skipInlineComments() {
        while current.kind == .blockComment { advance() }
    }

    /// Whether the rest of the line is empty (a comment may follow).
    private func atLineEnd() -> Bool {
        var k = index
        while tokens[k].kind == .blockComment || tokens[k].kind == .comment || tokens[k].kind == .docComment { k += 1 }
        return tokens[k].kind == .newline || tokens[k].kind == .eof
    }

    /// Skips to just after the next newline and returns the span from `start` to the end of that line.
    @discardableResult
    private mutating func skipLine(from start: Int) -> Span {
        var end = start
        while !atEnd, current.kind != .newline {
            end = current.span.end
            advance()
        }
        if current.kind == .newline {
            end = current.span.end
            advance()
        }
        return Span(file: file, start: start, end: max(end, start))
    }

    private mutating func error(_ message: String, _ span: Span) {
        diagnostics.append(Diagnostic(error: message, span: span))
    }

    // MARK: - top level

    private static let invalidLine = "Error validating: This line is invalid. It does not start with any known Prisma schema keyword."
    private static let invalidBlock = "Error validating: This block is invalid. It does not start with any known Prisma schema keyword. Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'."

    private mutating func parseTopLevel() -> [TopLevel] {
        var tops: [TopLevel] = []
        var docs: [String] = []
        var previousWasNewline = true
        while !atEnd {
            let t = current
            switch t.kind {
            case .newline:
                if previousWasNewline { docs.removeAll() }
                previousWasNewline = true
                advance()
                continue
            case .docComment:
                docs.append(t.value)
                advance()
                if current.kind == .newline { advance() }
                previousWasNewline = true
                continue
            case .comment, .blockComment:
                advance()
                continue
            case .identifier:
                let doc = Parser.documentation(docs)
                docs.removeAll()
                if let top = parseBlock(doc: doc) { tops.append(top) }
            default:
                docs.removeAll()
                let span = skipLine(from: t.span.start)
                error(Parser.invalidLine, span)
            }
            previousWasNewline = false
        }
        return tops
    }

    private mutating func parseBlock(doc: String?) -> TopLevel? {
        let keyword = advance()
        skipInlineComments()
        // `Name {` with no keyword
        if current.kind == .lbrace {
            let end = skipBlockBody()
            error(Parser.invalidBlock, Span(file: file, start: keyword.span.start, end: end))
            return nil
        }
        let known = ["model", "view", "type", "enum", "datasource", "generator"]
        guard known.contains(keyword.value), current.kind == .identifier else {
            error(Parser.invalidLine, skipLine(from: keyword.span.start))
            return nil
        }
        let nameToken = advance()
        let name = Identifier(nameToken.value, span: nameToken.span)
        skipInlineComments()
        if keyword.value == "type", current.kind == .equals {
            let span = skipLine(from: keyword.span.start)
            error("Error validating: Invalid type definition. Please check the documentation in https://pris.ly/d/composite-types", span)
            return nil
        }
        guard current.kind == .lbrace else {
            error(Parser.invalidLine, skipLine(from: keyword.span.start))
            return nil
        }
        advance()
        // Anything up to the end of the opening line is swallowed.
        while !atEnd, current.kind != .newline { advance() }
        switch keyword.value {
        case "enum":
            return .enumeration(parseEnumBody(keyword: keyword, name: name, doc: doc))
        case "datasource", "generator":
            let kind: ConfigKind = keyword.value == "datasource" ? .datasource : .generator
            return .config(parseConfigBody(kind: kind, keyword: keyword, name: name, doc: doc))
        default:
            let kind = ContainerKind(rawValue: keyword.value) ?? .model
            return .model(parseModelBody(kind: kind, keyword: keyword, name: name, doc: doc))
        }
    }

    /// Skips a `{ … }` block (for error recovery) and returns the end offset.
    private mutating func skipBlockBody() -> Int {
        var depth = 0
        var end = current.span.end
        while !atEnd {
            let t = advance()
            end = t.span.end
            if t.kind == .lbrace { depth += 1 }
            if t.kind == .rbrace {
                depth -= 1
                if depth <= 0 { break }
            }
        }
        if current.kind == .newline { end = current.span.end; advance() }
        return end
    }

    /// Consumes blank lines and comments inside a block, collecting doc comments.
    /// Returns false at the closing brace or at end of input.
    private mutating func nextMemberLine(docs: inout [String]) -> Bool {
        while !atEnd {
            switch current.kind {
            case .newline:
                if index > 0, tokens[index - 1].kind == .newline { docs.removeAll() }
                advance()
            case .comment, .blockComment:
                advance()
            case .docComment:
                docs.append(current.value)
                advance()
            case .rbrace:
                return false
            default:
                return true
            }
        }
        return false
    }

    /// Consumes the closing brace (if present) and returns the block's end offset.
    private mutating func closeBlock(start: Token) -> Int {
        if current.kind == .rbrace {
            let end = current.span.end
            closedBlockAt = end
            advance()
            while !atEnd, current.kind != .newline { advance() }
            return end
        }
        error(Parser.invalidLine, Span(file: file, start: start.span.start, end: start.span.end))
        return current.span.start
    }

    // MARK: - models, views, composite types

    private mutating func parseModelBody(kind: ContainerKind, keyword: Token, name: Identifier, doc: String?) -> ModelDeclaration {
        var fields: [FieldDeclaration] = []
        var attributes: [Attribute] = []
        var docs: [String] = []
        let containerLabel: String
        switch kind {
        case .model: containerLabel = "model"
        case .view: containerLabel = "view"
        case .type: containerLabel = "composite type"
        }
        while nextMemberLine(docs: &docs) {
            let lineStart = current.span.start
            let fieldDoc = Parser.documentation(docs)
            docs.removeAll()
            if current.kind == .atAt {
                if let attr = parseAttribute(), atLineEnd() {
                    attributes.append(attr)
                    skipLine(from: lineStart)
                } else {
                    error("Error validating: This line is not a valid field or attribute definition.", skipLine(from: lineStart))
                }
                continue
            }
            guard current.kind == .identifier else {
                error("Error validating: This line is not a valid field or attribute definition.", skipLine(from: lineStart))
                continue
            }
            let errorCount = diagnostics.count
            if let field = parseField(doc: fieldDoc, containerLabel: containerLabel, containerName: name.name) {
                fields.append(field)
            } else if diagnostics.count == errorCount {
                error("Error validating: This line is not a valid field or attribute definition.", skipLine(from: lineStart))
            }
        }
        let end = closeBlock(start: keyword)
        return ModelDeclaration(kind: kind, name: name, fields: fields, attributes: attributes,
                                documentation: doc, span: Span(file: file, start: keyword.span.start, end: end))
    }

    /// `containerLabel` and `containerName` name the block in an error ("model \"User\"").
    private mutating func parseField(doc: String?, containerLabel: String, containerName: String) -> FieldDeclaration? {
        let nameToken = advance()
        let start = nameToken.span.start
        let name = Identifier(nameToken.value, span: nameToken.span)
        skipInlineComments()
        if current.kind == .colon {
            error("Field declarations don't require a `:`.", current.span)
            advance()
        }
        // field type
        var type: FieldTypeExpression
        var arity = FieldArity.required
        switch current.kind {
        case .lbracket:
            let open = advance()
            if current.kind == .identifier, peek().kind == .rbracket {
                let typeName = advance()
                let close = advance()
                error("To specify a list, please use `Type[]` instead of `[Type]`.", Span(file: file, start: open.span.start, end: close.span.end))
                type = .named(typeName.value, typeName.span)
                arity = .list
            } else {
                skipLine(from: start)
                error("Error validating: This line is not a valid field or attribute definition.", Span(file: file, start: start, end: open.span.end))
                return nil
            }
        case .identifier:
            let typeToken = advance()
            if typeToken.value == "Unsupported", current.kind == .lparen {
                advance()
                var value = ""
                if current.kind == .string { value = advance().value }
                if current.kind == .rparen { advance() }
                type = .unsupported(value, Span(file: file, start: typeToken.span.start, end: tokens[index - 1].span.end))
            } else {
                type = .named(typeToken.value, typeToken.span)
            }
            if current.kind == .lbracket, peek().kind == .rbracket {
                advance()
                advance()
                arity = .list
                if current.kind == .question {
                    let q = advance()
                    error("Optional lists are not supported. Use either `Type[]` or `Type?`.", Span(file: file, start: typeToken.span.start, end: q.span.end))
                }
            } else if current.kind == .question {
                advance()
                arity = .optional
            } else if current.kind == .bang {
                advance()
                error("Fields are required by default, `!` is no longer required.", typeToken.span)
            }
        default:
            // missing type
            if current.kind == .at || atLineEnd() {
                let span = skipLine(from: start)
                error("Error validating \(containerLabel) \"\(containerName)\": This field declaration is invalid. It is either missing a name or a type.", span)
                return nil
            }
            skipLine(from: start)
            error("Error validating: This line is not a valid field or attribute definition.", Span(file: file, start: start, end: nameToken.span.end))
            return nil
        }
        var attributes: [Attribute] = []
        while true {
            skipInlineComments()
            if current.kind == .at {
                guard let attr = parseAttribute() else {
                    skipLine(from: start)
                    return nil
                }
                attributes.append(attr)
                continue
            }
            break
        }
        if !atLineEnd() {
            // Garbage after the field.
            skipLine(from: start)
            error("Error validating: This line is not a valid field or attribute definition.", Span(file: file, start: start, end: nameToken.span.end))
            return nil
        }
        // Field span runs to the end of the line, newline included.
        let span = skipLine(from: start)
        return FieldDeclaration(name: name, type: type, arity: arity, attributes: attributes, documentation: doc, span: span)
    }

    // MARK: - attributes and expressions

    /// Parses `@name(args)` or `@@name(args)` starting at the `@`/`@@` token.
    private mutating func parseAttribute() -> Attribute? {
        let at = advance()
        guard current.kind == .identifier, current.span.start == at.span.end else {
            error("Error validating: This line is not a valid field or attribute definition.", at.span)
            return nil
        }
        // (Most names have one part: no list is made for them.)
        let first = advance()
        var name = first.value
        var nameEnd = first.span.end
        while current.kind == .dot, peek().kind == .identifier {
            advance()
            let part = advance()
            name += "." + part.value
            nameEnd = part.span.end
        }
        let nameSpan = Span(file: file, start: first.span.start, end: nameEnd)
        if current.kind == .lparen {
            // (Named with one `@` in its messages, `@@map` too, as Prisma writes it.)
            guard let args = parseArgumentList(attributeName: name) else { return nil }
            return Attribute(name: name, nameSpan: nameSpan, arguments: args, hasParentheses: true,
                             span: Span(file: file, start: at.span.start, end: args.span.end))
        }
        return Attribute(name: name, nameSpan: nameSpan, arguments: .empty(Span(file: file, start: nameSpan.end, end: nameSpan.end)),
                         hasParentheses: false, span: Span(file: file, start: at.span.start, end: nameSpan.end))
    }

    private mutating func skipNewlines() {
        while current.kind == .newline || current.kind == .comment || current.kind == .blockComment || current.kind == .docComment { advance() }
    }

    /// `( arg, arg, … ,? )`
    /// `attributeName` without its `@` (named with one `@` in messages, as Prisma does).
    private mutating func parseArgumentList(attributeName: String) -> ArgumentList? {
        let open = advance()
        var args: [AttributeArgument] = []
        var trailing: Span?
        skipNewlines()
        while current.kind != .rparen {
            if atEnd { return nil }
            let argStart = current.span.start
            var argName: Identifier?
            if current.kind == .identifier, peek().kind == .colon {
                let n = advance()
                argName = Identifier(n.value, span: n.span)
                advance()
                skipInlineComments()
            }
            var value: Expression?
            if current.kind == .comma || current.kind == .rparen {
                if argName == nil { return nil }
            } else {
                guard let v = parseExpression() else { return nil }
                value = v
            }
            let argEnd = tokens[index - 1].span.end
            args.append(AttributeArgument(name: argName, value: value, span: Span(file: file, start: argStart, end: argEnd)))
            skipNewlines()
            if current.kind == .comma {
                let comma = advance()
                skipNewlines()
                if current.kind == .rparen { trailing = comma.span }
            } else if current.kind != .rparen {
                return nil
            }
        }
        let close = advance()
        if let trailing {
            error("Error parsing attribute \"@\(attributeName)\": Trailing commas are not valid in attribute arguments, please remove the comma.", trailing)
        }
        return ArgumentList(arguments: args, trailingComma: trailing, span: Span(file: file, start: open.span.start, end: close.span.end))
    }

    private mutating func parseExpression() -> Expression? {
        skipInlineComments()
        let t = current
        // Arrays and calls nest (an identifier may be a call).
        let nests = t.kind == .lbracket || t.kind == .lbrace || t.kind == .identifier
        if nests {
            guard expressionDepth < Self.maxExpressionDepth else {
                error("Error parsing: this expression nests deeper than \(Self.maxExpressionDepth) levels of brackets and calls, the limit.", t.span)
                // Nothing of this line is parsed further: its tokens are skipped by the caller's recovery.
                return nil
            }
            expressionDepth += 1
        }
        defer { if nests { expressionDepth -= 1 } }
        switch t.kind {
        case .string:
            advance()
            return .string(t.value, t.span)
        case .number:
            advance()
            return .number(t.value, t.span)
        case .lbracket:
            guard let (items, end) = parseSeparated(closing: .rbracket, { $0.parseExpression() }) else { return nil }
            return .array(items, Span(file: file, start: t.span.start, end: end))
        case .lbrace:
            // `{ key: value, … }` (a partial index's `where:` condition).
            let entry = { (p: inout Parser) -> ObjectEntry? in
                guard p.current.kind == .identifier || p.current.kind == .string, p.peek().kind == .colon else { return nil }
                let keyToken = p.advance()
                p.advance() // the colon
                p.skipNewlines()
                guard let value = p.parseExpression() else { return nil }
                return ObjectEntry(key: Identifier(keyToken.value, span: keyToken.span), value: value)
            }
            guard let (entries, end) = parseSeparated(closing: .rbrace, entry) else { return nil }
            return .object(entries, Span(file: file, start: t.span.start, end: end))
        case .identifier:
            // (Most paths have one part: no list is made for them.)
            var path = advance().value
            var pathEnd = t.span.end
            while current.kind == .dot, peek().kind == .identifier {
                advance()
                let part = advance()
                path += "." + part.value
                pathEnd = part.span.end
            }
            let pathSpan = Span(file: file, start: t.span.start, end: pathEnd)
            if current.kind == .lparen {
                guard let args = parseArgumentList(attributeName: "default") else { return nil }
                return .function(name: path, arguments: args, span: Span(file: file, start: t.span.start, end: args.span.end))
            }
            return .constant(path, pathSpan)
        default:
            return nil
        }
    }

    /// Items separated by commas (newlines allowed around them) up to `closing`, after the opening
    /// bracket or brace: the items and the end of the closing token (nil: an item did not parse).
    private mutating func parseSeparated<Item>(closing: TokenKind, _ item: (inout Parser) -> Item?) -> ([Item], Int)? {
        advance() // the opening bracket or brace
        var items: [Item] = []
        skipNewlines()
        while current.kind != closing {
            guard let i = item(&self) else { return nil }
            items.append(i)
            skipNewlines()
            if current.kind == .comma {
                advance()
                skipNewlines()
            } else if current.kind != closing {
                return nil
            }
        }
        return (items, advance().span.end)
    }

    // MARK: - enums

    private mutating func parseEnumBody(keyword: Token, name: Identifier, doc: String?) -> EnumDeclaration {
        var values: [EnumValueDeclaration] = []
        var attributes: [Attribute] = []
        var docs: [String] = []
        while nextMemberLine(docs: &docs) {
            let lineStart = current.span.start
            let valueDoc = Parser.documentation(docs)
            docs.removeAll()
            if current.kind == .atAt {
                if let attr = parseAttribute(), atLineEnd() {
                    attributes.append(attr)
                    skipLine(from: lineStart)
                } else {
                    error("Error validating: This line is not a valid field or attribute definition.", skipLine(from: lineStart))
                }
                continue
            }
            if current.kind == .number, peek().kind == .identifier || atLineEndAfterOne() {
                error("Error validating: The name of a Enum Value must not start with a number.", skipLine(from: lineStart))
                continue
            }
            guard current.kind == .identifier else {
                error("Error validating: This line is not a valid enum value definition.", skipLine(from: lineStart))
                continue
            }
            let valueToken = advance()
            if valueToken.value.startsWithNumber {
                error("Error validating: The name of a Enum Value must not start with a number.", skipLine(from: lineStart))
                continue
            }
            if valueToken.value.utf8.contains(UInt8(ascii: "-")) {
                error("Error validating: The character `-` is not allowed in Enum Value names.", skipLine(from: lineStart))
                continue
            }
            var attrs: [Attribute] = []
            var ok = true
            while true {
                skipInlineComments()
                guard current.kind == .at else { break }
                guard let a = parseAttribute() else { ok = false; break }
                attrs.append(a)
            }
            if !ok || !atLineEnd() {
                error("Error validating: This line is not a valid enum value definition.", skipLine(from: lineStart))
                continue
            }
            let span = skipLine(from: lineStart)
            values.append(EnumValueDeclaration(name: Identifier(valueToken.value, span: valueToken.span),
                                               attributes: attrs, documentation: valueDoc, span: span))
        }
        let end = closeBlock(start: keyword)
        return EnumDeclaration(name: name, values: values, attributes: attributes, documentation: doc,
                               span: Span(file: file, start: keyword.span.start, end: end))
    }

    private func atLineEndAfterOne() -> Bool {
        let k = peek().kind
        return k == .newline || k == .eof || k == .comment
    }

    // MARK: - datasource / generator

    private mutating func parseConfigBody(kind: ConfigKind, keyword: Token, name: Identifier, doc: String?) -> ConfigBlock {
        var properties: [ConfigProperty] = []
        var docs: [String] = []
        while nextMemberLine(docs: &docs) {
            let lineStart = current.span.start
            docs.removeAll()
            if current.kind == .identifier, peek().kind == .equals {
                let key = advance()
                advance()
                skipInlineComments()
                var value: Expression?
                if !atLineEnd() {
                    value = parseExpression()
                    if value == nil || !atLineEnd() {
                        error("Error validating: This line is not a valid definition within a \(kind.rawValue).", skipLine(from: lineStart))
                        continue
                    }
                }
                let end = tokens[index - 1].span.end
                skipLine(from: lineStart)
                properties.append(ConfigProperty(name: Identifier(key.value, span: key.span), value: value,
                                                 span: Span(file: file, start: lineStart, end: end)))
            } else {
                error("Error validating: This line is not a valid definition within a \(kind.rawValue).", skipLine(from: lineStart))
            }
        }
        let end = closeBlock(start: keyword)
        return ConfigBlock(kind: kind, name: name, properties: properties, documentation: doc,
                           span: Span(file: file, start: keyword.span.start, end: end))
    }
}
