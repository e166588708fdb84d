/// Splits a command line into arguments as a POSIX shell would, without running one: words
/// are separated by unquoted blanks; `'…'` keeps everything literally; `"…"` keeps everything
/// but lets a backslash escape `"`, `\`, `$` and `` ` ``; an unquoted backslash escapes the
/// next character (a backslash-newline disappears). No expansion of any kind happens (no
/// variables, globs, `~` or substitutions), so a command is exactly what it says.
public enum ShellWords {
    public struct SplitError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let d = chars.next() {
                    if d == "'" { closed = true; break }
                    current.append(d)
                }
                if !closed { throw SplitError(message: "unterminated single quote in `\(line)`") }
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.next() {
                    if d == "\"" { closed = true; break }
                    if d == "\\" {
                        guard let e = chars.next() else { break }
                        if e == "\n" { continue }
                        if !["\"", "\\", "$", "`"].contains(e) { current.append("\\") }
                        current.append(e)
                    } else {
                        current.append(d)
                    }
                }
                if !closed { throw SplitError(message: "unterminated double quote in `\(line)`") }
            case "\\":
                guard let e = chars.next() else { throw SplitError(message: "trailing backslash in `\(line)`") }
                if e == "\n" { continue }
                inWord = true
                current.append(e)
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
