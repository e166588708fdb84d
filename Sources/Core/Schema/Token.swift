/// The kinds of token the lexer produces. Whitespace (spaces, tabs) is dropped;
/// newlines and comments are kept because the Prisma grammar is line-oriented.
public enum TokenKind: Sendable, Equatable {
    case identifier
    case number
    /// A string literal; the token's `value` holds the decoded contents.
    case string
    case newline
    /// `// …` (not `///`).
    case comment
    /// `/// …`; `value` holds the text after the slashes, one leading space removed.
    case docComment
    /// `/* … */`
    case blockComment
    case lbrace, rbrace, lparen, rparen, lbracket, rbracket
    case comma, colon, equals, question, bang, dot
    case at, atAt
    /// Any other character (or an unterminated string).
    case unknown
    case eof
}

public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var span: Span
    /// Decoded value for strings and doc comments; the raw text for other kinds.
    public var value: String
    public init(kind: TokenKind, span: Span, value: String) {
        self.kind = kind
        self.span = span
        self.value = value
    }
}

extension String {
    /// Whether the first character is a number (Unicode's definition, as `Character.isNumber`);
    /// an ASCII first byte is answered without building a `Character`.
    var startsWithNumber: Bool {
        guard let b = utf8.first else { return false }
        if b < 0x80 { return b >= 0x30 && b <= 0x39 }
        return first?.isNumber == true
    }
}
