/// Places inside a declaration's source text that the model does not keep (an attribute's
/// `@name(…)`, an argument's `name: value`), found when a diagnostic needs one.
enum SourcePlaces {
    /// The first occurrence of `needle` inside `span`'s source text, or `span` itself.
    static func first(_ needle: String, in span: Span, _ ctx: ValidationContext) -> Span {
        let text = ctx.sources.text(of: span)
        guard let r = text.range(of: needle) else { return span }
        let offset = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
        return Span(file: span.file, start: span.start + offset, end: span.start + offset + needle.utf8.count)
    }

    /// The span of `@name(…)` inside a field's span.
    static func attribute(_ name: String, in span: Span, _ ctx: ValidationContext) -> Span? {
        let bytes = Array(ctx.sources.text(of: span).utf8)
        let needle = Array("@\(name)".utf8)
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == UInt8(ascii: "@"), Array(bytes[i..<(i + needle.count)]) == needle,
               i + needle.count == bytes.count || !isIdentifierByte(bytes[i + needle.count]) {
                // To the closing parenthesis of its arguments, if it has some.
                var end = i + needle.count
                if end < bytes.count, bytes[end] == UInt8(ascii: "(") { end = closing(bytes, from: end) }
                return Span(file: span.file, start: span.start + i, end: span.start + end)
            }
            i += 1
        }
        return nil
    }

    /// The span of the argument `name: value` inside an attribute's span.
    static func argument(_ name: String, in span: Span, _ ctx: ValidationContext) -> Span? {
        let bytes = Array(ctx.sources.text(of: span).utf8)
        let needle = Array(name.utf8)
        var i = 0, depth = 0, inString = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            default:
                // `name` as a whole word directly inside the attribute's parentheses, then `:`.
                if depth == 1, i + needle.count <= bytes.count, Array(bytes[i..<(i + needle.count)]) == needle,
                   i == 0 || !isIdentifierByte(bytes[i - 1]) {
                    var j = i + needle.count
                    while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
                    if j < bytes.count, bytes[j] == UInt8(ascii: ":") {
                        return Span(file: span.file, start: span.start + i, end: span.start + valueEnd(bytes, from: j + 1))
                    }
                }
            }
            i += 1
        }
        return nil
    }

    /// The text of a string argument (`map: "name"`), unquoted.
    static func stringValue(of argument: Span, _ ctx: ValidationContext) -> String? {
        let text = ctx.sources.text(of: argument)
        guard let open = text.firstIndex(of: "\""), let close = text.lastIndex(of: "\""), open < close else { return nil }
        return String(text[text.index(after: open)..<close])
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b >= 0x80
    }

    /// Just past the parenthesis that closes the one at `open`.
    private static func closing(_ bytes: [UInt8], from open: Int) -> Int {
        var depth = 0, i = open, inString = false
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "(") {
                depth += 1
            } else if b == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return bytes.count
    }

    /// The end of an argument's value starting after its `:` (a string, or up to `,` or `)`).
    private static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            var j = i + 1
            while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
            return min(j + 1, bytes.count)
        }
        var depth = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") { depth += 1 }
            if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") {
                if depth == 0 { break }
                depth -= 1
            }
            if b == UInt8(ascii: ","), depth == 0 { break }
            i += 1
        }
        while i > start, bytes[i - 1] == UInt8(ascii: " ") { i -= 1 }
        return i
    }
}
