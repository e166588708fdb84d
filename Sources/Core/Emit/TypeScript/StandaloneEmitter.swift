import Foundation

/// Phase 11 (standalone mode): a runnable project around the generated layers —
/// package.json, tsconfig, env, app/server/db/config/logger, and the Prisma schema.
enum StandaloneEmitter {
    /// Dependency ranges of the generated project (current releases when this was written).
    static let dependencies: [(String, String)] = [
        ("@prisma/client", "^6.19.0"),
        ("cors", "^2.8.5"),
        ("dotenv", "^16.6.1"),
        ("express", "^5.1.0"),
        ("helmet", "^8.1.0"),
        ("pino", "^9.9.0"),
        ("pino-http", "^10.5.0"),
        ("zod", "^3.25.76"),
    ]
    static let devDependencies: [(String, String)] = [
        ("@types/cors", "^2.8.19"),
        ("@types/express", "^5.0.3"),
        ("@types/node", "^22.18.0"),
        ("@types/supertest", "^6.0.3"),
        ("prisma", "^6.19.0"),
        ("supertest", "^7.1.4"),
        ("tsx", "^4.20.5"),
        ("typescript", "^5.9.2"),
        ("vitest", "^3.2.4"),
    ]

    static func files(plan: ApiPlan, projectName: String, schema: SourceSet, ast: SchemaAST, options: CodeGenerator.Options) -> [GeneratedFile] {
        let provider = plan.schema.provider ?? .postgresql
        return [
            GeneratedFile(path: "package.json", contents: packageJSON(projectName).rendered(), kind: .standalone),
            GeneratedFile(path: ".env.example", contents: envExample(plan, provider, options), kind: .standalone),
            GeneratedFile(path: ".gitignore", contents: "node_modules/\ndist/\ncoverage/\n.env\n", kind: .standalone),
            GeneratedFile(path: "README.md", contents: readme(plan, projectName, provider, options), kind: .standalone),
            GeneratedFile(path: "src/config.ts", contents: config(plan, options), kind: .standalone),
            GeneratedFile(path: "src/logger.ts", contents: logger, kind: .standalone),
            GeneratedFile(path: "src/db.ts", contents: db, kind: .standalone),
            GeneratedFile(path: "src/docs.ts", contents: docs, kind: .standalone),
            GeneratedFile(path: "src/app.ts", contents: app, kind: .standalone),
            GeneratedFile(path: "src/server.ts", contents: server, kind: .standalone),
            GeneratedFile(path: "prisma/schema.prisma", contents: SchemaCopy.render(schema: schema, ast: ast, model: plan.schema), kind: .standalone),
        ]
    }

    static func slug(_ name: String) -> String {
        let s = Naming.kebab(name).filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return s.isEmpty ? "generated-api" : s
    }

    static func packageJSON(_ name: String) -> JSONValue {
        .object([
            ("name", .string(slug(name))),
            ("version", "0.1.0"),
            ("private", true),
            ("type", "module"),
            ("engines", ["node": ">=20"]),
            ("scripts", .object([
                ("dev", "tsx watch src/server.ts"),
                ("build", "tsc -p tsconfig.build.json"),
                ("start", "node dist/server.js"),
                ("test", "vitest run"),
                ("typecheck", "tsc -p tsconfig.json --noEmit"),
                ("db:push", "prisma db push"),
                ("db:generate", "prisma generate"),
                ("postinstall", "prisma generate"),
            ])),
            ("dependencies", .object(dependencies.map { ($0.0, .string($0.1)) })),
            ("devDependencies", .object(devDependencies.map { ($0.0, .string($0.1)) })),
        ])
    }

    /// `tsconfig.json`: type-checks everything (app, tests, vitest config) without emitting.
    static let tsconfig: JSONValue = [
        "compilerOptions": [
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": true,
            "esModuleInterop": true,
            "skipLibCheck": true,
            "forceConsistentCasingInFileNames": true,
            "resolveJsonModule": true,
            "noEmit": true,
            "types": ["node"],
        ],
        "include": ["src/**/*.ts", "tests/**/*.ts", "vitest.config.ts"],
    ]

    /// `tsconfig.build.json`: compiles `src/` alone into `dist/` (`npm run build`).
    static let tsconfigBuild: JSONValue = [
        "extends": "./tsconfig.json",
        "compilerOptions": [
            "noEmit": false,
            "rootDir": "src",
            "outDir": "dist",
            "sourceMap": true,
        ],
        "include": ["src/**/*.ts"],
    ]

    static func exampleURL(_ p: Provider) -> String {
        switch p {
        case .postgresql: return "postgresql://postgres:postgres@localhost:5432/app?schema=public"
        case .cockroachdb: return "postgresql://root@localhost:26257/app?sslmode=disable"
        case .mysql: return "mysql://root:root@localhost:3306/app"
        case .sqlserver: return "sqlserver://localhost:1433;database=app;user=sa;password=Passw0rd!;trustServerCertificate=true"
        case .sqlite: return "file:./dev.db"
        case .mongodb: return "mongodb://localhost:27017/app?replicaSet=rs0"
        }
    }

    static func envExample(_ plan: ApiPlan, _ p: Provider, _ o: CodeGenerator.Options) -> String {
        """
        # Copy to .env and adjust. The tests (npm test) run against this database.
        \(plan.databaseURLVariable)="\(plan.literalDatabaseURL ?? exampleURL(p))"
        PORT=3000
        NODE_ENV=development
        LOG_LEVEL=info
        API_PREFIX=\(o.apiPrefix)
        # Comma-separated origins allowed by CORS; * allows any.
        CORS_ORIGIN=*

        """
    }

    static func config(_ plan: ApiPlan, _ o: CodeGenerator.Options) -> String {
        let variable = tsString(plan.databaseURLVariable)
        let url = "required(\(variable)\(plan.literalDatabaseURL.map { ", " + tsString($0) } ?? ""))"
        return BaseEmitter.header + #"""
import 'dotenv/config';

/** An environment variable's value (else `fallback`, the schema's literal URL); unset is an error. */
function required(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (value === undefined || value.length === 0) {
    throw new Error(`${name} is not set: copy .env.example to .env and fill it in`);
  }
  return value;
}

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);

export const config = {
  /** The schema's datasource URL (`\#(plan.databaseURLVariable)`), passed to PrismaClient. */
  databaseUrl: \#(url),
  port,
  nodeEnv: process.env.NODE_ENV ?? 'development',
  logLevel: process.env.LOG_LEVEL ?? 'info',
  apiPrefix: process.env.API_PREFIX ?? '\#(o.apiPrefix)',
  corsOrigin: (process.env.CORS_ORIGIN ?? '*') === '*' ? true : (process.env.CORS_ORIGIN ?? '').split(',').map((s) => s.trim()),
} as const;

"""#
    }

    static let logger = BaseEmitter.header + #"""
import { pino } from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: ['req.headers.authorization', 'req.headers.cookie'],
});

"""#

    static let db = BaseEmitter.header + #"""
import { PrismaClient } from '@prisma/client';
import { config } from './config.js';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** One PrismaClient per process (kept across hot reloads in development), on the configured database. */
export const prisma: PrismaClient = globalForPrisma.prisma ?? new PrismaClient({ datasourceUrl: config.databaseUrl });

if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;

"""#

    static let app = BaseEmitter.header + #"""
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { PrismaClient } from '@prisma/client';
import { errorHandler, notFoundHandler } from './base/index.js';
import { config } from './config.js';
import { docsPage, loadOpenApi } from './docs.js';
import { logger } from './logger.js';
import { createApiRouter } from './routes/api.js';

/** Builds the Express app; the tests call this with their own PrismaClient. */
export function createApp(prisma: PrismaClient) {
  const app = express();
  app.disable('x-powered-by');
  // The request logger comes first, so requests that fail in body parsing are logged too.
  app.use(pinoHttp({ logger, autoLogging: config.nodeEnv !== 'test' }));
  app.use(helmet());
  app.use(cors({ origin: config.corsOrigin }));
  app.use(express.json({ limit: '1mb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // The OpenAPI document, with `servers` set to the configured API_PREFIX, and a page that lists it.
  const spec = loadOpenApi(config.apiPrefix);
  app.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(spec));
  });
  app.use(config.apiPrefix, createApiRouter(prisma));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

"""#

    static let server = BaseEmitter.header + #"""
import { config } from './config.js';
import { prisma } from './db.js';
import { logger } from './logger.js';
import { createApp } from './app.js';

async function main(): Promise<void> {
  await prisma.$connect();
  const app = createApp(prisma);
  // Express 5 hands a listen error (port in use, no permission) to this callback.
  const server = app.listen(config.port, (error?: Error) => {
    if (error) {
      logger.error({ err: error, port: config.port }, 'could not listen');
      void prisma.$disconnect().finally(() => process.exit(1));
      return;
    }
    logger.info({ port: config.port, prefix: config.apiPrefix }, 'API listening');
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      prisma.$disconnect().finally(() => process.exit(0));
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  logger.error({ err }, 'failed to start');
  process.exit(1);
});

"""#

    /// `src/docs.ts`: finds `openapi.json` and renders the docs page (no CDN: helmet's CSP allows none).
    static let docs = BaseEmitter.header + #"""
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Spec = Record<string, unknown>;

/** Reads openapi.json (project root; found from src/ under tsx and from dist/ after a build). */
export function loadOpenApi(apiPrefix: string): Spec {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i += 1) {
    const file = join(dir, 'openapi.json');
    if (existsSync(file)) {
      const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
      return { ...spec, servers: [{ url: apiPrefix }] };
    }
    dir = dirname(dir);
  }
  throw new Error('openapi.json not found next to the project');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page listing every operation of the document, with a link to the JSON. */
export function docsPage(spec: Spec): string {
  const info = (spec.info ?? {}) as { title?: string; version?: string };
  const server = ((spec.servers as Array<{ url: string }> | undefined) ?? [])[0]?.url ?? '';
  const rows: string[] = [];
  for (const [path, item] of Object.entries((spec.paths ?? {}) as Record<string, Record<string, { summary?: string }>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op !== 'object' || op === null || !('responses' in op)) continue;
      rows.push(`<tr><td><code>${escape(method.toUpperCase())}</code></td><td><code>${escape(server + path)}</code></td><td>${escape(op.summary ?? '')}</td></tr>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(info.title ?? 'API')}</title></head>` +
    `<body><h1>${escape(info.title ?? 'API')} ${escape(info.version ?? '')}</h1>` +
    `<p>The full description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>` +
    `<table><thead><tr><th>method</th><th>path</th><th>summary</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}

"""#

    static func readme(_ plan: ApiPlan, _ name: String, _ p: Provider, _ o: CodeGenerator.Options) -> String {
        var s = """
        # \(name) API

        A REST API generated by phaserunner from `prisma/schema.prisma`: Express 5, Prisma Client,
        Zod validation and an OpenAPI 3.1 description (`openapi.json`).

        ## Run it

        ```sh
        npm install                 # also runs `prisma generate`
        cp .env.example .env        # point \(plan.databaseURLVariable) at your \(NativeTypes.providerLabel(p)) database
        npm run db:push             # create the tables from prisma/schema.prisma
        npm run dev                 # http://localhost:3000\(o.apiPrefix) — docs at /docs, /openapi.json
        ```

        `npm test` runs the generated tests over HTTP against `\(plan.databaseURLVariable)`: for every
        model they create, read, update, list, filter, sort, include relations and delete rows, and
        check the 400, 404, 409 and 422 answers. Use a database you can write to. Each model has its
        own file, `tests/<model>.test.ts` (rows come from `tests/factories/`, helpers from
        `tests/support.ts`); the files run one at a time and each deletes the rows it created.
        `npm run build` compiles `src/` into `dist/`; `npm start` runs it.

        ## Endpoints

        Per model: `GET /` (list), `POST /` (201), `GET /:key`, `PATCH /:key` (only the given
        fields change; there is no PUT), `DELETE /:key` (204), and `GET /:key/<relation>` for list
        relations. Lists take `skip`, `take` (at most 100), `orderBy` (`name,-createdAt`), `include`
        (relations) and per field `?f=value` or `?f[op]=value` (`equals`, `not`, `in`, `notIn`,
        `lt`, `lte`, `gt`, `gte`, `contains`, `startsWith`, `endsWith`); optional fields take
        `?f[isNull]=true|false` (the word `null` is an ordinary value).
        They answer `{ data, meta: { total, skip, take, hasMore } }`; single rows answer `{ data }`.
        Bodies set a relation by its foreign key or `{ "relation": { "connect": { … } } }`; ids the
        database generates are not accepted. BigInt and Decimal values are strings (BigInt also a
        safe JSON integer), Bytes are base64, DateTime is ISO 8601 with an offset. Errors are
        `{ error, message, details? }`: 400 (validation), 404, 409 (unique value, or still
        referenced), 422 (a related record does not exist), 500.

        Sensitive fields (passwords, tokens, secrets) are never returned; every write of them goes
        through `hashSecret` in `src/hooks/secrets.ts`, which stores passwords as salted scrypt
        hashes by default. That file is yours: phaserunner keeps your edits.

        | model | path |
        | --- | --- |

        """
        for m in plan.models {
            s += "| \(m.name)\(m.isReadOnly ? " (view, read-only)" : "") | `\(o.apiPrefix)/\(m.route)` |\n"
        }
        if !plan.excluded.isEmpty {
            s += "\nNot exposed: " + plan.excluded.map { "\($0.model) (\($0.reason))" }.joined(separator: ", ") + ".\n"
        }
        s += """

        ## Layout

        `src/contracts` (DTO types), `src/validators` (Zod), `src/services` (Prisma),
        `src/controllers`, `src/routes` (`routes/api.ts` mounts everything), `src/base` (shared
        controller, errors, pagination), `src/manifests/generation.json` (what was generated, with hashes).
        Files are regenerated on every run: change the schema, not the generated code.

        """
        return s
    }
}

/// The project's `prisma/schema.prisma`: the input schema, made runnable with the generated
/// code — its generators are replaced by one `prisma-client-js` generator (the code imports
/// `@prisma/client`), and a Prisma 7 style datasource without `url` gets `env("DATABASE_URL")`.
enum SchemaCopy {
    static func render(schema: SourceSet, ast: SchemaAST, model: SchemaModel) -> String {
        var out = "// Copied from the input schema by phaserunner; generator blocks are replaced so that\n// `prisma generate` produces the @prisma/client the generated code imports.\n"
        let preview = Array(Set(model.generators.flatMap(\.previewFeatures))).sorted()
        var wroteGenerator = false
        for (index, file) in schema.files.enumerated() {
            var removals: [Span] = []
            var insertUrlAt: Int?
            for top in ast.tops {
                guard case .config(let c) = top, c.span.file == index else { continue }
                if c.kind == .generator { removals.append(c.span) }
                if c.kind == .datasource, !c.properties.contains(where: { $0.name.name == "url" }),
                   let provider = c.properties.first(where: { $0.name.name == "provider" }) {
                    insertUrlAt = provider.span.end
                }
            }
            var bytes = file.bytes
            var edits: [(Int, Int, [UInt8])] = removals.map { ($0.start, $0.end, []) }
            if let at = insertUrlAt {
                edits.append((at, at, Array("\n  url      = env(\"DATABASE_URL\")".utf8)))
            }
            for (start, end, replacement) in edits.sorted(by: { $0.0 > $1.0 }) {
                guard start <= end, end <= bytes.count else { continue }
                bytes.replaceSubrange(start..<end, with: replacement)
            }
            if schema.files.count > 1 {
                out += "\n// ---- \(URL(fileURLWithPath: file.path).lastPathComponent)\n"
            }
            if !wroteGenerator {
                out += "\ngenerator client {\n  provider = \"prisma-client-js\"\n"
                if !preview.isEmpty {
                    out += "  previewFeatures = [\(preview.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
                }
                out += "}\n"
                wroteGenerator = true
            }
            out += String(decoding: bytes, as: UTF8.self)
            if !out.hasSuffix("\n") { out += "\n" }
        }
        return out
    }
}
