/// The one place that decides how model names become file names, identifiers
/// and URL segments. Every emitter (routes, app mounts, OpenAPI, tests) uses it.
public enum Naming {
    /// Words of an identifier: `UserDimensionScore` → user, dimension, score;
    /// `AIPrompt` → ai, prompt; `action_gestion` → action, gestion; `OAuth2Token` → o, auth2, token.
    public static func words(_ name: String) -> [String] {
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

    public static func kebab(_ name: String) -> String { words(name).joined(separator: "-") }

    public static func pascal(_ name: String) -> String {
        let w = words(name)
        guard !w.isEmpty else { return name }
        // Keep a name that is already PascalCase as is (ShopItem, not Shopitem).
        if name.first?.isUppercase == true, !name.contains("_"), !name.contains("-") { return name }
        return w.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
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
        let lastWord = words(name).last ?? ""
        if base.lowercased().hasSuffix(lastWord), let range = base.range(of: lastWord, options: [.caseInsensitive, .backwards]) {
            let original = String(base[range])
            let replaced = pluralWord(lastWord)
            let cased = original.first?.isUppercase == true ? replaced.prefix(1).uppercased() + replaced.dropFirst() : replaced
            return String(base[..<range.lowerBound]) + cased
        }
        return plural.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
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
