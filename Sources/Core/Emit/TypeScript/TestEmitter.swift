import Foundation

/// Phase 12 (standalone mode): a vitest + supertest suite that drives the generated API over
/// HTTP against the schema's own database.
///
/// One test file per model (`tests/<model>.test.ts`) and, for every model the tests can create,
/// a factory module (`tests/factories/<model>.ts`): `personBody(overrides)`, `thePerson()` (one
/// shared row, created on first use, parents first) and `makePerson()` (a fresh row). What all
/// files share is in `tests/support.ts` (the app, the run id, helpers, the cleanup), which vitest
/// loads afresh for every test file: each file creates its own rows and deletes them in its one
/// top-level `afterAll`, children first; files run one at a time against the one database.
/// A model whose row cannot be created fails its own tests and those of models that need it as
/// a required parent, nothing else. Each model's tests assert the API contract: 404 bodies, real
/// updates, includes, relation sub-routes, many-to-many links, value round trips, operator
/// filters, sorting, 409, 422, 400s.
///
/// A model's files read only that model, its relation targets and the models their rows need
/// (required parents, transitively), plus plan-wide inputs: `dependencies(of:plan:)` names them.
enum TestEmitter {
    /// Everything: the shared files, then each model's files in plan order (emitted concurrently).
    /// `perModel(m, emit)` may return what `emit()` would (from a cache) instead of calling it.
    static func files<F: Sendable>(plan: ApiPlan, options: CodeGenerator.Options, shared: (GeneratedFile) -> F,
                                   perModel emitModel: @Sendable (ApiModel, @escaping @Sendable () -> [GeneratedFile]) -> [F]) -> [F] {
        let suite = Suite(plan: plan)
        let perModel = ResultSlots<[F]>(count: plan.models.count)
        DispatchQueue.concurrentPerform(iterations: plan.models.count) { i in
            perModel[i] = emitModel(plan.models[i]) { modelFiles(plan.models[i], suite) }
        }
        var out = sharedFiles(plan: plan, options: options).map(shared)
        for i in 0..<plan.models.count { out += perModel[i] ?? [] }
        return out
    }

    /// Files that belong to no model; they read only plan-wide inputs (the database URL
    /// variable and the options), never a model.
    static func sharedFiles(plan: ApiPlan, options: CodeGenerator.Options) -> [GeneratedFile] {
        [
            GeneratedFile(path: "vitest.config.ts", contents: vitestConfig, kind: .test),
            GeneratedFile(path: "tests/setup.ts", contents: setup(plan), kind: .test),
            GeneratedFile(path: "tests/support.ts", contents: support(plan, options), kind: .test),
            GeneratedFile(path: serviceTestPath, contents: serviceTests, kind: .test),
        ]
    }

    /// One model's files: its test file and, when the tests can create its rows, its factory module.
    static func modelFiles(_ m: ApiModel, plan: ApiPlan, options: CodeGenerator.Options) -> [GeneratedFile] {
        modelFiles(m, Suite(plan: plan, roots: [m.name] + relationTargets(of: m.model)))
    }

    static func modelFiles(_ m: ApiModel, _ suite: Suite) -> [GeneratedFile] {
        guard suite.isCreatable(m.name) else {
            return [GeneratedFile(path: testPath(m), contents: testFile(m, nil, suite), kind: .test, model: m.name)]
        }
        let t = ModelTests(m, suite)
        return [
            GeneratedFile(path: testPath(m), contents: testFile(m, t, suite), kind: .test, model: m.name),
            GeneratedFile(path: "tests/factories/\(m.kebab).ts", contents: factoryFile(t), kind: .test, model: m.name),
        ]
    }

    static func testPath(_ m: ApiModel) -> String { "tests/\(m.kebab).test.ts" }
    /// The service checks: a name no model's kebab-case name can take (they never start with `_`).
    static let serviceTestPath = "tests/_service.test.ts"

    static let vitestConfig = BaseEmitter.header + #"""
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The test files share one database: they run one at a time, and each gets its own copy of
    // tests/support.ts (client, run id, rows to delete) and of the factories' shared rows.
    fileParallelism: false,
    isolate: true,
  },
});

"""#

    /// `process.env.NAME`, or `process.env['NAME']` when the name is not an identifier.
    static func envAccess(_ name: String) -> String {
        tsKey(name) == name ? "process.env.\(name)" : "process.env[\(tsString(name))]"
    }

    static func setup(_ plan: ApiPlan) -> String {
        let variable = plan.databaseURLVariable
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        w.line("import 'dotenv/config';")
        w.line()
        w.line("process.env.NODE_ENV = process.env.NODE_ENV ?? 'test';")
        if plan.literalDatabaseURL != nil {
            w.line("// The schema spells out its database URL; set \(variable) to run the tests against another database.")
        } else {
            w.block("if (!\(envAccess(variable))) {") { w in
                let message = "\(variable) is not set: the API tests need a database (copy .env.example to .env), then run `npm run db:push`."
                w.line("throw new Error(\(tsString(message)));")
            }
        }
        w.line()
        return w.text
    }

    /// The facts about a model that addressing its rows needs (what `ModelTests(asTarget:)` reads).
    /// Holds nothing of the suite, so the suite's memo of them makes no reference cycle.
    struct TargetFacts: Sendable {
        let createFields: [Field]
        let createNames: Set<String>
        let fks: Set<String>
        /// Fields in any unique criterion (or `@id`/`@unique`).
        let uniqueNames: Set<String>

        init(_ m: ApiModel) {
            createFields = ContractEmitter.inputFields(m, update: false)
            createNames = Set(createFields.map(\.name))
            fks = m.foreignKeyFields
            var unique = Set(m.model.fields.filter { $0.isUnique || $0.isId }.map(\.name))
            for idx in m.model.indexes where idx.kind == .unique { unique.formUnion(idx.fieldNames) }
            if let pk = m.model.primaryKey { unique.formUnion(pk.fieldNames) }
            uniqueNames = unique
        }
    }

    /// `TargetFacts` by model name, made on first use (models' files are emitted on all cores).
    final class TargetMemo: @unchecked Sendable {
        private var facts: [String: TargetFacts] = [:]
        private let lock = NSLock()

        func facts(of m: ApiModel) -> TargetFacts {
            if let known = lock.withLock({ facts[m.name] }) { return known }
            let made = TargetFacts(m)
            lock.withLock { facts[m.name] = made }
            return made
        }
    }

    // MARK: - Which models the tests create

    /// Which models the tests can create, why not, and in which order their factories may use
    /// each other. Every fact about a model is a function of that model and its required
    /// parents (transitively), never of the rest of the plan.
    struct Suite: Sendable {
        let plan: ApiPlan
        let models: [String: ApiModel]
        let creatable: Set<String>
        let reasons: [String: String]
        /// The length of the longest chain of required parents (creatable models only).
        let depth: [String: Int]
        /// The models whose facts were worked out (`roots` and their required parents).
        let known: Set<String>
        /// What `ModelTests(asTarget:)` reads about each target model, worked out once (every
        /// relation to a model needs it; without the memo it was made again per relation).
        let targets = TargetMemo()

        /// Works out the facts of `roots` (all models when nil) and of their required parents.
        init(plan: ApiPlan, roots: [String]? = nil) {
            self.plan = plan
            var models: [String: ApiModel] = [:]
            for m in plan.models { models[m.name] = m }
            self.models = models
            var result: [String: Bool] = [:]
            var reasons: [String: String] = [:]
            var visiting: Set<String> = []
            // Creatable unless a required parent is not; a required cycle is not (a model met
            // again while its own answer is pending is on such a cycle), whatever the start.
            func isCreatable(_ name: String) -> Bool {
                if let known = result[name] { return known }
                guard let m = models[name], !m.isReadOnly else { result[name] = false; return false }
                if visiting.contains(name) { return false }
                visiting.insert(name)
                let reason = TestEmitter.skipReason(m, models: models, plan: plan, isCreatable: isCreatable)
                visiting.remove(name)
                result[name] = reason == nil
                if let reason { reasons[name] = reason }
                return reason == nil
            }
            for name in roots ?? plan.models.map(\.name) { _ = isCreatable(name) }
            var depth: [String: Int] = [:]
            func depthOf(_ name: String) -> Int {
                if let d = depth[name] { return d }
                var d = 0
                for parent in TestEmitter.requiredParents(of: models[name]) where result[parent] == true {
                    d = max(d, depthOf(parent) + 1)
                }
                depth[name] = d
                return d
            }
            for (name, ok) in result where ok { _ = depthOf(name) }
            self.creatable = Set(result.filter(\.value).keys)
            self.reasons = reasons
            self.depth = depth
            self.known = Set(result.keys)
        }

        func model(_ name: String) -> ApiModel? { models[name] }

        func isCreatable(_ name: String) -> Bool {
            assert(known.contains(name) || models[name] == nil, "TestEmitter: \(name) was not worked out for this model")
            return creatable.contains(name)
        }

        /// Whether `a`'s factory comes before `b`'s (parents first, then by name): a factory
        /// only uses the shared rows of earlier ones, so none waits for its own row.
        func precedes(_ a: String, _ b: String) -> Bool {
            (depth[a] ?? Int.max, a) < (depth[b] ?? Int.max, b)
        }
    }

    /// The creatable targets a model's rows need: its required owned relations (other than to itself).
    static func requiredParents(of m: ApiModel?) -> [String] {
        guard let m else { return [] }
        return m.ownedRelations.compactMap { r in
            guard r.isRequired, case .model(let t) = r.type, t != m.name else { return nil }
            return t
        }
    }

    /// Why the tests cannot create rows of `m` for a reason of its own (its required parents
    /// taken as creatable), or nil: with the same answer for each of a model's test
    /// dependencies, their rows are creatable alike.
    static func ownSkipReason(_ m: ApiModel, models: [String: ApiModel], plan: ApiPlan) -> String? {
        skipReason(m, models: models, plan: plan, isCreatable: { _ in true })
    }

    /// Why the tests cannot create rows of a model, or nil when they can.
    static func skipReason(_ m: ApiModel, models: [String: ApiModel], plan: ApiPlan, isCreatable: (String) -> Bool) -> String? {
        if !m.hasKey { return "it has no unique key to address a row" }
        for r in m.ownedRelations where r.isRequired {
            guard case .model(let t) = r.type, let target = models[t] else { continue }
            if t == m.name { return "it has a required relation to itself" }
            if !isCreatable(t) { return "its required relation `\(r.name)` points to \(t), which the tests cannot create" }
            if let ref = r.relation?.references.first(where: { target.hidden.contains($0) }) {
                return "its required relation `\(r.name)` references \(t).\(ref), which the API never returns"
            }
        }
        // Required foreign keys to models without an API.
        for f in m.model.fields where f.isRelation && f.isRequired && !f.isList {
            if case .model(let t) = f.type, models[t] == nil, !(f.relation?.fields.isEmpty ?? true) {
                return "its required relation `\(f.name)` points to \(t), which has no API"
            }
        }
        for f in m.model.fields where f.isRequired && f.defaultValue == nil {
            if case .unsupported = f.type { return "its required field `\(f.name)` has an Unsupported type" }
        }
        let fks = m.foreignKeyFields
        for f in ContractEmitter.inputFields(m, update: false) where !fks.contains(f.name) && f.isRequired && f.defaultValue == nil {
            if sample(f, model: m, plan: plan) == nil { return "the tests cannot make up a value for its required field `\(f.name)`" }
        }
        return nil
    }

    // MARK: - Which models a model's files read

    /// The models a model's relation fields point to (any side, any kind, with or without an API).
    static func relationTargets(of m: Model) -> [String] {
        m.fields.compactMap { f in
            guard case .model(let t) = f.type else { return nil }
            return t
        }
    }

    /// Every model whose own content can change a model's test files, the model included, sorted.
    ///
    /// The files read the model itself; its route, which `ApiPlan` chose among earlier models
    /// with clashing routes; every relation target (its key, hidden fields, foreign keys, whether
    /// it has an API and whether the tests can create it); and, for the model and each target,
    /// the required parents, transitively: they decide whether its rows can be created and
    /// where its factory comes (`Suite`). Required relations are followed whatever their target
    /// (a target with no API makes a model uncreatable too), so this is a superset of what the
    /// emitter reads.
    static func dependencies(of m: ApiModel, plan: ApiPlan) -> [String] {
        Set(dataDependencies(of: m, plan: plan)).union(routeRivals(of: m.name, schema: plan.schema)).sorted()
    }

    /// `dependencies(of:plan:)` without the route rivals: they can only change the model's own
    /// route, which its own fingerprint holds (what the phase cache keys on; computing rivals is
    /// quadratic in the number of models).
    static func dataDependencies(of m: ApiModel, plan: ApiPlan) -> [String] {
        var out: Set<String> = [m.name]
        var expanded: Set<String> = []
        let parents = plan.requiredParents
        func addWithRequiredParents(_ start: String) {
            var stack = [start]
            while let name = stack.popLast() {
                guard expanded.insert(name).inserted else { continue }
                out.insert(name)
                stack += parents[name] ?? []
            }
        }
        addWithRequiredParents(m.name)
        for t in relationTargets(of: m.model) { addWithRequiredParents(t) }
        return out.sorted()
    }

    /// The earlier models whose routes can clash with a model's, and so change it (transitively).
    /// `ApiPlan` gives a model the first free one of its plural route, its kebab name, then
    /// `<kebab>-2`, `<kebab>-3`…, in schema order.
    static func routeRivals(of name: String, schema: SchemaModel) -> Set<String> {
        let names = schema.models.map(\.name)
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        let segment = names.map(Naming.routeSegment), kebab = names.map(Naming.kebab)
        func isCandidate(_ s: String, of i: Int) -> Bool {
            if s == segment[i] || s == kebab[i] { return true }
            let prefix = kebab[i] + "-"
            guard s.hasPrefix(prefix), let n = Int(s.dropFirst(prefix.count)), n >= 2 else { return false }
            return String(n) == s.dropFirst(prefix.count)
        }
        func clash(_ i: Int, _ j: Int) -> Bool {
            kebab[i] == kebab[j] || isCandidate(segment[i], of: j) || isCandidate(kebab[i], of: j)
                || isCandidate(segment[j], of: i) || isCandidate(kebab[j], of: i)
        }
        guard let start = index[name] else { return [] }
        var found: Set<Int> = [start]
        var stack = [start]
        while let i = stack.popLast() {
            for j in 0..<i where !found.contains(j) && clash(i, j) {
                found.insert(j)
                stack.append(j)
            }
        }
        found.remove(start)
        return Set(found.map { names[$0] })
    }

    // MARK: - Values

    /// String native types whose values come back exactly as sent.
    static let plainStringNatives: Set<String> = [
        "VarChar", "Text", "NVarChar", "NText", "TinyText", "MediumText", "LongText", "String", "Char", "NChar", "Citext",
    ]
    static let smallIntNatives: Set<String> = ["SmallInt", "Int2", "TinyInt", "UnsignedTinyInt", "UnsignedSmallInt"]

    static func isPlainString(_ f: Field) -> Bool {
        f.scalarType == .string && (f.nativeType.map { plainStringNatives.contains($0.name) } ?? true)
    }

    /// A TypeScript expression producing a valid value for a field (unique per test run).
    static func sample(_ f: Field, model: ApiModel, plan: ApiPlan) -> String? {
        switch f.type {
        case .enumeration(let e):
            guard let v = plan.schema.enumType(e)?.values.first?.name else { return nil }
            return f.isList ? "[\(tsString(v))]" : tsString(v)
        case .composite(let c):
            guard let t = plan.schema.compositeType(c) else { return nil }
            let parts = t.fields.filter { $0.isRequired && $0.defaultValue == nil }.compactMap { g -> String? in
                guard let v = sample(g, model: model, plan: plan) else { return nil }
                return "\(tsKey(g.name)): \(v)"
            }
            let obj = "{ \(parts.joined(separator: ", ")) }"
            return f.isList ? "[\(obj)]" : obj
        case .scalar(let s):
            let v = scalarSample(s, f)
            return f.isList ? "[\(v)]" : v
        default:
            return nil
        }
    }

    static func scalarSample(_ s: ScalarType, _ f: Field) -> String {
        let native = f.nativeType?.name
        let length = f.nativeType?.arguments.first.flatMap { Int($0) }
        switch s {
        case .string: return stringSample(f, native: native, length: length)
        case .int:
            if let native, smallIntNatives.contains(native) { return "next() % 100 + 1" }
            if native == "Year" { return "2000 + (next() % 100)" }
            if native == "MediumInt" || native == "UnsignedMediumInt" { return "seq() % 8_000_000 + 1" }
            return "seq()"
        case .bigInt: return "String(seq())"
        case .float: return "1.5"
        case .decimal: return decimalLiteral(f, integer: "1", fraction: "")
        case .boolean: return "true"
        case .dateTime: return native == "Date" ? "new Date().toISOString().slice(0, 10)" : "new Date().toISOString()"
        case .json: return "{ run }"
        case .bytes: return "Buffer.from(`${run}-${next()}`).toString('base64')"
        }
    }

    static func stringSample(_ f: Field, native: String?, length: Int?) -> String {
        switch native {
        case "Uuid", "UniqueIdentifier": return "randomUUID()"
        case "ObjectId": return "objectId()"
        case "Inet": return "'127.0.0.1'"
        case "Cidr": return "'10.0.0.0/8'"
        case "MacAddr": return "'08:00:2b:01:02:03'"
        case "Xml": return "'<a/>'"
        case "Bit", "VarBit": return tsString(String(repeating: "1", count: max(1, length ?? 1)))
        case "Char", "NChar": return "unique(\(tsString(f.name)), \(length ?? 1), true)"
        default:
            let lower = f.name.lowercased()
            if lower.contains("email") { return "`\(Naming.kebab(f.name))-${run}-${next()}@example.com`" }
            if lower.contains("url") || lower.contains("website") { return "`https://example.com/${run}/${next()}`" }
            return "unique(\(tsString(f.name)), \(length.map(String.init) ?? "191"))"
        }
    }

    /// A decimal string literal that fits the field's `@db.Decimal(p, s)`: `integer.fraction`,
    /// with digits dropped where the precision or scale has no room for them.
    static func decimalLiteral(_ f: Field, integer: String, fraction: String) -> String {
        let args = f.nativeType?.arguments.compactMap { Int($0) } ?? []
        var int = integer, frac = fraction
        if args.count == 2 {
            let (p, s) = (args[0], args[1])
            int = p - s <= 0 ? "0" : String(int.suffix(p - s))
            frac = String(frac.prefix(max(0, s)))
        } else if args.count == 1 {
            frac = ""
            int = String(int.suffix(max(1, args[0])))
        }
        return tsString(frac.isEmpty ? int : "\(int).\(frac)")
    }

    /// A TypeScript expression for a value of the field's type that no test row has.
    static func missingValue(_ f: Field, plan: ApiPlan) -> String {
        switch f.type {
        case .scalar(.int): return f.nativeType.map { smallIntNatives.contains($0.name) } == true ? "127" : "2147483646"
        case .scalar(.bigInt): return "'9007199254740993'"
        case .scalar(.float), .scalar(.decimal): return "'987654.321'"
        case .scalar(.boolean): return "'false'"
        case .scalar(.dateTime): return "'1901-01-01T00:00:00.000Z'"
        case .scalar(.bytes): return "Buffer.from(`missing-${run}`).toString('base64')"
        case .enumeration(let e): return tsString(plan.schema.enumType(e)?.values.last?.name ?? "X")
        default:
            switch f.nativeType?.name {
            case "Uuid", "UniqueIdentifier": return "'00000000-0000-4000-8000-000000000000'"
            case "ObjectId": return "'ffffffffffffffffffffffff'"
            default: return "`missing-${run}`"
            }
        }
    }

    /// A value of the wrong type for a field (for the 400 test), or nil when any JSON value is valid.
    static func wrongValue(_ f: Field) -> String? {
        if f.isList { return nil }
        switch f.type {
        case .scalar(.json): return nil
        case .scalar(.string), .enumeration: return "12345"
        case .scalar, .composite: return "'not-a-valid-value'"
        default: return nil
        }
    }

    /// `obj.name`, or `obj['name']` when the name is not an identifier.
    static func prop(_ obj: String, _ name: String) -> String {
        tsKey(name) == name ? "\(obj).\(name)" : "\(obj)[\(tsString(name))]"
    }


    // MARK: - The shared support module

    /// What `tests/support.ts` exports (values and the `Row` type); a file imports those it uses.
    static let supportExports: [String] = [
        "Row", "api", "app", "cleanup", "enc", "getData", "given", "hasRow", "insert", "isSorted", "next",
        "objectId", "once", "optional", "path", "postRow", "run", "seq", "unique",
    ]

    static func support(_ plan: ApiPlan, _ options: CodeGenerator.Options) -> String {
        BaseEmitter.header + """
        import { randomUUID } from 'node:crypto';
        import { PrismaClient } from '@prisma/client';
        import request from 'supertest';
        import { expect } from 'vitest';
        import { createApp } from '../src/app.js';
        import { logger } from '../src/logger.js';

        // What every test file shares. Vitest loads this module afresh for each test file, so each
        // file has its own client, run id and list of rows to delete (its `afterAll(cleanup)`).

        const prisma = new PrismaClient({ datasourceUrl: \(envAccess(plan.databaseURLVariable)) });
        export const app = createApp(prisma);
        export const api = process.env.API_PREFIX ?? \(tsString(options.apiPrefix));

        // Values unique to this run, so repeated runs against one database do not collide.
        export const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
        let counter = 0;
        export const next = (): number => ++counter;
        const seqBase = Math.floor(Math.random() * 1_000_000) * 1000;
        export const seq = (): number => seqBase + next();

        export function unique(field: string, maxLength: number, exact = false): string {
          const value = `${field}-${run}-${next()}`;
          if (exact) return value.slice(-maxLength).padStart(maxLength, 'x');
          return value.length > maxLength ? value.slice(value.length - maxLength) : value;
        }

        export function objectId(): string {
          return (Date.now().toString(16) + randomUUID().replace(/-/g, '')).slice(0, 24);
        }

        export type Row = Record<string, unknown>;

        /** The URL of one row: `${api}/<route>/<key>[/<key>…]`. */
        export function path(route: string, key: readonly unknown[]): string {
          return `${api}/${route}/${key.map((k) => encodeURIComponent(String(k))).join('/')}`;
        }

        /** A value for a query string. */
        export function enc(value: unknown): string {
          return encodeURIComponent(String(value));
        }

        /** Every row this file's tests created, in creation order (deleted in reverse by `cleanup`). */
        const createdUrls: string[] = [];

        /** POSTs a body; a created row is remembered for the cleanup. */
        export async function postRow(route: string, key: readonly string[], body: Row) {
          const res = await request(app).post(`${api}/${route}`).send(body);
          if (res.status === 201) createdUrls.push(path(route, key.map((k) => res.body.data[k])));
          return res;
        }

        /** POSTs a body and returns the created row, or throws with the API's answer. */
        export async function insert(route: string, key: readonly string[], body: Row): Promise<Row> {
          const res = await postRow(route, key, body);
          if (res.status !== 201) throw new Error(`POST ${api}/${route} answered ${res.status}: ${JSON.stringify(res.body)}`);
          return res.body.data as Row;
        }

        /** The first call creates; later calls share its row (or its failure). */
        export function once(create: () => Promise<Row>): () => Promise<Row> {
          let row: Promise<Row> | undefined;
          return () => (row ??= create());
        }

        /** A row if it can be created, else undefined (its own tests report why). */
        export async function optional(get: () => Promise<Row>): Promise<Row | undefined> {
          try {
            return await get();
          } catch {
            return undefined;
          }
        }

        /** Whether the caller set any of these body fields. */
        export function given(overrides: Row, ...fields: string[]): boolean {
          return fields.some((field) => field in overrides);
        }

        /** `GET url`, asserting a 200; returns `data`. */
        export async function getData(url: string): Promise<unknown> {
          const res = await request(app).get(url);
          expect(res.status, `GET ${url}: ${JSON.stringify(res.body)}`).toBe(200);
          return res.body.data;
        }

        /** Whether a list holds the row with the same key. */
        export function hasRow(list: unknown, row: Row, key: readonly string[]): boolean {
          return Array.isArray(list) && list.some((item: Row) => key.every((k) => item[k] === row[k]));
        }

        /** Whether values (numbers, numeric strings, ISO dates) are in order; ties allowed. */
        export function isSorted(values: unknown[], descending: boolean): boolean {
          const n = values.map((v) => (typeof v === 'string' && !/^-?\\d+(\\.\\d+)?$/.test(v) ? Date.parse(v) : Number(v)));
          return n.every((v, i) => i === 0 || (descending ? n[i - 1] >= v : n[i - 1] <= v));
        }

        /**
         * Deletes every row this file created (children first: the reverse of creation order),
         * tolerating rows already gone and logging, not throwing, on failures; then disconnects.
         * Each test file runs it in its one top-level `afterAll`.
         */
        export async function cleanup(): Promise<void> {
          for (const url of [...createdUrls].reverse()) {
            try {
              const res = await request(app).delete(url);
              if (res.status !== 204 && res.status !== 404) {
                logger.warn({ url, status: res.status, body: res.body }, 'cleanup: could not delete a test row');
              }
            } catch (err) {
              logger.warn({ url, err }, 'cleanup: could not delete a test row');
            }
          }
          await prisma.$disconnect();
        }

        """
    }

    // MARK: - Imports

    /// `import { a, b } from 'module';` over the names `code` uses (sorted; `Row` as a type), or
    /// nothing when it uses none (`tsc --noUnusedLocals`).
    static func importLine(_ names: [String], from module: String, used: Set<String>) -> String? {
        let picked = names.filter(used.contains).sorted()
        guard !picked.isEmpty else { return nil }
        return "import { \(picked.map { $0 == "Row" ? "type Row" : $0 }.joined(separator: ", ")) } from \(tsString(module));"
    }

    /// The factory functions of a creatable model.
    static func factoryNames(_ m: ApiModel) -> [String] { ["\(m.camel)Body", "the\(m.pascal)", "make\(m.pascal)"] }

    /// Imports of the factory modules `code` uses: the model's own and its relation targets', by path.
    static func factoryImports(_ m: ApiModel, _ suite: Suite, used: Set<String>, folder: String) -> [String] {
        var targets: [ApiModel] = []
        for name in [m.name] + relationTargets(of: m.model) where !targets.contains(where: { $0.name == name }) {
            if let t = suite.model(name), suite.isCreatable(name) { targets.append(t) }
        }
        return targets.sorted { $0.kebab < $1.kebab }.compactMap { t in
            importLine(factoryNames(t), from: "\(folder)\(t.kebab).js", used: used)
        }
    }

    // MARK: - A model's test file

    /// `t`: the model's tests when the tests can create its rows, else nil (read-only checks).
    static func testFile(_ m: ApiModel, _ t: ModelTests?, _ suite: Suite) -> String {
        var body = CodeWriter()
        if let t {
            t.emit(into: &body)
        } else {
            readOnlyTests(m, suite, into: &body)
        }
        let code = body.text
        let used = TypeScriptIdentifiers.used(in: code)
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        if used.contains("randomUUID") { w.line("import { randomUUID } from 'node:crypto';") }
        if used.contains("request") { w.line("import request from 'supertest';") }
        w.line("import { afterAll, describe, expect, it } from 'vitest';")
        if let line = importLine(supportExports, from: "./support.js", used: used.union(["cleanup"])) { w.line(line) }
        for line in factoryImports(m, suite, used: used, folder: "./factories/") { w.line(line) }
        w.line()
        w.line("// Deletes the rows this file created, then disconnects (allow two minutes: one request per row).")
        w.line("afterAll(cleanup, 120_000);")
        w.line()
        return w.text + String(trimmedNewlines(code)) + "\n"
    }

    // MARK: - Factories

    static func factoryFile(_ t: ModelTests) -> String {
        var body = CodeWriter()
        factories(t, into: &body)
        let code = body.text
        let used = TypeScriptIdentifiers.used(in: code)
        var w = CodeWriter()
        w.line(BaseEmitter.headerLine)
        if used.contains("randomUUID") { w.line("import { randomUUID } from 'node:crypto';") }
        if let line = importLine(supportExports, from: "../support.js", used: used) { w.line(line) }
        var targets: [ApiModel] = []
        for target in t.fills.map(\.target) where !targets.contains(where: { $0.name == target.name }) { targets.append(target) }
        for target in targets.sorted(by: { $0.kebab < $1.kebab }) {
            if let line = importLine(factoryNames(target), from: "./\(target.kebab).js", used: used) { w.line(line) }
        }
        w.line()
        return w.text + String(trimmedNewlines(code)) + "\n"
    }

    /// `personBody(overrides)`, `thePerson()` (the shared row) and `makePerson(overrides)` (a fresh row).
    static func factories(_ t: ModelTests, into w: inout CodeWriter) {
        let m = t.m
        let fresh = t.hasFreshBodies
        let signature = fresh ? "overrides: Row = {}, fresh = false" : "overrides: Row = {}"
        let parents = t.fills.isEmpty ? "" : fresh
            ? " Parents are the shared rows, except that `fresh` bodies get their own where a unique key needs them."
            : " Parents are the shared rows."
        w.doc("A valid POST body for \(m.name), with `overrides` applied.\(parents)")
        w.block("export async function \(t.bodyFn)(\(signature)): Promise<Row> {") { w in
            if t.bodyScalars.isEmpty {
                w.line("const body: Row = {};")
            } else {
                w.block("const body: Row = {", close: "};") { w in
                    for (f, v) in t.bodyScalars { w.line("\(tsKey(f.name)): \(v),") }
                }
            }
            for fill in t.fills { relationFill(fill, t, into: &w) }
            w.line("return { ...body, ...overrides };")
        }
        w.doc("The shared \(m.name) row, created on first use.")
        w.line("export const the\(m.pascal) = once(async () => insert(\(t.route), \(t.keyArray), await \(t.bodyFn)()));")
        w.doc("A new \(m.name) row.")
        w.block("export async function make\(m.pascal)(overrides: Row = {}): Promise<Row> {") { w in
            w.line("return insert(\(t.route), \(t.keyArray), await \(t.bodyFn)(overrides\(fresh ? ", true" : "")));")
        }
    }

    static func relationFill(_ fill: ModelTests.Fill, _ t: ModelTests, into w: inout CodeWriter) {
        let r = fill.relation
        let names = ((r.relation?.fields ?? []) + [r.name]).map(tsString).joined(separator: ", ")
        w.block("if (!given(overrides, \(names))) {") { w in
            let shared = "the\(fill.target.pascal)"
            if !fill.required {
                w.line("const parent = await optional(\(shared));")
                w.line("if (parent) Object.assign(body, \(t.relationValue(r, parent: "parent")));")
            } else {
                let get = fill.freshWhenFresh ? "fresh ? await make\(fill.target.pascal)() : await \(shared)()" : "await \(shared)()"
                w.line("const parent = \(get);")
                w.line("Object.assign(body, \(t.relationValue(r, parent: "parent")));")
            }
        }
    }


    // MARK: - Tests without rows

    /// The checks that need no model: `/health` and the fallback 404 of an unknown route.
    static let serviceTests = BaseEmitter.header + #"""
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { api, app, cleanup, run } from './support.js';

afterAll(cleanup);

describe('service', () => {
  it('answers /health', async () => {
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
  });
  it('answers an unknown route with the fallback 404', async () => {
    const res = await request(app).get(`${api}/no-such-route-${run}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NotFound', message: `No route for GET ${api}/no-such-route-${run}` });
  });
});

"""#

    /// Views, and models the tests cannot create: listing, paging limits and a 404 need no row.
    static func readOnlyTests(_ m: ApiModel, _ suite: Suite, into w: inout CodeWriter) {
        let title: String
        if m.isReadOnly {
            title = "\(m.name) (view)"
        } else {
            title = m.name
            w.line("// \(m.name) rows are not created by the tests: \(suite.reasons[m.name] ?? "unknown reason").")
        }
        let route = tsString(m.route)
        w.block("describe(\(tsString(title)), () => {", close: "});") { w in
            w.block("it('lists with pagination', async () => {", close: "});") { w in
                w.line("const res = await request(app).get(`${api}/\(m.route)?take=1`);")
                w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                w.line("expect(res.body.meta).toMatchObject({ skip: 0, take: 1 });")
                w.line("expect(res.body.data.length).toBeLessThanOrEqual(1);")
            }
            pagingLimits(m.route, into: &w)
            if m.hasKey {
                notFound(m, route: route, plan: suite.plan, into: &w)
                noPut(m, route: route, plan: suite.plan, into: &w)
            }
        }
    }

    static func pagingLimits(_ route: String, into w: inout CodeWriter) {
        w.block("it('caps take at 100', async () => {", close: "});") { w in
            w.line("const res = await request(app).get(`${api}/\(route)?take=1000`);")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
            w.line("expect(res.body.meta.take).toBe(100);")
            w.line("expect(res.body.data.length).toBeLessThanOrEqual(100);")
        }
        w.block("it('answers 400 for an invalid query (take=-1)', async () => {", close: "});") { w in
            w.line("const res = await request(app).get(`${api}/\(route)?take=-1`);")
            w.line("expect(res.status).toBe(400);")
            w.line("expect(res.body.error).toBe('ValidationError');")
        }
    }

    /// The 404 of a missing row carries the model's own message, unlike the fallback 404 of a missing route.
    static func notFound(_ m: ApiModel, route: String, plan: ApiPlan, into w: inout CodeWriter) {
        let key = m.key.map { missingValue($0, plan: plan) }.joined(separator: ", ")
        w.block("it('answers 404 NotFound for a missing row', async () => {", close: "});") { w in
            w.line("const res = await request(app).get(path(\(route), [\(key)]));")
            w.line("expect(res.status).toBe(404);")
            w.line("expect(res.body).toMatchObject({ error: 'NotFound', message: \(tsString("\(m.name) not found")) });")
        }
    }

    /// There is no PUT: updates are PATCH, so a PUT to a row's URL is the fallback 404.
    static func noPut(_ m: ApiModel, route: String, plan: ApiPlan, into w: inout CodeWriter) {
        let key = m.key.map { missingValue($0, plan: plan) }.joined(separator: ", ")
        w.block("it('has no PUT route (updates are PATCH)', async () => {", close: "});") { w in
            w.line("const res = await request(app).put(path(\(route), [\(key)]));")
            w.line("expect(res.status).toBe(404);")
            w.line("expect(res.body.message).toMatch(/^No route for PUT /);")
        }
    }
}

// MARK: - One creatable model

extension TestEmitter {
    /// What the tests of one creatable model need to know, and the tests themselves.
    struct ModelTests {
        /// How a body builder fills an owned relation.
        struct Fill {
            let relation: Field
            let target: ApiModel
            let required: Bool
            /// Fresh rows get a fresh parent: the foreign key is part of a unique key, so sharing one would collide.
            let freshWhenFresh: Bool
        }

        let m: ApiModel
        let suite: TestEmitter.Suite
        var plan: ApiPlan { suite.plan }
        let createFields: [Field]
        let createNames: Set<String>
        let updateFields: [Field]
        let fks: Set<String>
        /// Fields in any unique criterion (or `@id`/`@unique`): a shared value would collide.
        let uniqueNames: Set<String>
        let bodyScalars: [(Field, String)]
        let fills: [Fill]

        /// `asTarget`: only to name and address the model's rows from another model's tests
        /// (no `fills`, so nothing about the model's own parents is read; no bodies or updates).
        init(_ m: ApiModel, _ suite: TestEmitter.Suite, asTarget: Bool = false) {
            self.m = m
            self.suite = suite
            let facts = asTarget ? suite.targets.facts(of: m) : TargetFacts(m)
            createFields = facts.createFields
            createNames = facts.createNames
            updateFields = asTarget ? [] : ContractEmitter.inputFields(m, update: true)
            let fks = facts.fks
            self.fks = fks
            let unique = facts.uniqueNames
            uniqueNames = unique
            let keyNames = Set(m.key.map(\.name))
            bodyScalars = asTarget ? [] : createFields.compactMap { f in
                guard !fks.contains(f.name) else { return nil }
                let needed = (f.isRequired || keyNames.contains(f.name) || (unique.contains(f.name) && !f.isList)) && f.defaultValue == nil
                guard needed, let v = TestEmitter.sample(f, model: m, plan: suite.plan) else { return nil }
                return (f, v)
            }
            fills = asTarget ? [] : m.ownedRelations.compactMap { r in
                guard case .model(let t) = r.type, t != m.name, let target = suite.model(t), suite.isCreatable(t) else { return nil }
                let fkFields = r.relation?.fields ?? []
                let inUnique = fkFields.contains { unique.contains($0) }
                if r.isRequired { return Fill(relation: r, target: target, required: true, freshWhenFresh: inUnique) }
                // Optional: linked to the shared row of an earlier model when that can never collide.
                guard !inUnique, suite.precedes(t, m.name),
                      !(r.relation?.references ?? []).contains(where: target.hidden.contains) else { return nil }
                return Fill(relation: r, target: target, required: false, freshWhenFresh: false)
            }
        }

        var route: String { tsString(m.route) }
        var keyNames: [String] { m.key.map(\.name) }
        var keyArray: String { "[\(keyNames.map(tsString).joined(separator: ", "))]" }
        var bodyFn: String { "\(m.camel)Body" }
        var hasFreshBodies: Bool { fills.contains { $0.freshWhenFresh } }
        /// `await personBody(overrides)` for a fresh row (its own parents where a unique key needs them).
        func bodyCall(_ overrides: String) -> String {
            if hasFreshBodies { return "await \(bodyFn)(\(overrides), true)" }
            return overrides == "{}" ? "await \(bodyFn)()" : "await \(bodyFn)(\(overrides))"
        }
        var shared: String { "the\(m.pascal)" }
        var make: String { "make\(m.pascal)" }
        func keyValues(_ row: String) -> String { "[\(keyNames.map { TestEmitter.prop(row, $0) }.joined(separator: ", "))]" }
        func path(_ row: String) -> String { "path(\(route), \(keyValues(row)))" }
        func list(_ query: String) -> String { "`${api}/\(m.route)?\(query)`" }

        /// Key equality filters for a row (all key fields but `except`); nil when a key field is not filterable.
        func scope(_ row: String, except: String? = nil) -> String? {
            guard m.key.allSatisfy(m.isFilterable) else { return nil }
            return m.key.filter { $0.name != except }.map { "\($0.name)=${enc(\(TestEmitter.prop(row, $0.name)))}" }.joined(separator: "&")
        }

        /// A query: the scope's filters, then the given parts.
        func query(_ scope: String, _ parts: String...) -> String {
            ([scope] + parts).filter { !$0.isEmpty }.joined(separator: "&")
        }

        /// Whether an owned relation's foreign keys can be set directly on create (else it takes `{ connect }`).
        func fkWritable(_ r: Field) -> Bool {
            let fkFields = r.relation?.fields ?? []
            return !fkFields.isEmpty && fkFields.allSatisfy(createNames.contains)
        }

        /// Body fields pointing an owned relation at `parent`: the foreign keys, or `{ connect }` when they are not writable.
        func relationValue(_ r: Field, parent: String) -> String {
            relationObject(r, values: (r.relation?.references ?? []).map { TestEmitter.prop(parent, $0) }, connect: !fkWritable(r))
        }

        /// `{ fk: value, … }`, or `{ rel: { connect: { ref: value, … } } }`; one value per referenced field.
        func relationObject(_ r: Field, values: [String], connect: Bool) -> String {
            if connect {
                let pairs = zip(r.relation?.references ?? [], values).map { "\(tsKey($0)): \($1)" }.joined(separator: ", ")
                return "{ \(tsKey(r.name)): { connect: { \(pairs) } } }"
            }
            return "{ \(zip(r.relation?.fields ?? [], values).map { "\(tsKey($0)): \($1)" }.joined(separator: ", ")) }"
        }

        /// A where-unique object for a target's row (its key; compound keys nest under their name).
        static func whereUnique(_ target: ApiModel, _ row: String) -> String {
            let inner = target.key.map { "\(tsKey($0.name)): \(TestEmitter.prop(row, $0.name))" }.joined(separator: ", ")
            if let name = target.compoundKeyName { return "{ \(tsKey(name)): { \(inner) } }" }
            return "{ \(inner) }"
        }

        func emit(into w: inout CodeWriter) {
            w.block("describe(\(tsString(m.name)), () => {", close: "});") { w in
                creates(into: &w)
                reads(into: &w)
                TestEmitter.notFound(m, route: route, plan: plan, into: &w)
                TestEmitter.noPut(m, route: route, plan: plan, into: &w)
                lists(into: &w)
                TestEmitter.pagingLimits(m.route, into: &w)
                filters(into: &w)
                sorting(into: &w)
                updates(into: &w)
                includes(into: &w)
                subRoutes(into: &w)
                manyToMany(into: &w)
                roundTrips(into: &w)
                conflict(into: &w)
                relationChecks(into: &w)
                invalidBodies(into: &w)
                deletes(into: &w)
            }
        }
    }
}

// MARK: - Create, read, list, update, delete

extension TestEmitter.ModelTests {
    /// Fields whose value comes back exactly as sent (so `toMatchObject(body…)` holds).
    func comesBackAsSent(_ f: Field) -> Bool {
        guard !f.isList, !m.hidden.contains(f.name) else { return false }
        switch f.type {
        case .enumeration: return true
        case .scalar(.int), .scalar(.bigInt), .scalar(.boolean): return true
        case .scalar(.float): return f.nativeType == nil
        case .scalar(.string): return TestEmitter.isPlainString(f) || ["Uuid", "ObjectId"].contains(f.nativeType?.name ?? "")
        default: return false
        }
    }

    func creates(into w: inout CodeWriter) {
        let echoed = createFields.filter { f in
            comesBackAsSent(f) && (bodyScalars.contains { $0.0.name == f.name } || fills.contains { $0.required && ($0.relation.relation?.fields ?? []).contains(f.name) && createNames.contains(f.name) })
        }
        w.block("it('creates a row (201) and returns the values sent', async () => {", close: "});") { w in
            w.line("const body = \(bodyCall("{}"));")
            w.line("const res = await postRow(\(route), \(keyArray), body);")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(201);")
            if !echoed.isEmpty {
                w.line("expect(res.body.data).toMatchObject({ \(echoed.map { "\(tsKey($0.name)): \(TestEmitter.prop("body", $0.name))" }.joined(separator: ", ")) });")
            }
            for h in m.hidden.sorted() { w.line("expect(res.body.data).not.toHaveProperty(\(tsString(h)));") }
        }
    }

    func reads(into w: inout CodeWriter) {
        w.block("it('reads the row back by its key', async () => {", close: "});") { w in
            w.line("const row = await \(shared)();")
            w.line("expect(await getData(\(path("row")))).toEqual(row);")
        }
    }

    func lists(into w: inout CodeWriter) {
        let scope = scope("row")
        let title = scope == nil ? "lists with pagination" : "lists with pagination and an equality filter"
        w.block("it(\(tsString(title)), async () => {", close: "});") { w in
            w.line(scope == nil ? "await \(shared)();" : "const row = await \(shared)();")
            if let scope {
                w.line("const res = await request(app).get(\(list(query("take=5", scope))));")
                w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                w.line("expect(hasRow(res.body.data, row, \(keyArray))).toBe(true);")
                w.line("expect(res.body.meta).toEqual({ total: 1, skip: 0, take: 5, hasMore: false });")
            } else {
                w.line("// The key cannot be filtered on: the page is checked without a filter.")
                w.line("const res = await request(app).get(\(list("take=5")));")
                w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                w.line("expect(res.body.meta).toMatchObject({ skip: 0, take: 5 });")
            }
            w.line("const page = await request(app).get(\(list("take=1&skip=1")));")
            w.line("expect(page.status).toBe(200);")
            w.line("expect(page.body.data.length).toBeLessThanOrEqual(1);")
            w.line("expect(page.body.meta).toMatchObject({ skip: 1, take: 1 });")
            w.line("expect(page.body.meta.total).toBeGreaterThanOrEqual(1);")
        }
    }

    /// A writable field the update test can change, and the TypeScript expression of its new value:
    /// plain fields before unique ones (which get fresh values), strings and numbers first.
    func updateTarget() -> (Field, String)? {
        let keys = Set(keyNames)
        let candidates = updateFields.filter { !fks.contains($0.name) && !keys.contains($0.name) && !m.hidden.contains($0.name) && !$0.isList }
        let ranked = candidates.enumerated().compactMap { i, f -> (rank: Int, index: Int, field: Field, value: String)? in
            guard let (rank, value) = newValue(f) else { return nil }
            return (rank + (uniqueNames.contains(f.name) ? 100 : 0), i, f, value)
        }
        return ranked.min { ($0.rank, $0.index) < ($1.rank, $1.index) }.map { ($0.field, $0.value) }
    }

    /// A rank (lower is preferred) and a new value that differs from the current one, or nil.
    func newValue(_ f: Field) -> (Int, String)? {
        let isUnique = uniqueNames.contains(f.name)
        let current = TestEmitter.prop("row", f.name)
        switch f.type {
        case .scalar(.string) where TestEmitter.isPlainString(f) || f.nativeType?.name == "Uuid":
            return TestEmitter.sample(f, model: m, plan: plan).map { (0, $0) }
        case .scalar(.int):
            if isUnique { return f.nativeType == nil ? (1, "seq()") : nil }
            return (1, "Number(\(current) ?? 0) + 1")
        case .scalar(.boolean) where !isUnique: return (2, "!\(current)")
        case .scalar(.float) where !isUnique && f.nativeType == nil: return (3, "Number(\(current) ?? 0) + 0.5")
        case .enumeration(let e) where !isUnique:
            guard let values = plan.schema.enumType(e)?.values.map(\.name), values.count >= 2 else { return nil }
            return (4, "\(current) === \(tsString(values[0])) ? \(tsString(values[1])) : \(tsString(values[0]))")
        case .scalar(.decimal) where !isUnique: return (5, TestEmitter.decimalLiteral(f, integer: "12", fraction: "34"))
        case .scalar(.bigInt) where !isUnique: return (6, "'9007199254740993'")
        case .scalar(.dateTime) where !isUnique && f.nativeType == nil: return (7, "'2024-02-29T12:14:15.678Z'")
        case .scalar(.json): return (8, "{ run, updated: [next(), 'two', { nested: true }] }")
        default: return nil
        }
    }

    func updates(into w: inout CodeWriter) {
        guard let (f, value) = updateTarget() else {
            w.line("// \(m.name) has no field the tests can change with PATCH: an unknown field must be rejected instead.")
            w.block("it('answers 400 for a PATCH with an unknown field', async () => {", close: "});") { w in
                w.line("const row = await \(shared)();")
                w.line("const res = await request(app).patch(\(path("row"))).send({ \(unknownName()): true });")
                w.line("expect(res.status).toBe(400);")
                w.line("expect(res.body.error).toBe('ValidationError');")
            }
            return
        }
        w.block("it(\(tsString("updates \(f.name) and reads the new value back")), async () => {", close: "});") { w in
            w.line("const row = await \(make)();")
            w.line("const value = \(value);")
            w.line("expect(value).not.toEqual(\(TestEmitter.prop("row", f.name)));")
            w.line("const res = await request(app).patch(\(path("row"))).send({ \(tsKey(f.name)): value });")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
            w.line("expect(\(TestEmitter.prop("res.body.data", f.name))).toEqual(value);")
            w.line("const after = (await getData(\(path("row")))) as Row;")
            w.line("expect(\(TestEmitter.prop("after", f.name))).toEqual(value);")
        }
    }

    func deletes(into w: inout CodeWriter) {
        w.block("it('deletes a row (204), which then answers 404', async () => {", close: "});") { w in
            w.line("const row = await \(make)();")
            w.line("const res = await request(app).delete(\(path("row")));")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(204);")
            w.line("const gone = await request(app).get(\(path("row")));")
            w.line("expect(gone.status).toBe(404);")
            w.line("expect(gone.body).toMatchObject({ error: 'NotFound', message: \(tsString("\(m.name) not found")) });")
        }
    }

    /// A body field name the model does not have.
    func unknownName() -> String {
        let taken = Set(m.model.fields.map(\.name))
        var name = "unknownField"
        while taken.contains(name) { name += "X" }
        return name
    }
}

// MARK: - Filters and sorting

extension TestEmitter.ModelTests {
    /// Values the database compares exactly as the API returns them (numbers, decimals, dates).
    func isComparable(_ f: Field) -> Bool {
        switch f.type {
        case .scalar(.int), .scalar(.bigInt), .scalar(.decimal): return true
        case .scalar(.float): return f.nativeType == nil || ["DoublePrecision", "Double"].contains(f.nativeType?.name ?? "")
        case .scalar(.dateTime): return !["Time", "Timetz"].contains(f.nativeType?.name ?? "")
        default: return false
        }
    }

    /// Visible, filterable, always-set fields (so the shared row has a value to filter on).
    var filterableRequired: [Field] {
        m.visible.filter { m.isFilterable($0) && $0.isRequired && !$0.isUpdatedAt }
    }

    func isKey(_ f: Field) -> Bool { keyNames.contains(f.name) }

    func filters(into w: inout CodeWriter) {
        guard scope("row") != nil else {
            w.line("// \(m.name)'s key cannot be filtered on, so operator filters are not checked on its row.")
            return
        }
        let comparable = filterableRequired.filter(isComparable)
        if let c = comparable.first(where: { !isKey($0) }) ?? comparable.first { comparisonFilter(c, into: &w) }
        if let s = inListField() { inListFilter(s, into: &w) }
        let written = Set(bodyScalars.map(\.0.name))
        let strings = filterableRequired.filter { TestEmitter.isPlainString($0) && (isKey($0) || written.contains($0.name)) }
        if let s = strings.first(where: { !isKey($0) }) ?? strings.first { containsFilter(s, into: &w) }
        if let n = m.visible.first(where: { m.isFilterable($0) && !$0.isRequired && !$0.isList }) { isNullFilter(n, into: &w) }
    }

    /// `?f[gte]=v&f[lte]=v` finds the row; `f[lt]=v` and `f[gt]=v` do not.
    func comparisonFilter(_ f: Field, into w: inout CodeWriter) {
        let scope = scope("row", except: f.name) ?? ""
        let v = "${enc(\(TestEmitter.prop("row", f.name)))}"
        w.block("it(\(tsString("filters with gte, lte, lt and gt (\(f.name))")), async () => {", close: "});") { w in
            w.line("const row = await \(shared)();")
            w.line("const match = await getData(\(list(query(scope, "\(f.name)[gte]=\(v)", "\(f.name)[lte]=\(v)"))));")
            w.line("expect(hasRow(match, row, \(keyArray))).toBe(true);")
            w.line("const below = await getData(\(list(query(scope, "\(f.name)[lt]=\(v)"))));")
            w.line("expect(hasRow(below, row, \(keyArray))).toBe(false);")
            w.line("const above = await getData(\(list(query(scope, "\(f.name)[gt]=\(v)"))));")
            w.line("expect(hasRow(above, row, \(keyArray))).toBe(false);")
        }
    }

    /// A field whose values hold no commas: a key field, else an enum or a value the tests wrote.
    func inListField() -> Field? {
        let ok: (Field) -> Bool = { f in
            switch f.type {
            case .enumeration, .scalar(.int), .scalar(.bigInt): return true
            case .scalar(.string): return self.isKey(f) || self.bodyScalars.contains { $0.0.name == f.name }
            default: return false
            }
        }
        let fields = filterableRequired.filter(ok)
        return fields.first(where: isKey) ?? fields.first
    }

    /// `?f[in]=v,other` finds the row; `f[notIn]=v` does not.
    func inListFilter(_ f: Field, into w: inout CodeWriter) {
        let scope = scope("row", except: f.name) ?? ""
        let v = "${enc(\(TestEmitter.prop("row", f.name)))}"
        let other = "${enc(\(TestEmitter.missingValue(f, plan: plan)))}"
        w.block("it(\(tsString("filters with in and notIn (\(f.name))")), async () => {", close: "});") { w in
            w.line("const row = await \(shared)();")
            w.line("const match = await getData(\(list(query(scope, "\(f.name)[in]=\(v),\(other)"))));")
            w.line("expect(hasRow(match, row, \(keyArray))).toBe(true);")
            w.line("const others = await getData(\(list(query(scope, "\(f.name)[notIn]=\(v)"))));")
            w.line("expect(hasRow(others, row, \(keyArray))).toBe(false);")
        }
    }

    /// `?f[contains]=<part of the value>` finds the row; a longer, absent string does not.
    func containsFilter(_ f: Field, into w: inout CodeWriter) {
        let scope = scope("row", except: f.name) ?? ""
        w.block("it(\(tsString("filters strings with contains (\(f.name))")), async () => {", close: "});") { w in
            w.line("const row = await \(shared)();")
            w.line("const part = String(\(TestEmitter.prop("row", f.name))).slice(1);")
            w.line("const match = await getData(\(list(query(scope, "\(f.name)[contains]=${enc(part)}", "take=100"))));")
            w.line("expect(hasRow(match, row, \(keyArray))).toBe(true);")
            w.line("const none = await getData(\(list(query(scope, "\(f.name)[contains]=${enc(`${part}-absent-${run}`)}"))));")
            w.line("expect(hasRow(none, row, \(keyArray))).toBe(false);")
        }
    }

    /// `?f[isNull]=<whether the row's value is null>` finds the row; the opposite does not.
    func isNullFilter(_ f: Field, into w: inout CodeWriter) {
        let scope = scope("row") ?? ""
        w.block("it(\(tsString("filters nullable fields with isNull (\(f.name))")), async () => {", close: "});") { w in
            w.line("const row = await \(shared)();")
            w.line("const isNull = \(TestEmitter.prop("row", f.name)) === null;")
            w.line("const match = await getData(\(list(query(scope, "\(f.name)[isNull]=${isNull}"))));")
            w.line("expect(hasRow(match, row, \(keyArray))).toBe(true);")
            w.line("const none = await getData(\(list(query(scope, "\(f.name)[isNull]=${!isNull}"))));")
            w.line("expect(hasRow(none, row, \(keyArray))).toBe(false);")
        }
    }

    func sorting(into w: inout CodeWriter) {
        let sortable = m.visible.filter { m.isSortable($0) && $0.isRequired }
        let comparable = sortable.filter(isComparable)
        if let f = comparable.first(where: isKey) ?? comparable.first ?? sortable.first {
            let checked = isComparable(f)
            w.block("it(\(tsString("sorts with orderBy=-\(f.name) and orderBy=\(f.name):asc")), async () => {", close: "});") { w in
                w.line("await \(shared)();")
                w.line("await \(make)();")
                for (param, descending) in [("-\(f.name)", true), ("\(f.name):asc", false)] {
                    let name = descending ? "desc" : "asc"
                    w.line("const \(name) = await request(app).get(\(list("orderBy=\(param)&take=100")));")
                    w.line("expect(\(name).status, JSON.stringify(\(name).body)).toBe(200);")
                    w.line("expect(\(name).body.data.length).toBeGreaterThanOrEqual(2);")
                    if checked {
                        w.line("expect(isSorted(\(name).body.data.map((r: Row) => \(TestEmitter.prop("r", f.name))), \(descending))).toBe(true);")
                    }
                }
            }
        }
        w.block("it('answers 400 for an unknown sort field', async () => {", close: "});") { w in
            w.line("const res = await request(app).get(\(list("orderBy=\(unknownName())")));")
            w.line("expect(res.status).toBe(400);")
            w.line("expect(res.body.error).toBe('ValidationError');")
        }
    }
}

// MARK: - Relations

extension TestEmitter.ModelTests {
    var relationTargets: [(field: Field, target: ApiModel)] {
        m.relations.compactMap { r in
            guard case .model(let t) = r.type, let target = suite.model(t) else { return nil }
            return (r, target)
        }
    }

    /// What `?include=<r>` must show for the row in `data`.
    func includeChecks(_ r: Field, _ target: ApiModel, _ data: String, precise: Bool) -> [String] {
        let value = TestEmitter.prop(data, r.name)
        var out = ["expect(\(data)).toHaveProperty(\(tsString(r.name)));"]
        if r.isList { return out + ["expect(Array.isArray(\(value))).toBe(true);"] }
        let fkFields = r.relation?.fields ?? [], refs = r.relation?.references ?? []
        let readable = !fkFields.isEmpty && !fkFields.contains(where: m.hidden.contains) && !refs.contains(where: target.hidden.contains)
        guard precise, readable else { return out + ["expect(typeof \(value)).toBe('object');"] }
        let match = "{ \(zip(refs, fkFields).map { "\(tsKey($0)): \(TestEmitter.prop("row", $1))" }.joined(separator: ", ")) }"
        if r.isRequired { return out + ["expect(\(value)).toMatchObject(\(match));"] }
        out.append("if (\(TestEmitter.prop("row", fkFields[0])) === null) expect(\(value)).toBeNull();")
        out.append("else expect(\(value)).toMatchObject(\(match));")
        return out
    }

    /// The shared row of the target that points at this model's shared row (a back relation
    /// whose foreign key is required), or nil.
    func sharedChild(_ r: Field, _ target: ApiModel) -> TestEmitter.ModelTests? {
        guard target.name != m.name, (r.relation?.fields ?? []).isEmpty, r.relation?.kind != .manyToMany, suite.isCreatable(target.name),
              let opposite = r.relation?.oppositeField.flatMap({ target.model.field($0) }),
              opposite.isRequired, !(opposite.relation?.fields ?? []).isEmpty else { return nil }
        return TestEmitter.ModelTests(target, suite, asTarget: true)
    }

    func includes(into w: inout CodeWriter) {
        for (r, target) in relationTargets {
            let child = sharedChild(r, target)
            w.block("it(\(tsString("includes \(r.name) on GET /:key and on the list")), async () => {", close: "});") { w in
                w.line("const row = await \(shared)();")
                if let child {
                    w.line("// \(target.name)'s shared row points at this one; if it cannot be created, \(target.name)'s own tests say why.")
                    w.line("const child = await optional(\(child.shared));")
                }
                w.line("const one = (await getData(`${\(path("row"))}?include=\(r.name)`)) as Row;")
                var checks = includeChecks(r, target, "data", precise: true)
                if let child {
                    let value = TestEmitter.prop("data", r.name)
                    checks.append(r.isList
                        ? "if (child) expect(hasRow(\(value), child, \(child.keyArray))).toBe(true);"
                        : "if (child) expect(\(value)).toMatchObject(\(Self.keyObject(target, "child")));")
                }
                if let scope = scope("row") {
                    w.line("const list = (await getData(\(list(query("include=\(r.name)", scope))))) as Row[];")
                    w.line("expect(list).toHaveLength(1);")
                    w.block("for (const data of [one, list[0]]) {") { w in
                        for line in checks { w.line(line) }
                    }
                } else {
                    w.line("const data = one;")
                    for line in checks { w.line(line) }
                    w.line("const list = (await getData(\(list("include=\(r.name)&take=1")))) as Row[];")
                    for line in includeChecks(r, target, "list[0]", precise: false) { w.line(line) }
                }
            }
        }
    }

    /// `{ a: row.a, b: row.b }` over a model's key fields.
    static func keyObject(_ target: ApiModel, _ row: String) -> String {
        "{ \(target.key.map { "\(tsKey($0.name)): \(TestEmitter.prop(row, $0.name))" }.joined(separator: ", ")) }"
    }

    /// How the sub-route test gets a child row pointing at the shared row, or nil when it cannot:
    /// the target's shared row when its foreign key is required, else a new row pointing here
    /// (tolerated when it cannot be created, except for a self relation).
    func childOf(_ r: Field, _ target: ApiModel) -> String? {
        if let child = sharedChild(r, target) { return "await optional(\(child.shared))" }
        guard r.relation?.kind != .manyToMany, suite.isCreatable(target.name),
              let opposite = r.relation?.oppositeField.flatMap({ target.model.field($0) }),
              !(opposite.relation?.fields ?? []).isEmpty else { return nil }
        let overrides = TestEmitter.ModelTests(target, suite, asTarget: true).relationValue(opposite, parent: "row")
        if target.name == m.name { return "await make\(target.pascal)(\(overrides))" }
        return "await optional(() => make\(target.pascal)(\(overrides)))"
    }

    func subRoutes(into w: inout CodeWriter) {
        for (r, target) in relationTargets where r.isList {
            let child = childOf(r, target)
            w.block("it(\(tsString("lists \(r.name) at GET /:key/\(r.name)")), async () => {", close: "});") { w in
                w.line("const row = await \(shared)();")
                if let child {
                    if child.hasPrefix("await optional(") {
                        w.line("// A \(target.name) row pointing at this one; if it cannot be created, \(target.name)'s own tests say why.")
                    }
                    w.line("const child = \(child);")
                }
                w.line("const res = await request(app).get(`${\(path("row"))}/\(r.name)`);")
                w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                w.line("expect(Array.isArray(res.body.data)).toBe(true);")
                w.line("expect(res.body.meta).toMatchObject({ skip: 0 });")
                w.line("expect(typeof res.body.meta.total).toBe('number');")
                if let child {
                    let check = "expect(hasRow(res.body.data, child, \(TestEmitter.ModelTests(target, suite, asTarget: true).keyArray))).toBe(true);"
                    w.line(child.hasPrefix("await optional(") ? "if (child) \(check)" : check)
                }
            }
        }
    }

    func manyToMany(into w: inout CodeWriter) {
        for (r, target) in relationTargets where r.relation?.kind == .manyToMany && (r.relation?.fields.isEmpty ?? false) {
            guard suite.isCreatable(target.name), target.hasKey else { continue }
            let t = TestEmitter.ModelTests(target, suite, asTarget: true)
            let title = "links \(r.name) (many-to-many): connect on create, then disconnect, connect and set []"
            let sub = "`${url}/\(r.name)`"
            w.block("it(\(tsString(title)), async () => {", close: "});") { w in
                w.line("const target = \(target.name == m.name ? "await \(t.make)()" : "await \(t.shared)()");")
                w.line("const link = [\(Self.whereUnique(target, "target"))];")
                w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall("{ \(tsKey(r.name)): { connect: link } }")));")
                w.line("expect(res.status, JSON.stringify(res.body)).toBe(201);")
                w.line("const url = \(path("res.body.data"));")
                w.line("expect(hasRow(await getData(\(sub)), target, \(t.keyArray))).toBe(true);")
                w.line("let patch = await request(app).patch(url).send({ \(tsKey(r.name)): { disconnect: link } });")
                w.line("expect(patch.status, JSON.stringify(patch.body)).toBe(200);")
                w.line("expect(hasRow(await getData(\(sub)), target, \(t.keyArray))).toBe(false);")
                w.line("patch = await request(app).patch(url).send({ \(tsKey(r.name)): { connect: link } });")
                w.line("expect(patch.status, JSON.stringify(patch.body)).toBe(200);")
                w.line("const included = (await getData(`${url}?include=\(r.name)`)) as Row;")
                w.line("expect(hasRow(\(TestEmitter.prop("included", r.name)), target, \(t.keyArray))).toBe(true);")
                w.line("patch = await request(app).patch(url).send({ \(tsKey(r.name)): { set: [] } });")
                w.line("expect(patch.status, JSON.stringify(patch.body)).toBe(200);")
                w.line("expect(await getData(\(sub))).toEqual([]);")
            }
        }
    }

    /// Whether the database rejects a foreign key to a missing row by itself (MongoDB and
    /// `relationMode = "prisma"` do not, so the 422 test uses `{ connect }` there).
    var databaseChecksForeignKeys: Bool {
        guard let ds = plan.schema.datasources.first else { return true }
        return ds.connector != .mongodb && ds.relationMode != "prisma"
    }

    func relationChecks(into w: inout CodeWriter) {
        connectInsteadOfForeignKey(into: &w)
        missingParent(into: &w)
    }

    /// Creating with `{ rel: { connect } }` sets the same foreign key as setting it directly.
    func connectInsteadOfForeignKey(into w: inout CodeWriter) {
        let connectable = fills.filter { fkWritable($0.relation) && !($0.relation.relation?.fields ?? []).contains(where: m.hidden.contains) }
        guard let fill = connectable.first(where: \.required) ?? connectable.first else { return }
        let r = fill.relation
        let parent = fill.freshWhenFresh ? "await make\(fill.target.pascal)()" : "await the\(fill.target.pascal)()"
        let refs = (r.relation?.references ?? []).map { TestEmitter.prop("parent", $0) }
        w.block("it(\(tsString("creates with \(r.name): { connect } instead of its foreign key")), async () => {", close: "});") { w in
            w.line("const parent = \(parent);")
            w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall(relationObject(r, values: refs, connect: true))));")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(201);")
            w.line("expect(res.body.data).toMatchObject(\(relationObject(r, values: refs, connect: false)));")
        }
    }

    /// A foreign key (or `connect`) to a row that does not exist is a 422.
    func missingParent(into w: inout CodeWriter) {
        guard let (r, target) = relationTargets.first(where: { !$0.field.isList && !($0.field.relation?.fields ?? []).isEmpty }) else { return }
        let missing = (r.relation?.references ?? []).map { ref in
            target.model.field(ref).map { TestEmitter.missingValue($0, plan: plan) } ?? "`missing-${run}`"
        }
        let overrides = relationObject(r, values: missing, connect: !fkWritable(r) || !databaseChecksForeignKeys)
        w.block("it(\(tsString("answers 422 when \(r.name) points to a missing \(target.name)")), async () => {", close: "});") { w in
            w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall(overrides)));")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(422);")
            w.line("expect(res.body.error).toBe('UnprocessableEntity');")
        }
    }
}

// MARK: - Values, conflicts and invalid bodies

extension TestEmitter.ModelTests {
    /// A value sent on create, and what must come back (`toBe` a string, or `toEqual` what was sent).
    struct RoundTrip {
        let field: Field
        let kind: String
        let sent: String
        let expected: String?
    }

    static let exactBytesNatives: Set<String> = ["ByteA", "Blob", "LongBlob", "MediumBlob", "TinyBlob", "Image", "VarBinary", "Bytes"]

    func roundTrip(_ f: Field) -> RoundTrip? {
        switch f.type {
        case .scalar(.json):
            return RoundTrip(field: f, kind: "Json", sent: "{ run, nested: { list: [1, 'two', true, null], empty: {} }, ratio: 0.5 }", expected: nil)
        case .scalar(.bytes):
            guard f.nativeType.map({ Self.exactBytesNatives.contains($0.name) && (Int($0.arguments.first ?? "") ?? 8) >= 4 }) ?? true else { return nil }
            return RoundTrip(field: f, kind: "Bytes", sent: "'+/8AAQ=='", expected: "'+/8AAQ=='")
        case .scalar(.decimal):
            let v = TestEmitter.decimalLiteral(f, integer: "12", fraction: "34")
            return RoundTrip(field: f, kind: "Decimal", sent: v, expected: v)
        case .scalar(.bigInt):
            return RoundTrip(field: f, kind: "BigInt", sent: "'9007199254740993'", expected: "'9007199254740993'")
        case .scalar(.dateTime):
            if f.nativeType?.name == "Date" { return RoundTrip(field: f, kind: "DateTime", sent: "'2024-02-29'", expected: "'2024-02-29T00:00:00.000Z'") }
            guard f.nativeType == nil else { return nil }
            return RoundTrip(field: f, kind: "DateTime", sent: "'2024-02-29T13:14:15.678+01:00'", expected: "'2024-02-29T12:14:15.678Z'")
        default:
            return nil
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func sentence(_ words: [String]) -> String {
        words.count <= 1 ? words.joined() : words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
    }

    func roundTrips(into w: inout CodeWriter) {
        let trips = createFields.filter { !fks.contains($0.name) && !m.hidden.contains($0.name) && !$0.isList && !uniqueNames.contains($0.name) }
            .compactMap(roundTrip)
        let sentNames = Set(trips.map(\.field.name))
        let bigIntsOut = m.visible.filter { $0.scalarType == .bigInt && !$0.isList && !sentNames.contains($0.name) }
        guard !trips.isEmpty || !bigIntsOut.isEmpty else { return }
        var kinds: [String] = []
        for k in trips.map(\.kind) + (bigIntsOut.isEmpty ? [] : ["BigInt"]) where !kinds.contains(k) { kinds.append(k) }
        let title = trips.isEmpty ? "returns BigInt values as strings" : "round-trips \(Self.sentence(kinds)) values"
        w.block("it(\(tsString(title)), async () => {", close: "});") { w in
            let fields = trips.map { "\(tsKey($0.field.name)): \($0.sent)" }
            w.line("const sent: Row = \(fields.isEmpty ? "{}" : "{ \(fields.joined(separator: ", ")) }");")
            w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall("sent")));")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(201);")
            w.line("const back = await getData(\(path("res.body.data")));")
            w.block("for (const data of [res.body.data, back] as Row[]) {") { w in
                for t in trips {
                    let value = TestEmitter.prop("data", t.field.name)
                    if let expected = t.expected {
                        w.line("expect(\(value)).toBe(\(expected));")
                    } else {
                        w.line("expect(\(value)).toEqual(\(TestEmitter.prop("sent", t.field.name)));")
                    }
                }
                for f in bigIntsOut {
                    let value = TestEmitter.prop("data", f.name)
                    w.line(f.isRequired ? "expect(\(value)).toMatch(/^-?\\d+$/);" : "if (\(value) !== null) expect(\(value)).toMatch(/^-?\\d+$/);")
                }
            }
        }
    }

    /// A unique criterion the tests write themselves (no defaults, nothing hidden), with the
    /// other foreign keys of the relations it touches; plain fields before foreign keys.
    func conflictFields() -> [String]? {
        let candidates = m.uniqueCriteria.map(\.fields).filter { c in
            c.allSatisfy { createNames.contains($0.name) && $0.defaultValue == nil && !m.hidden.contains($0.name) }
        }
        guard let chosen = candidates.first(where: { !$0.contains { fks.contains($0.name) } }) ?? candidates.first else { return nil }
        var names = chosen.map(\.name)
        for r in m.ownedRelations {
            let fkFields = r.relation?.fields ?? []
            guard fkFields.contains(where: names.contains) else { continue }
            for f in fkFields where !names.contains(f) { names.append(f) }
        }
        return names.allSatisfy({ !m.hidden.contains($0) }) ? names : nil
    }

    func conflict(into w: inout CodeWriter) {
        guard let names = conflictFields() else {
            w.line("// \(m.name) has no unique field the tests write themselves: no 409 check.")
            return
        }
        let overrides = "{ \(names.map { "\(tsKey($0)): \(TestEmitter.prop("row", $0))" }.joined(separator: ", ")) }"
        w.block("it(\(tsString("answers 409 Conflict for a second row with the same \(Self.sentence(names))")), async () => {", close: "});") { w in
            w.line("const row = await \(shared)();")
            w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall(overrides)));")
            w.line("expect(res.status, JSON.stringify(res.body)).toBe(409);")
            w.line("expect(res.body.error).toBe('Conflict');")
        }
    }

    func invalidBodies(into w: inout CodeWriter) {
        let bodyNames = bodyScalars.map(\.0.name)
        let ordered = createFields.sorted { a, b in
            let ra = bodyNames.contains(a.name) ? 0 : fks.contains(a.name) ? 1 : 2
            let rb = bodyNames.contains(b.name) ? 0 : fks.contains(b.name) ? 1 : 2
            return ra < rb
        }
        if let f = ordered.first(where: { TestEmitter.wrongValue($0) != nil }), let wrong = TestEmitter.wrongValue(f) {
            w.block("it(\(tsString("answers 400 for a wrongly typed \(f.name)")), async () => {", close: "});") { w in
                w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall("{ \(tsKey(f.name)): \(wrong) }")));")
                w.line("expect(res.status).toBe(400);")
                w.line("expect(res.body.error).toBe('ValidationError');")
            }
        }
        w.block("it('answers 400 for an unknown field', async () => {", close: "});") { w in
            w.line("const res = await postRow(\(route), \(keyArray), \(bodyCall("{ \(unknownName()): true }")));")
            w.line("expect(res.status).toBe(400);")
            w.line("expect(res.body.error).toBe('ValidationError');")
        }
    }
}
