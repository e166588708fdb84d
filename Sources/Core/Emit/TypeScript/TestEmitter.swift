/// Phase 12 (standalone mode): vitest + supertest tests that drive the generated API over
/// HTTP against the database in `DATABASE_URL` — for every model: create (parents first,
/// valid enum values, unique values that do not collide), read, update, list with pagination
/// and a filter, delete (children first), a 404 and a 400.
enum TestEmitter {
    static func files(plan: ApiPlan, options: CodeGenerator.Options) -> [GeneratedFile] {
        [
            GeneratedFile(path: "vitest.config.ts", contents: vitestConfig, kind: .test),
            GeneratedFile(path: "tests/setup.ts", contents: setup, kind: .test),
            GeneratedFile(path: "tests/api.test.ts", contents: apiTest(plan, options), kind: .test),
        ]
    }

    static let vitestConfig = BaseEmitter.header + #"""
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});

"""#

    static let setup = BaseEmitter.header + #"""
import 'dotenv/config';

process.env.NODE_ENV = process.env.NODE_ENV ?? 'test';
if (!process.env.DATABASE_URL) {
  throw new Error('DATABASE_URL is not set: the API tests need a database (copy .env.example to .env), then run `npm run db:push`.');
}

"""#

    /// Why a model cannot be exercised, or nil when it can.
    static func skipReason(_ m: ApiModel, plan: ApiPlan, creatable: Set<String>) -> String? {
        if m.isReadOnly { return nil }
        if !m.hasKey { return "it has no unique key to address a row" }
        for r in m.ownedRelations where r.isRequired {
            guard case .model(let t) = r.type else { continue }
            if t == m.name { return "it has a required relation to itself" }
            if !creatable.contains(t) { return "its required relation `\(r.name)` points to \(t), which the tests cannot create" }
        }
        // Required foreign keys to models without an API.
        for f in m.model.fields where f.isRelation && f.isRequired && !f.isList {
            if case .model(let t) = f.type, plan.model(t) == nil, !(f.relation?.fields.isEmpty ?? true) {
                return "its required relation `\(f.name)` points to \(t), which has no API"
            }
        }
        return nil
    }

    /// A TypeScript expression producing a valid value for a field (unique per test run).
    static func sample(_ f: Field, model: ApiModel, plan: ApiPlan) -> String? {
        let native = f.nativeType?.name
        let length = f.nativeType?.arguments.first.flatMap { Int($0) }
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
            let v: String
            switch s {
            case .string:
                switch native {
                case "Uuid", "UniqueIdentifier": v = "randomUUID()"
                case "ObjectId": v = "objectId()"
                case "Inet": v = "'127.0.0.1'"
                case "Xml": v = "'<a/>'"
                case "Bit", "VarBit": v = "'1'"
                case "Char", "NChar": v = "unique(\(tsString(f.name)), \(length ?? 1), true)"
                default:
                    let lower = f.name.lowercased()
                    if lower.contains("email") { v = "`\(Naming.kebab(f.name))-${run}-${next()}@example.com`" }
                    else if lower.contains("url") || lower.contains("website") { v = "`https://example.com/${run}/${next()}`" }
                    else { v = "unique(\(tsString(f.name)), \(length.map(String.init) ?? "191"))" }
                }
            case .int:
                v = native == "SmallInt" || native == "Int2" || native == "TinyInt" || native == "UnsignedTinyInt" || native == "Year" ? "next() % 100 + 1" : "seq()"
            case .bigInt: v = "String(seq())"
            case .float: v = "1.5"
            case .decimal: v = "'1'"
            case .boolean: v = "true"
            case .dateTime: v = "new Date().toISOString()"
            case .json: v = "{ run }"
            case .bytes: v = "'AQID'"
            }
            return f.isList ? "[\(v)]" : v
        default:
            return nil
        }
    }

    static func apiTest(_ plan: ApiPlan, _ options: CodeGenerator.Options) -> String {
        let order = RelationGraph.creationOrder(plan.schema).compactMap { plan.model($0) }
        var creatable: Set<String> = []
        var reasons: [String: String] = [:]
        for m in order {
            if let reason = skipReason(m, plan: plan, creatable: creatable) { reasons[m.name] = reason } else if !m.isReadOnly { creatable.insert(m.name) }
        }
        var tests = CodeWriter()
        for m in order {
            tests.line()
            if let reason = reasons[m.name] {
                tests.line("// \(m.name) is not exercised: \(reason).")
                tests.block("describe.skip(\(tsString(m.name)), () => {", close: "});") { w in
                    w.line("it('is skipped', () => undefined);")
                }
                continue
            }
            if m.isReadOnly {
                tests.block("describe(\(tsString("\(m.name) (view)")), () => {", close: "});") { w in
                    w.block("it('lists with pagination', async () => {", close: "});") { w in
                        w.line("const res = await request(app).get(`${api}/\(m.route)?take=1`);")
                        w.line("expect(res.status).toBe(200);")
                        w.line("expect(res.body.meta.take).toBe(1);")
                        w.line("expect(res.body.data.length).toBeLessThanOrEqual(1);")
                    }
                }
                continue
            }
            modelTests(m, plan: plan, into: &tests)
        }
        let testCode = tests.text
        var w = CodeWriter()
        w.line(BaseEmitter.header.trimmingCharacters(in: .newlines))
        if testCode.contains("randomUUID()") || testCode.contains("objectId()") { w.line("import { randomUUID } from 'node:crypto';") }
        w.line("import { PrismaClient } from '@prisma/client';")
        w.line("import request from 'supertest';")
        w.line("import { afterAll, describe, expect, it } from 'vitest';")
        w.line("import { createApp } from '../src/app.js';")
        w.line()
        w.lines(#"""
const prisma = new PrismaClient();
const app = createApp(prisma);
const api = process.env.API_PREFIX ?? '\#(options.apiPrefix)';

// Values unique to this run, so repeated runs against one database do not collide.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
\#(helpers(testCode))

/** Rows created by the tests, by model (as the API returned them). */
const created: Record<string, Record<string, unknown>> = {};
/** Models whose row was created, in creation order (deleted in reverse). */
const createdOrder: string[] = [];

function path(model: string, key: readonly unknown[]): string {
  return `${api}/${model}/${key.map((k) => encodeURIComponent(String(k))).join('/')}`;
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe('service', () => {
  it('answers /health', async () => {
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
  });
  it('answers an unknown route with 404', async () => {
    const res = await request(app).get(`${api}/no-such-route-${run}`);
    expect(res.status).toBe(404);
  });
});
"""#)
        w.lines(testCode.trimmingCharacters(in: .newlines))
        w.line()
        w.block("describe('cleanup', () => {", close: "});") { w in
            w.block("it('deletes every created row (children first), then 404s', async () => {", close: "});") { w in
                w.line("const keys: Record<string, string[]> = {")
                w.indent { w in
                    for m in order where creatable.contains(m.name) {
                        w.line("\(tsString(m.name)): [\(m.key.map { tsString($0.name) }.joined(separator: ", "))],")
                    }
                }
                w.line("};")
                w.line("const routes: Record<string, string> = {")
                w.indent { w in
                    for m in order where creatable.contains(m.name) { w.line("\(tsString(m.name)): \(tsString(m.route)),") }
                }
                w.line("};")
                w.block("for (const model of [...createdOrder].reverse()) {") { w in
                    w.line("const row = created[model];")
                    w.line("const url = path(routes[model], keys[model].map((k) => row[k]));")
                    w.line("const res = await request(app).delete(url);")
                    w.line("expect(res.status, `DELETE ${url}: ${JSON.stringify(res.body)}`).toBe(204);")
                    w.line("const gone = await request(app).get(url);")
                    w.line("expect(gone.status).toBe(404);")
                }
            }
        }
        return w.text
    }

    /// The value helpers the test code uses (unused locals fail `tsc --noUnusedLocals`).
    static func helpers(_ code: String) -> String {
        var out: [String] = []
        let usesSeq = code.contains("seq()")
        let usesUnique = code.contains("unique(")
        if usesSeq || usesUnique || code.contains("next()") {
            out.append("let counter = 0;\nconst next = (): number => ++counter;")
        }
        if usesSeq {
            out.append("const seqBase = Math.floor(Math.random() * 1_000_000) * 1000;\nconst seq = (): number => seqBase + next();")
        }
        if usesUnique {
            out.append(#"""
            function unique(field: string, maxLength: number, exact = false): string {
              const value = `${field}-${run}-${next()}`;
              if (exact) return value.slice(-maxLength).padStart(maxLength, 'x');
              return value.length > maxLength ? value.slice(value.length - maxLength) : value;
            }
            """#)
        }
        if code.contains("objectId()") {
            out.append("function objectId(): string {\n  return (Date.now().toString(16) + randomUUID().replace(/-/g, '')).slice(0, 24);\n}")
        }
        return out.joined(separator: "\n")
    }

    static func modelTests(_ m: ApiModel, plan: ApiPlan, into w: inout CodeWriter) {
        let keyNames = m.key.map(\.name)
        let fks = m.foreignKeyFields
        // Body: required fields without defaults, key fields without defaults, and foreign keys of owned relations.
        var body: [(String, String)] = []
        for f in ContractEmitter.inputFields(m, update: false) where !fks.contains(f.name) {
            let needsValue = (f.isRequired && f.defaultValue == nil) || (keyNames.contains(f.name) && f.defaultValue == nil)
                || (f.isUnique && f.defaultValue == nil && f.arity != .list)
            guard needsValue, let v = sample(f, model: m, plan: plan) else { continue }
            body.append((f.name, v))
        }
        var connects: [(relation: Field, target: ApiModel)] = []
        for r in m.ownedRelations {
            guard case .model(let t) = r.type, t != m.name, let target = plan.model(t) else { continue }
            connects.append((r, target))
        }
        let keyExpr = "[\(keyNames.map { "row.\($0)" }.joined(separator: ", "))]"
        w.block("describe(\(tsString(m.name)), () => {", close: "});") { w in
            w.line("let row: Record<string, unknown> = {};")
            w.line()
            w.block("it('creates', async () => {", close: "});") { w in
                w.line("const body: Record<string, unknown> = {")
                w.indent { w in for (k, v) in body { w.line("\(tsKey(k)): \(v),") } }
                w.line("};")
                for (r, target) in connects {
                    let fks = r.relation?.fields ?? []
                    let refs = r.relation?.references ?? []
                    let cond = r.isRequired ? "" : "if (created[\(tsString(target.name))]) "
                    let assigns = zip(fks, refs).map { "body.\($0) = created[\(tsString(target.name))].\($1);" }.joined(separator: " ")
                    w.line("\(cond){ \(assigns) }")
                }
                w.line("const res = await request(app).post(`${api}/\(m.route)`).send(body);")
                w.line("expect(res.status, JSON.stringify(res.body)).toBe(201);")
                w.line("row = res.body.data;")
                w.line("created[\(tsString(m.name))] = row;")
                w.line("createdOrder.push(\(tsString(m.name)));")
                for h in m.hidden.sorted() { w.line("expect(row).not.toHaveProperty(\(tsString(h)));") }
            }
            w.block("it('reads', async () => {", close: "});") { w in
                w.line("const res = await request(app).get(path(\(tsString(m.route)), \(keyExpr)));")
                w.line("expect(res.status).toBe(200);")
                w.line("expect(res.body.data).toEqual(row);")
            }
            // list with a filter on a key field (always filterable unless Json/Bytes)
            let filterField = m.key.first(where: m.isFilterable) ?? m.visible.first(where: { m.isFilterable($0) && $0.isRequired && !$0.isList })
            w.block("it('lists with pagination and a filter', async () => {", close: "});") { w in
                if let f = filterField {
                    w.line("const value = row.\(f.name);")
                    w.line("const res = await request(app).get(`${api}/\(m.route)?take=5&\(f.name)=${encodeURIComponent(String(value))}`);")
                    w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                    w.line("expect(res.body.meta.take).toBe(5);")
                    w.line("expect(res.body.data.some((r: Record<string, unknown>) => r.\(f.name) === value)).toBe(true);")
                } else {
                    w.line("const res = await request(app).get(`${api}/\(m.route)?take=5`);")
                    w.line("expect(res.status).toBe(200);")
                }
                w.line("const page = await request(app).get(`${api}/\(m.route)?take=1&skip=0`);")
                w.line("expect(page.status).toBe(200);")
                w.line("expect(page.body.data.length).toBeLessThanOrEqual(1);")
                w.line("expect(page.body.meta.total).toBeGreaterThanOrEqual(1);")
            }
            // update: change one plain writable field
            let updatable = ContractEmitter.inputFields(m, update: true).first { f in
                !fks.contains(f.name) && !keyNames.contains(f.name) && !m.hidden.contains(f.name) && !f.isList && !f.isUnique
                    && [ScalarType.string, .int, .boolean, .float].contains(f.scalarType ?? .json) && f.nativeType == nil
            }
            w.block("it('updates', async () => {", close: "});") { w in
                if let f = updatable {
                    let value: String
                    switch f.scalarType {
                    case .string?: value = "`updated-${run}`"
                    case .int?: value = "7"
                    case .boolean?: value = "false"
                    default: value = "2.5"
                    }
                    w.line("const res = await request(app).patch(path(\(tsString(m.route)), \(keyExpr))).send({ \(tsKey(f.name)): \(value) });")
                    w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                    w.line("expect(res.body.data.\(f.name)).toEqual(\(value));")
                } else {
                    w.line("const res = await request(app).patch(path(\(tsString(m.route)), \(keyExpr))).send({});")
                    w.line("expect(res.status, JSON.stringify(res.body)).toBe(200);")
                }
                w.line("row = res.body.data;")
                w.line("created[\(tsString(m.name))] = row;")
            }
            w.block("it('answers 404 for a missing row', async () => {", close: "});") { w in
                let missing = m.key.map { f -> String in
                    switch f.type {
                    case .scalar(.int): return "2147483646"
                    case .scalar(.bigInt): return "'9007199254740993'"
                    case .scalar(.float), .scalar(.decimal): return "'987654.321'"
                    case .scalar(.boolean): return "'false'"
                    case .scalar(.dateTime): return "'1901-01-01T00:00:00.000Z'"
                    case .enumeration(let e): return tsString(plan.schema.enumType(e)?.values.last?.name ?? "X")
                    default:
                        switch f.nativeType?.name {
                        case "Uuid", "UniqueIdentifier": return "'00000000-0000-4000-8000-000000000000'"
                        case "ObjectId": return "'ffffffffffffffffffffffff'"
                        default: return "`missing-${run}`"
                        }
                    }
                }
                w.line("const res = await request(app).get(path(\(tsString(m.route)), [\(missing.joined(separator: ", "))]));")
                w.line("expect(res.status).toBe(404);")
            }
            w.block("it('answers 400 for an invalid body', async () => {", close: "});") { w in
                if let f = body.first.flatMap({ b in m.model.field(b.0) }) {
                    let wrong = f.scalarType == .string || { if case .enumeration = f.type { return true }; return false }() ? "12345" : "'not-a-valid-value'"
                    w.line("const res = await request(app).post(`${api}/\(m.route)`).send({ \(tsKey(f.name)): \(wrong) });")
                } else {
                    w.line("const res = await request(app).post(`${api}/\(m.route)`).send({ unknownField: true });")
                }
                w.line("expect(res.status).toBe(400);")
                w.line("expect(res.body.error).toBe('ValidationError');")
            }
        }
    }
}
