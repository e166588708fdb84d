/// Diagnostics for machines: a JSON array for editors and scripts, and GitHub Actions workflow
/// commands (`::error file=…,line=…,col=…::message`) that show as annotations on a pull request.
public enum DiagnosticFormats {
    /// `[{"severity", "message", "file", "line", "column", "endLine", "endColumn"}]`, pretty-printed,
    /// in the order given; an empty list is `[]`.
    public static func json(_ diagnostics: [ResolvedDiagnostic]) -> String {
        JSONValue.array(diagnostics.map { d in
            .object([("severity", .string(d.severity.rawValue)), ("message", .string(d.message)), ("file", .string(d.file)),
                     ("line", .integer(d.line)), ("column", .integer(d.column)),
                     ("endLine", .integer(d.endLine)), ("endColumn", .integer(d.endColumn))])
        }).rendered()
    }

    /// One workflow command per diagnostic, each on its own line: `::error` or `::warning` with
    /// the file and the span, then the message. Values are escaped as the runner unescapes them
    /// (`%`, CR and LF everywhere; `:` and `,` in properties too), so a message of several lines
    /// stays one annotation.
    public static func github(_ diagnostics: [ResolvedDiagnostic]) -> String {
        diagnostics.map { d in
            let properties = "file=\(property(d.file)),line=\(d.line),col=\(d.column),endLine=\(d.endLine),endColumn=\(d.endColumn)"
            return "::\(d.severity == .error ? "error" : "warning") \(properties)::\(data(d.message))\n"
        }.joined()
    }

    static func data(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
