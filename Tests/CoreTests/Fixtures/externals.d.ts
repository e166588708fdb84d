// Type stubs for the npm packages the generated project depends on. The registry is not
// reachable here, so tsc checks the generated code against these declarations, which
// mirror the real signatures the code relies on (Express 5.1 with @types/express 5.0 and
// @types/express-serve-static-core 5.1, Prisma Client 6.19, pino 9, pino-http 10, helmet 8,
// cors 2, supertest 7, vitest 3). Zod is not stubbed: the check compiles against Zod 3.25.76's
// real declarations, built from ../shared/vendor (see NodeRuntime.zod).

declare const process: {
  env: Record<string, string | undefined>;
  exit(code?: number): never;
  on(event: string, listener: (...args: unknown[]) => void): void;
  cwd(): string;
};

interface Buffer extends Uint8Array {
  toString(encoding?: string): string;
}
declare const Buffer: {
  from(data: string | Uint8Array | ArrayBuffer, encoding?: string): Buffer;
};

declare module 'express' {
  // @types/express-serve-static-core 5.1: route parameters are `string | string[]`
  // (a `*splat` wildcard yields an array), and `query` is qs's ParsedQs.
  export interface ParamsDictionary {
    [key: string]: string | string[];
  }
  export interface ParsedQs {
    [key: string]: undefined | string | ParsedQs | (string | ParsedQs)[];
  }
  export interface Request {
    params: ParamsDictionary;
    query: ParsedQs;
    body: any;
    method: string;
    path: string;
    originalUrl: string;
  }
  export interface Response {
    status(code: number): this;
    json(body?: any): this;
    type(type: string): this;
    send(body?: any): this;
    setHeader(name: string, value: string | number | readonly string[]): this;
    end(): this;
    headersSent: boolean;
    /** pino-http logs `res.err` as the request's error. */
    err?: Error;
  }
  export type NextFunction = (err?: any) => void;
  export type RequestHandler = (req: Request, res: Response, next: NextFunction) => void;
  export type ErrorRequestHandler = (err: any, req: Request, res: Response, next: NextFunction) => void;
  type Handler = RequestHandler | ErrorRequestHandler | Router;
  export interface Router {
    get(path: string, ...handlers: RequestHandler[]): this;
    post(path: string, ...handlers: RequestHandler[]): this;
    put(path: string, ...handlers: RequestHandler[]): this;
    patch(path: string, ...handlers: RequestHandler[]): this;
    delete(path: string, ...handlers: RequestHandler[]): this;
    use(...handlers: Array<string | Handler>): this;
  }
  export function Router(): Router;
  export interface Express extends Router {
    set(setting: string, value: any): this;
    disable(setting: string): this;
    // Express 5 passes a listen error (EADDRINUSE, EACCES) to the callback.
    listen(port: number, callback?: (error?: Error) => void): import('http').Server;
  }
  interface ExpressStatic {
    (): Express;
    json(options?: { limit?: string | number; strict?: boolean; type?: string | string[] }): RequestHandler;
    urlencoded(options?: { extended?: boolean }): RequestHandler;
  }
  const express: ExpressStatic;
  export default express;
}

declare module 'http' {
  export interface Server {
    close(callback?: (err?: Error) => void): void;
    address(): { port: number } | string | null;
  }
}

declare module '@prisma/client' {
  export class PrismaClient {
    constructor(options?: unknown);
    [model: string]: any;
    $connect(): Promise<void>;
    $disconnect(): Promise<void>;
  }
  export const Prisma: any;
}

declare module 'pino' {
  export interface Logger {
    info(obj: unknown, msg?: string): void;
    warn(obj: unknown, msg?: string): void;
    error(obj: unknown, msg?: string): void;
    debug(obj: unknown, msg?: string): void;
  }
  export function pino(options?: unknown): Logger;
}

declare module 'pino-http' {
  import type { RequestHandler } from 'express';
  export function pinoHttp(options?: unknown): RequestHandler;
}

declare module 'helmet' {
  import type { RequestHandler } from 'express';
  export default function helmet(options?: unknown): RequestHandler;
}

declare module 'cors' {
  import type { RequestHandler } from 'express';
  export default function cors(options?: unknown): RequestHandler;
}

declare module 'dotenv/config' {}

interface ImportMeta {
  url: string;
}

declare module 'node:fs' {
  // @types/node 22
  export function existsSync(path: string): boolean;
  export function readFileSync(path: string, encoding: 'utf8'): string;
}

declare module 'node:path' {
  export function dirname(path: string): string;
  export function join(...paths: string[]): string;
}

declare module 'node:url' {
  export function fileURLToPath(url: string): string;
}

declare module 'node:crypto' {
  // @types/node 22
  type BinaryLike = string | Uint8Array;
  interface ScryptOptions {
    N?: number;
    r?: number;
    p?: number;
    maxmem?: number;
  }
  export function randomUUID(): string;
  export function randomBytes(size: number): Buffer;
  export function scrypt(
    password: BinaryLike,
    salt: BinaryLike,
    keylen: number,
    options: ScryptOptions,
    callback: (err: Error | null, derivedKey: Buffer) => void,
  ): void;
  export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

declare module 'supertest' {
  interface Test extends Promise<Response> {
    send(body: unknown): Test;
    set(field: string, value: string): Test;
    query(q: Record<string, unknown>): Test;
    expect(status: number): Test;
  }
  interface Response {
    status: number;
    body: any;
    headers: Record<string, string>;
    text: string;
  }
  interface Agent {
    get(path: string): Test;
    post(path: string): Test;
    put(path: string): Test;
    patch(path: string): Test;
    delete(path: string): Test;
  }
  export default function request(app: unknown): Agent;
}

declare module 'vitest' {
  export const describe: ((name: string, fn: () => void) => void) & { skip(name: string, fn: () => void): void };
  export function it(name: string, fn: () => unknown, timeout?: number): void;
  export const test: typeof it;
  export function beforeAll(fn: () => unknown, timeout?: number): void;
  export function afterAll(fn: () => unknown, timeout?: number): void;
  export function expect(value: unknown, message?: string): any;
}

declare module 'vitest/config' {
  export function defineConfig(config: unknown): unknown;
}
