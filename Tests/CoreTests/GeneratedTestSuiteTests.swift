import Foundation
import Testing
@testable import Core

/// What the generated vitest suite (`tests/<model>.test.ts`, `tests/factories/`, `tests/support.ts`)
/// asserts for the shop fixture: the suite must not pass vacuously (a 404 from a missing route,
/// an update that sends `{}`), its cleanup must not be a test, and it must cover includes,
/// relation sub-routes, many-to-many links, value round trips, operator filters, sorting, 409,
/// 422 and 400s.
@Suite("Generated API test suite")
struct GeneratedTestSuiteTests {
    static let shop = EmitterTests.fixtures.appendingPathComponent("shop.prisma")
    /// Shop models the suite creates rows for (every non-view model with an API).
    static let creatable = ["Person", "Profile", "Category", "Product", "Order", "OrderLine", "Quiz"]

    static func file(_ path: String, of schema: URL = shop) throws -> String {
        let files = try EmitterTests.generate(schema)
        return try #require(files.first { $0.path == path }, "not generated: \(path)").contents
    }

    /// A model's test file (`tests/<kebab>.test.ts`).
    static func suite(_ model: String) throws -> String { try file("tests/\(Naming.kebab(model)).test.ts") }
    /// A model's factory module (`tests/factories/<kebab>.ts`).
    static func factory(_ model: String) throws -> String { try file("tests/factories/\(Naming.kebab(model)).ts") }
    /// Every generated test file, by path.
    static func testFiles(of schema: URL = shop) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in try EmitterTests.generate(schema) where f.path.hasPrefix("tests/") && f.path.hasSuffix(".test.ts") { out[f.path] = f.contents }
        return out
    }

    static func plan() throws -> ApiPlan {
        let compiled = try Corpus.compile(shop)
        return ApiPlan(schema: compiled.model)
    }

    /// The `describe` block of a model in its own test file (a view's title says so).
    static func block(_ model: String, title: String? = nil) throws -> String {
        try describeBlock(try suite(model), title ?? model)
    }

    /// The text of `describe('<title>', …)` up to its closing `});` at column 0.
    static func describeBlock(_ suite: String, _ title: String) throws -> String {
        let open = "describe('\(title)', () => {\n"
        let start = try #require(suite.range(of: open), "no describe('\(title)')")
        let rest = suite[start.upperBound...]
        let end = try #require(rest.range(of: "\n});\n"), "describe('\(title)') is not closed")
        return String(rest[..<end.lowerBound])
    }

    /// The text of the first `it('<prefix>…', …)` in a block, up to its closing `  });`.
    static func itBlock(_ block: String, _ prefix: String) throws -> String {
        let start = try #require(block.range(of: "it('\(prefix)"), "no it('\(prefix)…')")
        let rest = block[start.lowerBound...]
        let end = try #require(rest.range(of: "\n  });"), "it('\(prefix)…') is not closed")
        return String(rest[..<end.lowerBound])
    }

    @Test("a missing row's 404 asserts the model's own message, which the fallback route 404 does not have")
    func notFoundBodies() throws {
        for model in Self.creatable {
            let test = try Self.itBlock(try Self.block(model), "answers 404 NotFound for a missing row")
            #expect(test.contains("expect(res.status).toBe(404);"))
            #expect(test.contains("toMatchObject({ error: 'NotFound', message: '\(model) not found' })"), "\(model): \(test)")
            let deletes = try Self.itBlock(try Self.block(model), "deletes a row (204)")
            #expect(deletes.contains("message: '\(model) not found'"))
        }
        let fallback = try Self.itBlock(try Self.describeBlock(try Self.file("tests/_service.test.ts"), "service"), "answers an unknown route")
        #expect(fallback.contains("message: `No route for GET ${api}/no-such-route-${run}`"))
        let view = try Self.itBlock(try Self.block("ProductStats", title: "ProductStats (view)"), "answers 404 NotFound")
        #expect(view.contains("message: 'ProductStats not found'"))
        // Every model with a key checks that PUT is not routed (updates are PATCH).
        for (model, title) in Self.creatable.map({ ($0, $0) }) + [("ProductStats", "ProductStats (view)")] {
            let put = try Self.itBlock(try Self.block(model, title: title), "has no PUT route (updates are PATCH)")
            #expect(put.contains("await request(app).put(path(") && put.contains("toMatch(/^No route for PUT /)"), "\(model)")
        }
    }

    @Test("updates change a real writable field and read the new value back; no request sends {}")
    func realUpdates() throws {
        for (path, text) in try Self.testFiles() { #expect(!text.contains(".send({})"), "\(path)") }
        // Category's only plain field is unique (it gets a fresh value); Order's is a Decimal with a default.
        let updated = ["Person": "name", "Profile": "bio", "Category": "name", "Product": "title", "Order": "total", "OrderLine": "quantity", "Quiz": "title"]
        for (model, field) in updated {
            let test = try Self.itBlock(try Self.block(model), "updates \(field) and reads the new value back")
            #expect(test.contains(".send({ \(field): value })"), "\(model): \(test)")
            #expect(test.contains("expect(value).not.toEqual(row.\(field));"))
            #expect(test.contains("expect(res.body.data.\(field)).toEqual(value);"))
            #expect(test.contains("expect(after.\(field)).toEqual(value);"), "the new value is read back with a GET")
        }
    }

    @Test("each test file cleans up in one top-level afterAll (children first, tolerant, logging), never as a test")
    func cleanupInAfterAll() throws {
        let files = try Self.testFiles()
        #expect(Set(files.keys) == Set(["tests/_service.test.ts", "tests/product-stats.test.ts"] + Self.creatable.map { "tests/\(Naming.kebab($0)).test.ts" }))
        for (path, text) in files {
            #expect(!text.contains("describe('cleanup'"), "\(path)")
            #expect(!text.contains("deletes every created row"), "\(path)")
            let hooks = text.split(separator: "\n").filter { $0.hasPrefix("afterAll(") }
            #expect(hooks == [path == "tests/_service.test.ts" ? "afterAll(cleanup);" : "afterAll(cleanup, 120_000);"], "\(path): one hook, with a longer timeout where rows are deleted")
            #expect(!text.contains("  afterAll("), "\(path): no afterAll inside a describe")
            #expect(!text.contains("beforeAll("), "\(path): no per-model hook whose failure would fail unrelated tests")
            #expect(text.contains(" cleanup, ") || text.contains(" cleanup }"), "\(path) imports cleanup")
        }
        let support = try Self.file("tests/support.ts")
        let start = try #require(support.range(of: "\nexport async function cleanup(): Promise<void> {\n"))
        let hook = String(support[start.upperBound...]).components(separatedBy: "\n}\n")[0]
        #expect(hook.contains("for (const url of [...createdUrls].reverse())"))
        #expect(hook.contains("await request(app).delete(url)"))
        #expect(hook.contains("res.status !== 204 && res.status !== 404"), "rows already gone are fine")
        #expect(hook.contains("} catch (err) {") && hook.contains("logger.warn("), "failures are reported")
        #expect(!hook.contains("expect(") && !hook.contains("throw "), "failures do not throw")
        #expect(hook.contains("await prisma.$disconnect();"))
        #expect(support.contains("if (res.status === 201) createdUrls.push("), "every created row is tracked")
        #expect(!support.contains("export const createdUrls"), "only cleanup deletes the rows")
    }

    @Test("vitest runs the files one at a time, each with its own support module and shared rows")
    func vitestConfig() throws {
        let config = try Self.file("vitest.config.ts")
        #expect(config.contains("include: ['tests/**/*.test.ts'],"))
        #expect(config.contains("fileParallelism: false,"))
        #expect(config.contains("isolate: true,"))
        #expect(config.contains("setupFiles: ['tests/setup.ts'],"))
    }

    @Test("rows come from memoised factories, parents first; fresh rows get fresh parents where a unique key needs them")
    func factories() throws {
        for model in Self.creatable {
            let pascal = Naming.pascal(model)
            let factory = try Self.factory(model)
            #expect(factory.contains("export const the\(pascal) = once(async () => insert("), "\(model)")
            #expect(factory.contains("export async function make\(pascal)(overrides: Row = {}): Promise<Row> {"), "\(model)")
            #expect(factory.contains("export async function \(Naming.camel(model))Body(overrides: Row = {}"), "\(model)")
        }
        #expect(try Self.factory("Profile").contains("const parent = fresh ? await makePerson() : await thePerson();"), "Profile.personId is unique")
        #expect(try Self.factory("OrderLine").contains("const parent = fresh ? await makeOrder() : await theOrder();"), "OrderLine's key includes orderId")
        #expect(try Self.factory("Order").contains("if (!given(overrides, 'customerId', 'customer')) {\n    const parent = await thePerson();"))
        #expect(try Self.factory("Order").contains("import { makePerson, thePerson } from './person.js';")
            || Self.factory("Order").contains("import { thePerson } from './person.js';"))
        // The views and models the tests cannot create have no factory.
        let files = try EmitterTests.generate(Self.shop)
        #expect(!files.contains { $0.path == "tests/factories/product-stats.ts" })
        #expect(files.filter { $0.path.hasPrefix("tests/factories/") }.count == Self.creatable.count)
    }

    @Test("a test file imports only what it uses: its own factories, its relation targets', and support helpers")
    func imports() throws {
        let person = try Self.suite("Person")
        #expect(person.contains("import { makePerson, personBody, thePerson } from './factories/person.js';"))
        #expect(person.contains("import { theOrder } from './factories/order.js';"))
        #expect(person.contains("import { theProfile } from './factories/profile.js';"))
        #expect(!person.contains("./factories/product.js"), "Person has no relation to Product")
        let view = try Self.suite("ProductStats")
        #expect(!view.contains("./factories/"))
        #expect(view.contains("import { api, app, cleanup, path } from './support.js';"))
    }

    @Test("imports follow the names the code uses: not those in strings, comments, template text, properties or keys")
    func usedNames() {
        let code = """
        // path(a) in a comment
        /** run and next in a doc */
        it('uses path(x) in a title', async () => {
          const res = await request(app).get(`${api}/rows/${run}?q=seq`);
          const body = { unique: 1, next: 'enc', [key]: value, ...rest };
          expect(res.body.cleanup).toBe(`a ${enc(`${inner}-x`)} b`);
          const ids = list.map((r: Row) => r.id);
        });
        """
        let used = TypeScriptIdentifiers.used(in: code)
        for name in ["it", "request", "app", "api", "run", "expect", "enc", "inner", "Row", "key", "value", "rest", "list"] {
            #expect(used.contains(name), "\(name) is used")
        }
        for name in ["path", "seq", "unique", "next", "cleanup", "id", "rows", "q", "x", "a", "b"] {
            #expect(!used.contains(name), "\(name) is not used as a name")
        }
    }

    @Test("a model's tests only need rows of itself, its required parents and its many-to-many targets")
    func noCascades() throws {
        let plan = try Self.plan()
        for model in Self.creatable {
            let m = try #require(plan.model(model))
            var allowed: Set<String> = [m.pascal]
            for r in m.ownedRelations where r.isRequired { if case .model(let t) = r.type { allowed.insert(Naming.pascal(t)) } }
            for r in m.manyToMany { if case .model(let t) = r.type { allowed.insert(Naming.pascal(t)) } }
            let block = try Self.block(model)
            let direct = block.matches(of: /(?:await the|make)([A-Z]\w*)\(/).map { String($0.1) }
            for name in direct { #expect(allowed.contains(name), "\(model)'s tests need \(name) directly: use optional(…)") }
        }
        let person = try Self.block("Person")
        #expect(person.contains("const child = await optional(theOrder);"))
        #expect(person.contains("const child = await optional(theProfile);"))
    }

    @Test("every relation is included on GET /:key and on the list, and every list relation's sub-route is listed")
    func includesAndSubRoutes() throws {
        let plan = try Self.plan()
        for model in Self.creatable {
            let m = try #require(plan.model(model))
            let block = try Self.block(model)
            for r in m.relations {
                let test = try Self.itBlock(block, "includes \(r.name) on GET /:key and on the list")
                #expect(test.contains("?include=\(r.name)`)"), "\(model).\(r.name) on GET /:key")
                #expect(test.contains("?include=\(r.name)&"), "\(model).\(r.name) on the list")
                #expect(test.contains("expect(data).toHaveProperty('\(r.name)');"))
                #expect(test.contains(r.isList ? "Array.isArray(data.\(r.name))" : "data.\(r.name)"))
            }
            for r in m.listRelations {
                let test = try Self.itBlock(block, "lists \(r.name) at GET /:key/\(r.name)")
                #expect(test.contains("}/\(r.name)`);"))
                #expect(test.contains("expect(Array.isArray(res.body.data)).toBe(true);"))
                #expect(test.contains("expect(res.body.meta).toMatchObject({ skip: 0 });"))
            }
        }
        let order = try Self.block("Order")
        #expect(order.contains("expect(data.customer).toMatchObject({ id: row.customerId });"), "a to-one include is the related row")
        // Sub-routes hold a child pointing at the parent.
        let childChecks = [
            ("Person", "reports", "const child = await makePerson({ managerId: row.id });", "expect(hasRow(res.body.data, child, ['id'])).toBe(true);"),
            ("Person", "orders", "const child = await optional(theOrder);", "if (child) expect(hasRow(res.body.data, child, ['id'])).toBe(true);"),
            ("Category", "children", "const child = await makeCategory({ parentId: row.id });", "expect(hasRow(res.body.data, child, ['id'])).toBe(true);"),
            ("Product", "lines", "const child = await optional(theOrderLine);", "if (child) expect(hasRow(res.body.data, child, ['orderId', 'productId'])).toBe(true);"),
            ("Order", "lines", "const child = await optional(theOrderLine);", "if (child) expect(hasRow(res.body.data, child, ['orderId', 'productId'])).toBe(true);"),
        ]
        for (model, relation, child, check) in childChecks {
            let test = try Self.itBlock(try Self.block(model), "lists \(relation) at GET /:key/\(relation)")
            #expect(test.contains(child), "\(model).\(relation)")
            #expect(test.contains(check), "\(model).\(relation)")
        }
    }

    @Test("implicit many-to-many: connect on create, then disconnect, connect and set [] through PATCH, checked by sub-route and include")
    func manyToMany() throws {
        for (model, relation, target) in [("Product", "categories", "Category"), ("Category", "products", "Product")] {
            let test = try Self.itBlock(try Self.block(model), "links \(relation) (many-to-many)")
            #expect(test.contains("const target = await the\(target)();"))
            #expect(test.contains("{ \(relation): { connect: link } }"), "connect on create")
            #expect(test.contains(".send({ \(relation): { disconnect: link } })"))
            #expect(test.contains(".send({ \(relation): { connect: link } })"))
            #expect(test.contains(".send({ \(relation): { set: [] } })"))
            #expect(test.contains("expect(hasRow(await getData(`${url}/\(relation)`), target, ['id'])).toBe(false);"), "disconnect is checked")
            #expect(test.contains("?include=\(relation)`"), "connect is checked through include")
            #expect(test.contains("expect(await getData(`${url}/\(relation)`)).toEqual([]);"), "set [] is checked")
            #expect(test.components(separatedBy: "expect(patch.status, JSON.stringify(patch.body)).toBe(200);").count == 4)
        }
    }

    @Test("Json, Bytes, Decimal and BigInt values round-trip (BigInt and Decimal as strings, Bytes as base64)")
    func roundTrips() throws {
        let profile = try Self.itBlock(try Self.block("Profile"), "round-trips")
        #expect(profile.contains("avatar: '+/8AAQ=='"))
        #expect(profile.contains("expect(data.avatar).toBe('+/8AAQ==');"))
        #expect(profile.contains("settings: { run, nested: {"), "a Json object with nested values")
        #expect(profile.contains("expect(data.settings).toEqual(sent.settings);"))
        let product = try Self.itBlock(try Self.block("Product"), "round-trips")
        #expect(product.contains("price: '12.34'") && product.contains("expect(data.price).toBe('12.34');"))
        #expect(product.contains("expect(data.specs).toEqual(sent.specs);"))
        #expect(product.contains("expect(data.id).toMatch(/^-?\\d+$/);"), "a BigInt key comes back as a string")
        #expect(product.contains("releasedAt: '2024-02-29'") && product.contains("expect(data.releasedAt).toBe('2024-02-29T00:00:00.000Z');"))
        #expect(product.contains("for (const data of [res.body.data, back] as Row[]) {"), "checked on create and on a later GET")
        let line = try Self.itBlock(try Self.block("OrderLine"), "returns BigInt values as strings")
        #expect(line.contains("expect(data.productId).toMatch(/^-?\\d+$/);"))
    }

    @Test("operator filters, orderBy (and an unknown sort field), take capped at 100")
    func filtersAndSorting() throws {
        let person = try Self.block("Person")
        let comparison = try Self.itBlock(person, "filters with gte, lte, lt and gt")
        #expect(comparison.contains("[gte]=") && comparison.contains("[lte]=") && comparison.contains("[lt]=") && comparison.contains("[gt]="))
        #expect(comparison.contains("toBe(true)") && comparison.contains("toBe(false)"), "a match and a non-match")
        let inList = try Self.itBlock(person, "filters with in and notIn (id)")
        #expect(inList.contains("id[in]=${enc(row.id)},${enc(2147483646)}") && inList.contains("id[notIn]=${enc(row.id)}"))
        let contains = try Self.itBlock(person, "filters strings with contains (email)")
        #expect(contains.contains("email[contains]=${enc(part)}"))
        let isNull = try Self.itBlock(person, "filters nullable fields with isNull (managerId)")
        #expect(isNull.contains("managerId[isNull]=${isNull}") && isNull.contains("managerId[isNull]=${!isNull}"))
        let sort = try Self.itBlock(person, "sorts with orderBy=-id and orderBy=id:asc")
        #expect(sort.contains("orderBy=-id&take=100") && sort.contains("orderBy=id:asc&take=100"))
        #expect(sort.contains("isSorted(desc.body.data.map((r: Row) => r.id), true)") && sort.contains("isSorted(asc.body.data.map((r: Row) => r.id), false)"))
        let unknownSort = try Self.itBlock(person, "answers 400 for an unknown sort field")
        #expect(unknownSort.contains("orderBy=unknownField") && unknownSort.contains("toBe(400)"))
        for (model, title) in Self.creatable.map({ ($0, $0) }) + [("ProductStats", "ProductStats (view)")] {
            let cap = try Self.itBlock(try Self.block(model, title: title), "caps take at 100")
            #expect(cap.contains("?take=1000`") && cap.contains("expect(res.body.meta.take).toBe(100);"), "\(model)")
        }
        let list = try Self.itBlock(person, "lists with pagination and an equality filter")
        #expect(list.contains("expect(res.body.meta).toEqual({ total: 1, skip: 0, take: 5, hasMore: false });"))
    }

    @Test("409 for a duplicate unique value, 422 for a missing parent, 400 for a wrong type, an unknown field and an invalid query")
    func errorStatuses() throws {
        let conflicts = [
            ("Person", "email", "personBody({ email: row.email })"),
            ("Category", "name", "categoryBody({ name: row.name })"),
            ("Product", "sku", "productBody({ sku: row.sku })"),
            ("Quiz", "code", "quizBody({ code: row.code })"),
            ("OrderLine", "orderId and productId", "orderLineBody({ orderId: row.orderId, productId: row.productId }, true)"),
        ]
        for (model, fields, body) in conflicts {
            let test = try Self.itBlock(try Self.block(model), "answers 409 Conflict for a second row with the same \(fields)")
            #expect(test.contains(body), "\(model): \(test)")
            #expect(test.contains("toBe(409);") && test.contains("expect(res.body.error).toBe('Conflict');"))
        }
        let order = try Self.itBlock(try Self.block("Order"), "answers 422 when customer points to a missing Person")
        #expect(order.contains("orderBody({ customerId: 2147483646 })") && order.contains("toBe(422);") && order.contains("'UnprocessableEntity'"))
        for model in Self.creatable {
            let block = try Self.block(model)
            let wrong = try Self.itBlock(block, "answers 400 for a wrongly typed")
            #expect(wrong.contains("expect(res.status).toBe(400);") && wrong.contains("'ValidationError'"), "\(model)")
            #expect(wrong.contains("Body({"), "\(model): the rest of the body is valid, so only the wrong type can cause the 400")
            let unknown = try Self.itBlock(block, "answers 400 for an unknown field")
            #expect(unknown.contains("unknownField: true") && unknown.contains("toBe(400);"), "\(model)")
            let query = try Self.itBlock(block, "answers 400 for an invalid query (take=-1)")
            #expect(query.contains("?take=-1`") && query.contains("toBe(400);"), "\(model)")
        }
    }

    @Test("setup.ts checks the schema's own database URL variable, and the test client (support.ts) connects with it")
    func databaseURLVariable() throws {
        let tmp = TempDir(); defer { tmp.cleanup() }
        let schema = try String(contentsOf: Self.shop, encoding: .utf8)
            .replacingOccurrences(of: "env(\"DATABASE_URL\")", with: "env(\"POSTGRESQL_URL\")")
        try tmp.write("schema.prisma", schema)
        let setup = try Self.file("tests/setup.ts", of: tmp.path("schema.prisma"))
        #expect(setup.contains("if (!process.env.POSTGRESQL_URL) {"))
        #expect(!setup.contains("DATABASE_URL"))
        let support = try Self.file("tests/support.ts", of: tmp.path("schema.prisma"))
        #expect(support.contains("const prisma = new PrismaClient({ datasourceUrl: process.env.POSTGRESQL_URL });"))
    }
}
