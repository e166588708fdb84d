import Foundation
import Testing
@testable import Core

/// The JSON renderer and the OpenAPI document built model by model (on all cores) give the
/// bytes the plain recursive renderer and a one-model-after-another build give.
@Suite("OpenAPI rendering")
struct OpenAPIRenderingTests {
    /// The renderer as it was: recursive string building, escaping scalar by scalar.
    static func reference(_ v: JSONValue, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch v {
        case .string(let s): return referenceEscaped(s, quote: "\"")
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + reference($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { inner + referenceEscaped($0.0, quote: "\"") + ": " + reference($0.1, indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    static func referenceEscaped(_ s: String, quote: Character) -> String {
        var out = String(quote)
        for u in s.unicodeScalars {
            if u == quote.unicodeScalars.first { out += "\\" + String(quote); continue }
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out.append(quote)
        return out
    }

    /// Plain text, every escape, multi-byte UTF-8, a special byte at every position of the
    /// eight-byte runs the escaper skips over, and long strings.
    static let strings: [String] = {
        var all = ["", "a", "type", "description", "#/components/schemas/UserRead", "café ✓ 日本語 🎉", "e\u{301}", "\r\n",
                   "quote \" backslash \\ slash / tab \t newline \n return \r", "\u{0}\u{1}\u{1b}\u{1f}\u{7f} del", "it's 'single'",
                   String(repeating: "0123456789abcdef", count: 40), String(repeating: "ü", count: 33)]
        for special in ["\"", "\\", "\n", "\u{1}", "'", "é"] {
            for n in 0...19 {
                for at in 0...n {
                    var chars = Array(repeating: "x", count: n)
                    chars.insert(special, at: at)
                    all.append(chars.joined())
                }
            }
        }
        return all
    }()

    @Test("string literals are escaped as scalar by scalar, in double and single quotes")
    func escaping() {
        for s in Self.strings {
            #expect(escapedLiteral(s, quote: "\"") == Self.referenceEscaped(s, quote: "\""), "\(s.debugDescription)")
            #expect(escapedLiteral(s, quote: "'") == Self.referenceEscaped(s, quote: "'"), "\(s.debugDescription)")
            #expect(JSONValue.string(s).rendered() == Self.referenceEscaped(s, quote: "\"") + "\n")
        }
    }

    static let values: [JSONValue] = [
        "plain", 0, -7, .integer(Int.min), .integer(Int.max), .integer(-2147483648), .number(1.5), .number(3), .number(-0.0),
        .number(1e20), true, false, .null, [], [:], [[], [:], [[]]],
        ["a": 1, "b": ["c": [1, 2, ["d": .null]], "e": [:]], "f": []],
        .object(strings.prefix(200).map { ($0, .string($0)) }),
        .array(strings.map { .string($0) }),
    ]

    @Test("rendering gives the recursive renderer's bytes")
    func rendering() {
        for v in Self.values {
            #expect(v.rendered() == Self.reference(v) + "\n")
        }
    }

    @Test("an object written member by member, in runs joined later, renders as JSONValue.object")
    func objectWriter() {
        let pairs: [(String, JSONValue)] = (0..<40).map { i in ("k\(i)", i % 3 == 0 ? ["x": .integer(i), "y": [.string("\(i)")]] : .integer(i)) }
        for runs in [[40], [1, 39], [13, 0, 27], [5, 5, 5, 5, 20], [0, 40, 0]] {
            var inner = JSONObjectWriter(indent: 1)
            var start = 0
            for count in runs {
                var run = JSONObjectWriter(indent: 1, chunkSize: 7)
                run.add(contentsOf: Array(pairs[start..<start + count]))
                inner.add(contentsOf: run)
                start += count
            }
            var doc = JSONObjectWriter(indent: 0)
            doc.add("first", "value")
            doc.add("object", inner)
            doc.add("empty", JSONObjectWriter(indent: 1))
            let out = JSONBuffer(chunkSize: 16)
            doc.close(into: out)
            out.put(UInt8(ascii: "\n"))
            let expected: JSONValue = .object([("first", "value"), ("object", .object(pairs)), ("empty", [:])])
            #expect(out.joined() == expected.rendered(), "runs \(runs)")
        }
    }

    static func plan(_ text: String) throws -> ApiPlan {
        let compiled = CompiledSchema(sources: SourceSet(SourceFile(path: "schema.prisma", text: text)))
        #expect(!compiled.hasErrors, "\(compiled.resolved().map { $0.rendered() })")
        return ApiPlan(schema: compiled.model)
    }

    static let datasource = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"

    /// operationIds in document order.
    static func operationIds(_ spec: String) -> [String] {
        spec.split(separator: "\n").compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("\"operationId\": \"") else { return nil }
            return String(t.dropFirst("\"operationId\": \"".count).prefix { $0 != "\"" })
        }
    }

    @Test("operationIds that clash across models are made unique as a model-by-model build makes them")
    func clashingOperationIds() throws {
        // Person and People both list as `listPeople`; Quiz and Quizzes both as `listQuizzes`.
        let models = ["Person", "People", "Quiz", "Quizzes", "Child", "Children"].map { "model \($0) {\n  id Int @id\n}\n" }
        let plan = try Self.plan(Self.datasource + models.joined(separator: "\n"))
        let (file, operations) = CodeGenerator.openAPIDocument(plan, title: "t")
        var ops = OpenAPIEmitter.OperationIds()
        for m in plan.models {
            var paths = JSONObjectWriter(indent: 1)
            OpenAPIEmitter.modelPaths(m, targets: ServiceEmitter.relationTargets(m, plan), ops: &ops, into: &paths)
        }
        let ids = Self.operationIds(file.contents)
        #expect(ids == ops.made.map(\.id))
        #expect(ids.contains("listPeople2") && ids.contains("listQuizzes2"))
        #expect(Set(ids).count == ids.count)
        #expect(operations == ids.count)
    }

    @Test("the operations counter counts operations, not the text \"operationId\" (a field may have that name)")
    func operationsCounter() throws {
        let plan = try Self.plan(Self.datasource + """
        enum Kind {
          operationId
          other
        }

        model Job {
          id          Int    @id
          operationId String
          kind        Kind
        }
        """)
        let (file, operations) = CodeGenerator.openAPIDocument(plan, title: "t")
        #expect(operations == Self.operationIds(file.contents).count)
        #expect(operations == 5)
        #expect(file.contents.components(separatedBy: "\"operationId\"").count - 1 > operations)
    }
}
