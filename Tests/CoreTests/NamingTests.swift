import Foundation
import Testing
@testable import Core

@Suite("Naming and API plan")
struct NamingTests {
    @Test("kebab, camel and plural forms", arguments: [
        ("UserDimensionScore", "user-dimension-score", "userDimensionScore", "user-dimension-scores"),
        ("AIPrompt", "ai-prompt", "aiPrompt", "ai-prompts"),
        ("Category", "category", "category", "categories"),
        ("Person", "person", "person", "people"),
        ("Status", "status", "status", "statuses"),
        ("Quiz", "quiz", "quiz", "quizzes"),
        ("QuizQuestion", "quiz-question", "quizQuestion", "quiz-questions"),
        ("action_gestion", "action-gestion", "actionGestion", "action-gestions"),
        ("Box", "box", "box", "boxes"),
        ("Day", "day", "day", "days"),
        ("Analysis", "analysis", "analysis", "analyses"),
        ("News", "news", "news", "news"),
        ("ProductStats", "product-stats", "productStats", "product-stats"),
        ("Child", "child", "child", "children"),
    ])
    func forms(_ c: (String, String, String, String)) {
        #expect(Naming.kebab(c.0) == c.1)
        #expect(Naming.camel(c.0) == c.2)
        #expect(Naming.routeSegment(c.0) == c.3)
    }

    @Test("reserved words become safe identifiers")
    func identifiers() {
        #expect(Naming.identifier("Function") == "function_")
        #expect(Naming.identifier("2fa") == "_2fa")
    }

    static func plan() throws -> ApiPlan {
        ApiPlan(schema: try Corpus.compile(EmitterTests.fixtures.appendingPathComponent("shop.prisma")).model)
    }

    @Test("every model gets an API except @@ignore and /// @api none; composite keys included")
    func coverage() throws {
        let plan = try Self.plan()
        #expect(plan.models.map(\.name) == ["Person", "Profile", "Category", "Product", "Order", "OrderLine", "Quiz", "ProductStats"])
        #expect(plan.excluded.map(\.model) == ["AuditTrail", "Legacy"])
        let line = try #require(plan.model("OrderLine"))
        #expect(line.key.map(\.name) == ["orderId", "productId"])
        #expect(line.compoundKeyName == "orderId_productId")
        #expect(RouteEmitter.keyPath(line) == "/:orderId/:productId")
        #expect(plan.model("ProductStats")?.isReadOnly == true)
    }

    @Test("sensitive fields are hidden from reads, filters and OpenAPI read schemas but stay writable")
    func sensitive() throws {
        let plan = try Self.plan()
        let person = try #require(plan.model("Person"))
        #expect(person.hidden == ["passwordHash", "internalNote"])
        #expect(plan.model("Quiz")?.hidden == ["secret"])
        #expect(!person.visible.contains { $0.name == "passwordHash" })
        #expect(!person.scalars.filter(person.isFilterable).contains { $0.name == "passwordHash" })
        #expect(ContractEmitter.inputFields(person, update: false).contains { $0.name == "passwordHash" })
        let spec = OpenAPIEmitter.file(plan, title: "t", apiPrefix: "/api").contents
        let doc = try JSONSerialization.jsonObject(with: Data(spec.utf8)) as? [String: Any]
        let schemas = (doc?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let read = (schemas?["PersonRead"] as? [String: Any])?["properties"] as? [String: Any]
        let create = (schemas?["PersonCreate"] as? [String: Any])?["properties"] as? [String: Any]
        #expect(read?["passwordHash"] == nil)
        #expect(create?["passwordHash"] != nil)
    }

    @Test("static routes come before parameterised ones")
    func routeOrder() throws {
        let plan = try Self.plan()
        for m in plan.models {
            let paths = RouteEmitter.routes(m, plan: plan).map(\.path)
            if let firstParam = paths.firstIndex(where: { $0.contains(":") }) {
                #expect(!paths[firstParam...].contains("/"), "\(m.name): \(paths)")
            }
            let item = RouteEmitter.keyPath(m)
            if let get = paths.firstIndex(of: item) {
                #expect(!paths[get...].contains { $0.hasPrefix(item + "/") }, "\(m.name): relation routes after /:key")
            }
        }
    }

    /// `pascal` and `pluralPascal` as they were (Character by Character, Foundation's search),
    /// to hold the ASCII fast paths to the same results.
    static func referencePascal(_ name: String) -> String {
        let w = Naming.unicodeWords(name)
        guard !w.isEmpty else { return name }
        if name.first?.isUppercase == true, !name.contains("_"), !name.contains("-") { return name }
        return w.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func referencePluralPascal(_ name: String) -> String {
        var w = Naming.unicodeWords(name)
        guard let last = w.popLast() else { return name }
        let plural = w + [Naming.pluralWord(last)]
        let base = referencePascal(name)
        let lastWord = Naming.unicodeWords(name).last ?? ""
        if base.lowercased().hasSuffix(lastWord), let range = base.range(of: lastWord, options: [.caseInsensitive, .backwards]) {
            let original = String(base[range])
            let replaced = Naming.pluralWord(lastWord)
            let cased = original.first?.isUppercase == true ? replaced.prefix(1).uppercased() + replaced.dropFirst() : replaced
            return String(base[..<range.lowerBound]) + cased
        }
        return plural.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    @Test("ASCII names take a fast path to the same words, PascalCase and plurals")
    func asciiFastPaths() throws {
        var names = ["", "_", "__x__", "a", "A", "AIPrompt", "OAuth2Token", "URLMap", "user_profile", "user-profile", "user profile",
                     "HTTPServer2FA", "x1Y2z3", "ABC", "abc", "aBC", "Person", "People", "quiz", "QUIZZES", "analysis", "Status",
                     "res_partner_ids", "CamelCase_with_snake", "tab\tname", "line\r\nbreak", "café", "Ärger_ÖL", "ı_dx", "ﬃx"]
        for url in Corpus.realSchemas + [EmitterTests.fixtures.appendingPathComponent("shop.prisma")] {
            let schema = try Corpus.compile(url).model
            for m in schema.models {
                names.append(m.name)
                names += m.fields.map(\.name)
            }
            names += schema.enums.map(\.name)
        }
        for name in names {
            #expect(Naming.words(name) == Naming.unicodeWords(name), "\(name.debugDescription)")
            #expect(Naming.pascal(name) == Self.referencePascal(name), "\(name.debugDescription)")
            #expect(Naming.pluralPascal(name) == Self.referencePluralPascal(name), "\(name.debugDescription)")
        }
    }

    @Test("a doc comment's description: the plain-text fast path gives what filtering its lines gives")
    func descriptions() {
        func reference(_ doc: String?) -> String? {
            guard let doc else { return nil }
            let lines = doc.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("@") }
            let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        let docs: [String?] = [nil, "", " ", "Plain.", "Model number 7.", " padded ", "tab\t", "\nlead", "two\nlines", "x\r\n",
                               "@hidden", "Secret.\n@hidden", "mail@example.com", "café", "Ünïcode ", "\u{0B}v", "f\u{0C}", "a\u{85}"]
        for doc in docs {
            #expect(ApiModel.description(doc) == reference(doc), "\(String(describing: doc).debugDescription)")
        }
    }
}
