/// Turns one source file into tokens. Never fails: bad input becomes `.unknown`
/// tokens or lexical diagnostics, and the parser decides what to report.
///
/// The lexer reads the file's bytes through a pointer that is valid only inside `tokenize`
/// (no bounds checks or reference counting per byte read).
public struct Lexer {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let file: Int
    private var pos = 0
    /// Where lexing stops (the end of the file, or of the part being lexed).
    private let end: Int
    private(set) var diagnostics: [Diagnostic] = []

    /// Lexes `range` of `bytes` (offsets stay the file's); `range` must start at the start of a
    /// line outside any block comment.
    private init(bytes: UnsafeBufferPointer<UInt8>, fileIndex: Int, range: Range<Int>) {
        self.bytes = bytes
        self.file = fileIndex
        self.pos = range.lowerBound
        self.end = min(range.upperBound, bytes.count)
    }

    public static func tokenize(_ source: SourceFile, fileIndex: Int) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        tokenize(source, fileIndex: fileIndex, range: 0..<source.bytes.count)
    }

    static func tokenize(_ source: SourceFile, fileIndex: Int, range: Range<Int>) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        source.bytes.withUnsafeBufferPointer { bytes in
            var lexer = Lexer(bytes: bytes, fileIndex: fileIndex, range: range)
            var tokens: [Token] = []
            tokens.reserveCapacity(range.count / 4)
            while true {
                let t = lexer.next()
                tokens.append(t)
                if t.kind == .eof { break }
            }
            return (tokens, lexer.diagnostics)
        }
    }

    private func peek(_ k: Int = 0) -> UInt8? {
        let i = pos + k
        return i < end ? bytes[i] : nil
    }

    private func span(_ start: Int) -> Span { Span(file: file, start: start, end: pos) }

    private func text(_ start: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self) }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b >= 0x80
    }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isIdentContinue(_ b: UInt8) -> Bool {
        isIdentStart(b) || isDigit(b) || b == UInt8(ascii: "-")
    }

    /// Unicode space separators other than ASCII space/tab, as UTF-8 prefixes we accept as whitespace.
    private func unicodeSpaceLength() -> Int {
        guard let b0 = peek() else { return 0 }
        if b0 == 0xC2, peek(1) == 0xA0 { return 2 } // U+00A0
        if b0 == 0xE2, peek(1) == 0x80, let b2 = peek(2), (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xAF { return 3 }
        if b0 == 0xE3, peek(1) == 0x80, peek(2) == 0x80 { return 3 } // U+3000
        if b0 == 0xE1, peek(1) == 0x9A, peek(2) == 0x80 { return 3 } // U+1680
        if b0 == 0xE2, peek(1) == 0x81, peek(2) == 0x9F { return 3 } // U+205F
        if b0 == 0xEF, peek(1) == 0xBB, peek(2) == 0xBF { return 3 } // BOM
        return 0
    }

    private mutating func next() -> Token {
        // skip horizontal whitespace
        while let b = peek() {
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { pos += 1; continue }
            let u = unicodeSpaceLength()
            if u > 0 { pos += u; continue }
            break
        }
        let start = pos
        guard let b = peek() else {
            return Token(kind: .eof, span: span(start), value: "")
        }
        switch b {
        case UInt8(ascii: "\n"):
            pos += 1
            return Token(kind: .newline, span: span(start), value: "\n")
        case UInt8(ascii: "\r"):
            pos += 1
            if peek() == UInt8(ascii: "\n") { pos += 1 }
            return Token(kind: .newline, span: span(start), value: "\n")
        case UInt8(ascii: "/"):
            if peek(1) == UInt8(ascii: "/") {
                let isDoc = peek(2) == UInt8(ascii: "/")
                while let c = peek(), c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") { pos += 1 }
                if isDoc {
                    var from = start + 3
                    if from < pos, bytes[from] == UInt8(ascii: " ") { from += 1 }
                    return Token(kind: .docComment, span: span(start), value: String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<pos]), as: UTF8.self))
                }
                return Token(kind: .comment, span: span(start), value: text(start))
            }
            if peek(1) == UInt8(ascii: "*") {
                pos += 2
                while pos < end {
                    if bytes[pos] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") { pos += 2; break }
                    pos += 1
                }
                return Token(kind: .blockComment, span: span(start), value: text(start))
            }
            pos += 1
            return Token(kind: .unknown, span: span(start), value: "/")
        case UInt8(ascii: "\""):
            return lexString()
        case UInt8(ascii: "@"):
            if peek(1) == UInt8(ascii: "@") {
                pos += 2
                return Token(kind: .atAt, span: span(start), value: "@@")
            }
            pos += 1
            return Token(kind: .at, span: span(start), value: "@")
        default:
            break
        }
        if let (kind, value) = Lexer.punctuation(b) {
            pos += 1
            return Token(kind: kind, span: span(start), value: value)
        }
        if Lexer.isDigit(b) || (b == UInt8(ascii: "-") && peek(1).map(Lexer.isDigit) == true) {
            let negative = b == UInt8(ascii: "-")
            if negative { pos += 1 }
            while let c = peek(), Lexer.isDigit(c) { pos += 1 }
            if peek() == UInt8(ascii: "."), let d = peek(1), Lexer.isDigit(d) {
                pos += 1
                while let c = peek(), Lexer.isDigit(c) { pos += 1 }
                return Token(kind: .number, span: span(start), value: text(start))
            }
            if !negative, let c = peek(), Lexer.isIdentStart(c) || c == UInt8(ascii: "-") {
                while let c = peek(), Lexer.isIdentContinue(c) { pos += 1 }
                return Token(kind: .identifier, span: span(start), value: text(start))
            }
            return Token(kind: .number, span: span(start), value: text(start))
        }
        if Lexer.isIdentStart(b) {
            while let c = peek(), Lexer.isIdentContinue(c) {
                if c >= 0x80, unicodeSpaceLength() > 0 { break }
                pos += 1
            }
            return Token(kind: .identifier, span: span(start), value: text(start))
        }
        // Unknown character: consume one whole UTF-8 scalar.
        pos += 1
        while let c = peek(), c & 0xC0 == 0x80 { pos += 1 }
        return Token(kind: .unknown, span: span(start), value: text(start))
    }

    /// A punctuation byte's kind and text (a literal: no string is decoded per token).
    private static func punctuation(_ b: UInt8) -> (TokenKind, String)? {
        switch b {
        case UInt8(ascii: "{"): return (.lbrace, "{")
        case UInt8(ascii: "}"): return (.rbrace, "}")
        case UInt8(ascii: "("): return (.lparen, "(")
        case UInt8(ascii: ")"): return (.rparen, ")")
        case UInt8(ascii: "["): return (.lbracket, "[")
        case UInt8(ascii: "]"): return (.rbracket, "]")
        case UInt8(ascii: ","): return (.comma, ",")
        case UInt8(ascii: ":"): return (.colon, ":")
        case UInt8(ascii: "="): return (.equals, "=")
        case UInt8(ascii: "?"): return (.question, "?")
        case UInt8(ascii: "!"): return (.bang, "!")
        case UInt8(ascii: "."): return (.dot, ".")
        default: return nil
        }
    }

    private mutating func lexString() -> Token {
        let start = pos
        pos += 1
        // Most strings have no escapes: their text is the bytes between the quotes.
        var k = pos
        while k < end, bytes[k] != UInt8(ascii: "\""), bytes[k] != UInt8(ascii: "\\"), bytes[k] != UInt8(ascii: "\n"), bytes[k] != UInt8(ascii: "\r") { k += 1 }
        if k < end, bytes[k] == UInt8(ascii: "\"") {
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[pos..<k]), as: UTF8.self)
            pos = k + 1
            return Token(kind: .string, span: span(start), value: value)
        }
        var out: [UInt8] = []
        var terminated = false
        while let c = peek() {
            if c == UInt8(ascii: "\"") { pos += 1; terminated = true; break }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
            if c == UInt8(ascii: "\\") {
                let escStart = pos
                pos += 1
                guard let e = peek() else { break }
                pos += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "0"): out.append(0x00)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"): out.append(e)
                case UInt8(ascii: "u"):
                    if let scalar = readUnicodeEscape() {
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    } else {
                        diagnostics.append(Diagnostic(error: "Invalid unicode escape sequence.",
                                                      span: Span(file: file, start: escStart, end: pos)))
                    }
                default:
                    out.append(UInt8(ascii: "\\"))
                    out.append(e)
                }
                continue
            }
            out.append(c)
            pos += 1
        }
        let value = String(decoding: out, as: UTF8.self)
        return Token(kind: terminated ? .string : .unknown, span: span(start), value: value)
    }

    /// Reads the hex digits after `\u` (4 digits, surrogate pairs combined). Consumes what it reads.
    private mutating func readUnicodeEscape() -> Unicode.Scalar? {
        func hex4() -> UInt32? {
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let c = peek(k) else { return nil }
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v * 16 + d
            }
            pos += 4
            return v
        }
        guard let hi = hex4() else {
            while let c = peek(), c != UInt8(ascii: "\""), c != UInt8(ascii: "\\"), c != UInt8(ascii: "\n"), Lexer.isIdentContinue(c) || Lexer.isDigit(c) { pos += 1 }
            return nil
        }
        if (0xD800...0xDBFF).contains(hi) {
            if peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
                pos += 2
                if let lo = hex4(), (0xDC00...0xDFFF).contains(lo) {
                    return Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                }
            }
            return nil
        }
        return Unicode.Scalar(hi)
    }
}
