import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: any;
  at: number;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Waits this long before answering (slow endpoint, timeouts). */
  delayMs?: number;
}

export type Handler = (request: RecordedRequest, params: Record<string, string>) => Reply | Promise<Reply> | undefined;

export interface Fault extends Reply {
  /** Which requests it hits: a method + path pattern like "POST /v2/files", or any predicate. */
  match: string | ((request: RecordedRequest) => boolean);
  /** How many matching requests it answers before it is used up; default 1. */
  times?: number;
  /** Destroys the socket instead of answering: a crash or a network error. */
  hangUp?: boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

function compile(path: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_all, key: string) => {
    keys.push(key);
    return "([^/]+)";
  });
  return { pattern: new RegExp(`^${source}$`), keys };
}

/**
 * A small HTTP server on 127.0.0.1 and a random port: routes, a record of every request, and injectable faults.
 * The fakes of GitHub, Vercel and AWS are built on it.
 */
export class HttpFake {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: Fault[] = [];
  private server?: Server;
  url = "";

  /** With `tls`, it serves HTTPS with that key and certificate (a test-made self-signed one). */
  constructor(private readonly options: { tls?: { key: string; cert: string } } = {}) {}

  route(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, ...compile(path), handler });
    return this;
  }

  /** Queues a fault; it answers instead of the route until used up. */
  inject(fault: Fault): this {
    this.faults.push({ times: 1, ...fault });
    return this;
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (request) => request.method === method && (typeof path === "string" ? request.path === path : path.test(request.path)),
    );
  }

  async start(): Promise<this> {
    const listener = (request: IncomingMessage, response: ServerResponse) => {
      this.handle(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: `fake crashed: ${error.message}` }));
      });
    };
    this.server = this.options.tls ? createTlsServer(this.options.tls, listener) : createServer(listener);
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `${this.options.tls ? "https" : "http"}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(raw: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const url = new URL(raw.url ?? "/", "http://fake");
    const body = Buffer.concat(chunks);
    const request: RecordedRequest = {
      method: raw.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body,
      at: Date.now(),
    };
    if (body.length && /json/.test(String(raw.headers["content-type"] ?? ""))) {
      try {
        request.json = JSON.parse(body.toString());
      } catch {
        request.json = undefined;
      }
    }
    this.requests.push(request);

    const fault = this.takeFault(request);
    if (fault?.hangUp) {
      raw.socket.destroy();
      return;
    }
    const reply = fault ?? (await this.dispatch(request));
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    const payload =
      reply.body === undefined
        ? ""
        : Buffer.isBuffer(reply.body)
          ? reply.body
          : typeof reply.body === "string"
            ? reply.body
            : JSON.stringify(reply.body);
    const headers = { "content-type": "application/json", ...reply.headers };
    if (!response.destroyed) {
      response.writeHead(reply.status ?? 200, headers);
      response.end(payload);
    }
  }

  private takeFault(request: RecordedRequest): Fault | undefined {
    const index = this.faults.findIndex((fault) =>
      typeof fault.match === "function" ? fault.match(request) : matchesPattern(fault.match, request),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async dispatch(request: RecordedRequest): Promise<Reply> {
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((key, index) => [key, decodeURIComponent(match[index + 1])]));
      const reply = await route.handler(request, params);
      if (reply) return reply;
    }
    return { status: 404, body: { message: `fake has no route for ${request.method} ${request.path}` } };
  }
}

function matchesPattern(pattern: string, request: RecordedRequest): boolean {
  const [method, path] = pattern.includes(" ") ? pattern.split(" ", 2) : ["*", pattern];
  if (method !== "*" && method !== request.method) return false;
  return compile(path).pattern.test(request.path);
}
