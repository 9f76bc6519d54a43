import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpFake } from "../fakes/http-fake.js";
import { runStep, startStep } from "../harness/run-bundle.js";
import { makeCertificate } from "../support/tls.js";
import { until } from "../support/wait.js";

const FAST = { "retry-delay": "50ms" };

describe("verify action bundle over plain HTTP", () => {
  const app = new HttpFake();
  let closedPort: string;

  beforeAll(async () => {
    app.route("GET", "/health", () => ({ body: { status: "ok" } }));
    app.route("POST", "/api/templates", () => ({ status: 401, body: { error: "unauthorised" } }));
    app.route("GET", "/slow", () => ({ body: "late", delayMs: 400 }));
    app.route("GET", "/broken", () => ({ status: 503, body: "down" }));
    await app.start();
    const spare = await new HttpFake().start();
    closedPort = new URL(spare.url).port;
    await spare.stop();
  });
  afterAll(() => app.stop());

  it("passes every check and writes outputs, the summary table and the report file", async () => {
    const result = await runStep("verify", {
      inputs: { url: app.url, checks: "GET /health 200 contains=ok\nPOST /api/templates 200,401 max-ms=800", ...FAST },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "true", failed: "0" });
    expect(result.summary).toContain("| method | path | status | latency (ms) | verdict |");
    expect(result.summary).toMatch(/\| POST \| \/api\/templates \| 401 \| \d+ \| ✅ pass \|/);
    expect(readFileSync(result.outputs.report, "utf8").trim()).toBe(result.summary.trim());
  });

  it("uses the default check GET /health 200 when checks is not given", async () => {
    const before = app.requestsTo("GET", "/health").length;
    const result = await runStep("verify", { inputs: { url: app.url } });
    expect(result.code).toBe(0);
    expect(app.requestsTo("GET", "/health").length).toBe(before + 1);
    expect(result.summary).toMatch(/\| GET \| \/health \| 200 \|/);
  });

  it("runs every check and collects all failures: wrong status, slow endpoint, refused connection", async () => {
    const result = await runStep("verify", {
      inputs: { url: app.url, checks: "GET /broken 200\nGET /slow 200 max-ms=100\nGET /health 200", attempts: 2, ...FAST },
    });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "false", failed: "2" });
    expect(result.summary).toContain("expected status 200, got 503");
    expect(result.summary).toMatch(/took \d+ms, over max-ms=100/);
    expect(result.summary).toMatch(/\| GET \| \/health \| 200 \| \d+ \| ✅ pass \|/);
    expect(result.annotations.filter((annotation) => annotation.level === "error").map((annotation) => annotation.title)).toEqual(
      expect.arrayContaining(["verify: GET /broken", "verify: GET /slow"]),
    );
    expect(app.requestsTo("GET", "/broken")).toHaveLength(2);

    const refused = await runStep("verify", { inputs: { url: `http://127.0.0.1:${closedPort}`, attempts: 1 } });
    expect(refused.code).toBe(1);
    expect(refused.summary).toContain("connection refused");
  });

  it("retries a check that recovers within its attempts", async () => {
    app.inject({ match: "GET /health", status: 502, body: "warming up", times: 2 });
    const result = await runStep("verify", { inputs: { url: app.url, attempts: 3, ...FAST } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/expected status 200, got 502; try 2/);
  });

  it("stops promptly and says so when the job is cancelled mid-request", async () => {
    app.route("GET", "/hang", () => ({ body: "never in time", delayMs: 20_000 }));
    // The harness kills a step still running after 10 s; the app would answer only after 20 s.
    const step = startStep("verify", "main", { inputs: { url: app.url, checks: "GET /hang 200", timeout: "60s" }, timeoutMs: 10_000 });
    await until(() => app.requestsTo("GET", "/hang").length > 0, "the request to reach the app");
    step.child.kill("SIGINT");
    const result = await step.result;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.annotations.at(-1)?.message).toBe("The job was cancelled (SIGINT).");
  });

  it("ends a request at the per-request timeout", async () => {
    const result = await runStep("verify", { inputs: { url: app.url, checks: "GET /slow 200", timeout: "150ms", attempts: 1 } });
    expect(result.code).toBe(1);
    expect(result.summary).toContain("no complete response within 150ms");
  });

  it("rejects a malformed check line with a one-line error naming the line and the syntax, before any request", async () => {
    const requestsBefore = app.requests.length;
    const result = await runStep("verify", { inputs: { url: app.url, checks: "GET /health 200\nFETCH /health 200" } });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((annotation) => annotation.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(
      'Input \'checks\' line 2 ("FETCH /health 200"): unknown method "FETCH" (allowed: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS); expected METHOD /path STATUSES [max-ms=N] [contains=TEXT], e.g. `GET /health 200` or `POST /api/templates 200,401 max-ms=800`.',
    );
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(app.requests.length).toBe(requestsBefore);
  });

  it("names the input and the allowed values for a bad number", async () => {
    const result = await runStep("verify", { inputs: { url: app.url, "tls-min-days": "soon" } });
    expect(result.code).toBe(1);
    expect(result.annotations[0].message).toBe("Input 'tls-min-days' got \"soon\"; expected a whole number from 0 to 3650.");
  });
});

describe("verify action bundle over HTTPS with a test-made certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), "verify-tls-"));

  async function serveWithCertificate(days: number) {
    const certificate = await makeCertificate(dir, days);
    const app = new HttpFake({ tls: certificate });
    app.route("GET", "/health", () => ({ body: { status: "ok" } }));
    return { app: await app.start(), caFile: certificate.caFile };
  }

  it("passes a certificate valid for longer than tls-min-days", async () => {
    const { app, caFile } = await serveWithCertificate(365);
    try {
      const result = await runStep("verify", { inputs: { url: app.url }, env: { NODE_EXTRA_CA_CERTS: caFile } });
      expect(result.code).toBe(0);
      expect(result.summary).toMatch(/\| TLS \| certificate \| — \| — \| ✅ pass: 36[45] days left/);
    } finally {
      await app.stop();
    }
  });

  it("fails a certificate that expires sooner than tls-min-days, while the HTTP checks still pass", async () => {
    const { app, caFile } = await serveWithCertificate(5);
    try {
      const result = await runStep("verify", { inputs: { url: app.url, "tls-min-days": 30 }, env: { NODE_EXTRA_CA_CERTS: caFile } });
      expect(result.code).toBe(1);
      expect(result.outputs).toMatchObject({ passed: "false", failed: "1" });
      expect(result.summary).toMatch(/\| GET \| \/health \| 200 \|/);
      expect(result.summary).toMatch(/expires in [45] days .* under tls-min-days=30/);
    } finally {
      await app.stop();
    }
  });

  it("reports an untrusted certificate in words instead of passing it", async () => {
    const { app } = await serveWithCertificate(365);
    try {
      const result = await runStep("verify", { inputs: { url: app.url, attempts: 1 } });
      expect(result.code).toBe(1);
      expect(result.summary).toContain("self-signed certificate not trusted");
    } finally {
      await app.stop();
    }
  });
});
