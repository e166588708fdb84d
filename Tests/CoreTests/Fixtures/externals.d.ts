// Type stubs for the npm packages the generated project depends on. The registry is not
// reachable here, so tsc checks the generated code against these declarations, which
// mirror the signatures the code uses. Everything from our own files is checked for real;
// only Zod is declared `any` (so callbacks passed to it get no contextual types, and the
// check turns off noImplicitAny).

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
  export interface Request {
    params: Record<string, string>;
    query: Record<string, unknown>;
    body: unknown;
    method: string;
    path: string;
  }
  export interface Response {
    status(code: number): Response;
    json(body: unknown): Response;
    end(): Response;
    headersSent: boolean;
  }
  export type NextFunction = (err?: unknown) => void;
  export type RequestHandler = (req: Request, res: Response, next: NextFunction) => void;
  export type ErrorRequestHandler = (err: unknown, req: Request, res: Response, next: NextFunction) => void;
  type Handler = RequestHandler | ErrorRequestHandler | Router;
  export interface Router {
    get(path: string, ...handlers: RequestHandler[]): Router;
    post(path: string, ...handlers: RequestHandler[]): Router;
    put(path: string, ...handlers: RequestHandler[]): Router;
    patch(path: string, ...handlers: RequestHandler[]): Router;
    delete(path: string, ...handlers: RequestHandler[]): Router;
    use(...handlers: Array<string | Handler>): Router;
  }
  export function Router(): Router;
  export interface Express extends Router {
    set(setting: string, value: unknown): Express;
    disable(setting: string): Express;
    listen(port: number, callback?: () => void): import('http').Server;
  }
  interface ExpressStatic {
    (): Express;
    json(options?: { limit?: string }): RequestHandler;
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

declare module 'zod' {
  export const z: any;
  export namespace z {
    type infer<T> = any;
    type input<T> = any;
    type output<T> = any;
    type ZodType<T = any> = any;
    type ZodTypeAny = any;
    type RefinementCtx = any;
  }
  export class ZodError extends Error {
    issues: Array<{ path: Array<string | number>; message: string; code: string }>;
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

declare module 'node:crypto' {
  export function randomUUID(): string;
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
