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
}
