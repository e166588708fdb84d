/// The names generated TypeScript uses, so a file imports exactly those (`tsc --noUnusedLocals`
/// rejects an unused import). A small scanner for the code our emitters write, not a parser:
/// it skips comments, string literals and the text of template literals (not their `${…}`),
/// and does not count a name after `.` (a property) or before `:` (an object key).
/// Regular-expression literals are read as code: ours hold no quotes, and a name in one could
/// at worst add an import that is then used nowhere, which `tsc` would report.
enum TypeScriptIdentifiers {
    static func used(in code: String) -> Set<String> {
        var code = code
        return code.withUTF8 { used(in: $0) }
    }

    private static func used(in b: UnsafeBufferPointer<UInt8>) -> Set<String> {
        let n = b.count
        var out: Set<String> = []
        // A stack of contexts: code (with its count of open braces) or a template literal's text.
        enum Context { case code(braces: Int), template }
        var stack: [Context] = [.code(braces: 0)]
        var last: UInt8 = 0 // the last significant byte of code
        var i = 0
        func isStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c == 36 || c >= 128 }
        func isPart(_ c: UInt8) -> Bool { isStart(c) || (c >= 48 && c <= 57) }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 10 || c == 9 || c == 13 }
        while i < n {
            let c = b[i]
            guard case .code(let braces) = stack[stack.count - 1] else {
                // Template text: `\x` escapes, `${` opens code, a backtick closes.
                if c == 92 { i += 2; continue }
                if c == 96 { stack.removeLast(); last = 96; i += 1; continue }
                if c == 36, i + 1 < n, b[i + 1] == 123 { stack.append(.code(braces: 0)); last = 123; i += 2; continue }
                i += 1
                continue
            }
            switch c {
            case 39, 34: // '…' or "…"
                i += 1
                while i < n, b[i] != c { i += b[i] == 92 ? 2 : 1 }
                i += 1
                last = c
            case 96:
                stack.append(.template)
                i += 1
            case 47 where i + 1 < n && b[i + 1] == 47: // line comment
                while i < n, b[i] != 10 { i += 1 }
            case 47 where i + 1 < n && b[i + 1] == 42: // block comment
                i += 2
                while i + 1 < n, !(b[i] == 42 && b[i + 1] == 47) { i += 1 }
                i += 2
            case 123:
                stack[stack.count - 1] = .code(braces: braces + 1)
                last = c
                i += 1
            case 125:
                if braces == 0, stack.count > 1 { stack.removeLast() } else { stack[stack.count - 1] = .code(braces: max(0, braces - 1)) }
                last = c
                i += 1
            default:
                if isStart(c) {
                    let start = i
                    while i < n, isPart(b[i]) { i += 1 }
                    var j = i
                    while j < n, isSpace(b[j]) { j += 1 }
                    let isKey = j < n && b[j] == 58
                    // After `.` a name is a property, unless the dot ends a spread (`...rows`).
                    var p = start - 1
                    while p >= 0, isSpace(b[p]) { p -= 1 }
                    let isProperty = last == 46 && !(p >= 2 && b[p - 1] == 46 && b[p - 2] == 46)
                    if !isProperty && !isKey { out.insert(String(decoding: b[start..<i], as: UTF8.self)) }
                    last = b[i - 1]
                } else {
                    if !isSpace(c) { last = c }
                    i += 1
                }
            }
        }
        return out
    }
}
