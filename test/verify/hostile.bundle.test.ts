import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStep } from "../harness/run-bundle.js";
import { expectSecretsHidden } from "../harness/secrets.js";

/** What the hostile server saw of each request: its Authorization header, and whether the client hung up mid-body. */
interface Seen {
  path: string;
  authorization?: string;
  bytesSent: number;
  clientClosedEarly: boolean;
}

/**
 * A server that misbehaves the ways real ones do: an endless body, a body trickled one byte at a time, and a 503
 * for a check that must fail (so the URL reaches the error line).
 */
function startHostileServer(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const entry: Seen = { path: request.url ?? "", authorization: request.headers.authorization, bytesSent: 0, clientClosedEarly: false };
    seen.push(entry);
    response.on("close", () => {
      entry.clientClosedEarly = !response.writableFinished;
      clearInterval(timer);
    });
    let timer: NodeJS.Timeout | undefined;
    const send = (chunk: string) => {
      entry.bytesSent += chunk.length;
      response.write(chunk);
    };
    if (request.url === "/endless") {
      response.writeHead(200, { "content-type": "text/plain" });
      timer = setInterval(() => send("x".repeat(64 * 1024)), 2);
    } else if (request.url === "/trickle") {
      response.writeHead(200, { "content-type": "text/plain" });
      timer = setInterval(() => send("."), 100);
    } else {
      response.writeHead(503).end("down");
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server })),
  );
}

describe("verify against hostile servers", () => {
  let hostile: Awaited<ReturnType<typeof startHostileServer>>;
  beforeAll(async () => {
    hostile = await startHostileServer();
  });
  afterAll(() => new Promise<void>((resolve) => hostile.server.close(() => resolve())));

  it("stops reading an endless body at the cap and aborts the request, so the step ends", async () => {
    // Idle-socket timeouts never fire here: bytes keep coming. Without a cap the harness kills the step at 20 s.
    const result = await runStep("verify", {
      inputs: { url: hostile.url, checks: "GET /endless 200 contains=xxxx", timeout: "15s", attempts: 1 },
      timeoutMs: 20_000,
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    const request = hostile.seen.find((entry) => entry.path === "/endless")!;
    await expect.poll(() => request.clientClosedEarly).toBe(true);
    expect(request.bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it("bounds headers and body together by the per-request timeout, against a server trickling one byte every 100 ms", async () => {
    const result = await runStep("verify", {
      inputs: { url: hostile.url, checks: "GET /trickle 200", timeout: "1s", attempts: 1 },
      timeoutMs: 20_000,
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.summary).toContain("no complete response within 1000ms");
    await expect.poll(() => hostile.seen.find((entry) => entry.path === "/trickle")?.clientClosedEarly).toBe(true);
  });

  it("masks credentials in the URL before anything prints, shows the URL without them, and still sends them", async () => {
    const password = "s3cr3t-pa55word";
    const { port } = new URL(hostile.url);
    const result = await runStep("verify", {
      inputs: { url: `http://deploy:${password}@127.0.0.1:${port}`, checks: "GET /broken 200", attempts: 1 },
    });
    expect(result.code).toBe(1);
    expectSecretsHidden(result, [password]);
    expect(result.summary).toContain(`### Verify http://127.0.0.1:${port}/`);
    expect(result.annotations.at(-1)?.message).toBe(`verify: 1 check(s) failed against http://127.0.0.1:${port}/`);
    expect(readFileSync(result.outputs.report, "utf8")).not.toContain(password);
    expect(result.visible).not.toContain(`deploy:${password}`);
    const sent = hostile.seen.findLast((entry) => entry.path === "/broken")!.authorization;
    expect(sent).toBe(`Basic ${Buffer.from(`deploy:${password}`).toString("base64")}`);
  });

  it("masks a token given as the URL's user name", async () => {
    const token = "ghp_planted0token0in0url";
    const { port } = new URL(hostile.url);
    const result = await runStep("verify", {
      inputs: { url: `http://${token}@127.0.0.1:${port}`, checks: "GET /broken 200", attempts: 1 },
    });
    expect(result.code).toBe(1);
    expectSecretsHidden(result, [token]);
    expect(result.summary).toContain(`### Verify http://127.0.0.1:${port}/`);
  });
});

describe("verify ranges", () => {
  it("refuses a zero timeout and names the range", async () => {
    const result = await runStep("verify", { inputs: { url: "http://127.0.0.1:9", timeout: "0s" } });
    expect(result.code).toBe(1);
    expect(result.annotations.map((annotation) => annotation.message)).toEqual([
      `Input 'timeout' got "0s"; expected a duration from 100ms to 10m.`,
    ]);
  });
});
