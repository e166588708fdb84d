import Foundation

/// The one place that decides how model names become file names, identifiers
/// and URL segments. Every emitter (routes, app mounts, OpenAPI, tests) uses it.
public enum Naming {
    /// Whether `needle` occurs in `haystack`, byte for byte (no Foundation string search: this
    /// runs for every field).
    static func containsASCII(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { h in
            n.withUTF8 { n in
                guard !n.isEmpty else { return true }
                return ByteSearch.first(n, in: h, from: 0) != nil
            }
        }
    }

    /// Words of an identifier: `UserDimensionScore` → user, dimension, score;
    /// `AIPrompt` → ai, prompt; `action_gestion` → action, gestion; `OAuth2Token` → o, auth2, token.
    public static func words(_ name: String) -> [String] {
        asciiWords(name) ?? unicodeWords(name)
    }

    /// `words` for any name, `Character` by `Character`.
    static func unicodeWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            if c == "_" || c == "-" || c == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            if c.isUppercase, !current.isEmpty {
                let prev = chars[i - 1]
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                // lower→Upper, or the last capital of an acronym followed by a lowercase letter
                if prev.isLowercase || prev.isNumber || (prev.isUppercase && next?.isLowercase == true) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(c)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }

    /// `words` on the bytes of an ASCII name (the usual case), by the same rules: on ASCII,
    /// `isUppercase`, `isLowercase` and `isNumber` are A–Z, a–z and 0–9. nil for other names and
    /// for names with a carriage return (CR LF is one `Character` but two bytes).
    static func asciiWords(_ name: String) -> [String]? {
        guard let chars = asciiBytes(name) else { return nil }
        return asciiWordRanges(chars).map { r in String(decoding: chars[r].map(lowered), as: UTF8.self) }
    }

    /// The bytes of an ASCII name without a carriage return; nil for other names.
    private static func asciiBytes(_ name: String) -> [UInt8]? {
        let utf8 = name.utf8
        guard utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        return Array(utf8)
    }

    private static func isUpper(_ c: UInt8) -> Bool { c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") }
    private static func isLower(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    private static func lowered(_ c: UInt8) -> UInt8 { isUpper(c) ? c + 32 : c }
    private static func uppered(_ c: UInt8) -> UInt8 { isLower(c) ? c - 32 : c }

    /// Where the words of an ASCII name are (`words`' rules, on bytes).
    private static func asciiWordRanges(_ chars: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        for (i, c) in chars.enumerated() {
            if c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: " ") {
                if let s = start { ranges.append(s..<i) }
                start = nil
                continue
            }
            if isUpper(c), let s = start {
                let prev = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && isLower(chars[i + 1])
                // lower→Upper, or the last capital of an acronym followed by a lowercase letter
                if isLower(prev) || (prev >= UInt8(ascii: "0") && prev <= UInt8(ascii: "9")) || (isUpper(prev) && nextIsLower) {
                    ranges.append(s..<i)
                    start = i
                }
            }
            if start == nil { start = i }
        }
        if let s = start { ranges.append(s..<chars.count) }
        return ranges
    }

    /// `pascal` of an ASCII name in one pass over its bytes; nil for other names.
    private static func asciiPascal(_ name: String) -> String? {
        guard let chars = asciiBytes(name) else { return nil }
        if let first = chars.first, isUpper(first), !chars.contains(where: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) { return name }
        let ranges = asciiWordRanges(chars)
        guard !ranges.isEmpty else { return name }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count)
        for r in ranges {
            out.append(uppered(chars[r.lowerBound]))
            out += chars[r.dropFirst()].map(lowered)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func kebab(_ name: String) -> String { words(name).joined(separator: "-") }

    public static func pascal(_ name: String) -> String {
        if let pascal = asciiPascal(name) { return pascal }
        // Keep a name that is already PascalCase as is (ShopItem, not Shopitem).
        // (Checked first: a name starting with a capital has at least one word.)
        if name.first?.isUppercase == true, !name.contains("_"), !name.contains("-") { return name }
        let w = words(name)
        guard !w.isEmpty else { return name }
        return w.map(capitalizedFirst).joined()
    }

    /// The word with its first letter upper-cased (bytes for an ASCII word).
    static func capitalizedFirst(_ w: String) -> String {
        guard w.utf8.allSatisfy({ $0 < 0x80 }) else { return w.prefix(1).uppercased() + w.dropFirst() }
        guard let first = w.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return w }
        var bytes = Array(w.utf8)
        bytes[0] = first - 32
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func camel(_ name: String) -> String {
        let p = pascal(name)
        // lower the leading run of capitals except the start of the next word: URLMap → urlMap
        let chars = Array(p)
        var i = 0
        while i < chars.count, chars[i].isUppercase { i += 1 }
        if i == 0 { return p }
        let lowerCount = (i > 1 && i < chars.count) ? i - 1 : i
        return String(chars[0..<lowerCount]).lowercased() + String(chars[lowerCount...])
    }

    static let irregular: [String: String] = [
        "person": "people", "child": "children", "man": "men", "woman": "women", "mouse": "mice",
        "goose": "geese", "tooth": "teeth", "foot": "feet", "ox": "oxen", "leaf": "leaves", "life": "lives",
        "knife": "knives", "wife": "wives", "half": "halves", "shelf": "shelves", "wolf": "wolves",
        "thief": "thieves", "calf": "calves", "loaf": "loaves", "criterion": "criteria", "phenomenon": "phenomena",
        "datum": "data", "medium": "media", "index": "indices", "matrix": "matrices", "vertex": "vertices",
        "appendix": "appendices", "hero": "heroes", "potato": "potatoes", "tomato": "tomatoes", "echo": "echoes",
        "cactus": "cacti", "focus": "foci", "fungus": "fungi", "nucleus": "nuclei", "radius": "radii",
        "syllabus": "syllabi", "quiz": "quizzes",
    ]
    static let uncountable: Set<String> = [
        "information", "equipment", "news", "series", "species", "sheep", "fish", "deer", "rice", "money",
        "metadata", "data", "feedback", "software", "hardware", "analytics", "settings", "media", "staff",
        "aircraft", "moose", "bison", "traffic", "music", "luggage", "furniture", "knowledge", "evidence",
        "advice", "homework", "access", "audio", "content", "history",
    ]

    /// English plural of one lower-case word.
    public static func pluralWord(_ w: String) -> String {
        if w.isEmpty || uncountable.contains(w) { return w }
        if let irr = irregular[w] { return irr }
        if irregular.values.contains(w) { return w }
        let v: Set<Character> = ["a", "e", "i", "o", "u"]
        if w.hasSuffix("is"), w.count > 3 { return String(w.dropLast(2)) + "es" } // analysis → analyses
        if w.hasSuffix("ss") || w.hasSuffix("us") || w.hasSuffix("x") || w.hasSuffix("ch") || w.hasSuffix("sh") || w.hasSuffix("as") {
            return w + "es"
        }
        if w.hasSuffix("z") {
            return (w.count > 1 && v.contains(w[w.index(before: w.endIndex)]) ? w + "z" : w) + "es"
        }
        if w.hasSuffix("s") { return w } // already plural (settings, stats, news…)
        if w.hasSuffix("y"), w.count > 1, !v.contains(w[w.index(w.endIndex, offsetBy: -2)]) {
            return String(w.dropLast()) + "ies"
        }
        return w + "s"
    }

    /// Plural of the last word: `quiz-question` → `quiz-questions`.
    public static func pluralKebab(_ name: String) -> String {
        var w = words(name)
        guard let last = w.popLast() else { return name }
        return (w + [pluralWord(last)]).joined(separator: "-")
    }

    public static func pluralPascal(_ name: String) -> String {
        var w = words(name)
        guard let last = w.popLast() else { return name }
        let plural = w + [pluralWord(last)]
        // Keep the original casing of the leading words.
        let base = pascal(name)
        let lastWord = last
        if base.lowercased().hasSuffix(lastWord), let range = suffixRange(of: lastWord, in: base) {
            let original = String(base[range])
            let replaced = pluralWord(lastWord)
            let cased = original.first?.isUppercase == true ? capitalizedFirst(replaced) : replaced
            return String(base[..<range.lowerBound]) + cased
        }
        return plural.map(capitalizedFirst).joined()
    }

    /// Where `word` ends `text`, case-insensitively (the caller checked that it does): for ASCII
    /// the last `word.count` bytes; otherwise Foundation's backwards case-insensitive search.
    private static func suffixRange(of word: String, in text: String) -> Range<String.Index>? {
        guard !word.isEmpty else { return nil } // as Foundation: an empty string is found nowhere
        if text.utf8.allSatisfy({ $0 < 0x80 }), word.utf8.allSatisfy({ $0 < 0x80 }), word.utf8.count <= text.utf8.count {
            return text.utf8.index(text.utf8.endIndex, offsetBy: -word.utf8.count)..<text.endIndex
        }
        return text.range(of: word, options: [.caseInsensitive, .backwards])
    }

    public static func pluralCamel(_ name: String) -> String {
        let p = pluralPascal(name)
        return camel(p)
    }

    /// URL path segment for a model's collection: `/api/<this>`.
    public static func routeSegment(_ model: String) -> String { pluralKebab(model) }

    static let reserved: Set<String> = [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
        "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
        "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected",
        "public", "await", "any", "boolean", "number", "string", "symbol", "type", "of", "object",
    ]

    /// A safe TypeScript identifier derived from a name (suffixing reserved words).
    public static func identifier(_ name: String) -> String {
        var s = camel(name)
        if let f = s.first, f.isNumber { s = "_" + s }
        s = String(s.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" ? $0 : "_" })
        return reserved.contains(s) ? s + "_" : s
    }
}

/// Finding bytes in bytes (glibc's `memmem` is not visible to Swift): `memchr` for the first
/// byte, `memcmp` for the rest.
enum ByteSearch {
    /// The offset of the first `needle` in `hay` at or after `from`, or nil.
    static func first(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, let base = hay.baseAddress, let nb = needle.baseAddress else { return needle.isEmpty ? from : nil }
        var i = from
        while i + needle.count <= hay.count {
            guard let hit = memchr(base + i, Int32(first), hay.count - needle.count + 1 - i) else { return nil }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + at, nb, needle.count) == 0 { return at }
            i = at + 1
        }
        return nil
    }
}
