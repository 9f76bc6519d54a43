import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/lib/logger.js";
import { describeVercelError, UploadQuotaError, VercelApiError } from "../../src/vercel/api.js";
import type { ClientFile } from "../../src/vercel/client.js";
import { uploadMissing } from "../../src/vercel/uploader.js";
import { VercelFake } from "../fakes/vercel.js";

const noWait = async () => {};

function filesOf(contents: string[]): { files: Map<string, ClientFile>; shas: string[] } {
  const files = new Map<string, ClientFile>();
  for (const [index, content] of contents.entries()) {
    const data = Buffer.from(content);
    files.set(createHash("sha1").update(data).digest("hex"), { names: [`/repo/.vercel/output/static/f${index}.js`], data });
  }
  return { files, shas: [...files.keys()] };
}

describe("uploading the missing files", () => {
  let fake: VercelFake;
  beforeEach(async () => {
    fake = await new VercelFake().start();
  });
  afterEach(() => fake.stop());

  const scope = () => ({ token: fake.token, projectId: "prj_web", apiUrl: fake.url });

  it("sends each content once with its digest and reports every upload", async () => {
    const { files, shas } = filesOf(["a", "bb", "ccc", "dddd"]);
    const reported: string[] = [];
    await uploadMissing(files, shas, scope(), {
      logger: silentLogger,
      signal: new AbortController().signal,
      onUploaded: (sha) => reported.push(sha),
      concurrency: 2,
    });
    expect(reported.sort()).toEqual([...shas].sort());
    expect([...fake.blobs.keys()].sort()).toEqual([...shas].sort());
  });

  it("stops taking work after a failure that another try cannot fix, and says which file", async () => {
    fake.inject({ match: "POST /v2/files", status: 413, body: { error: { code: "file_too_large", message: "The file is too large" } } });
    const { files, shas } = filesOf(["a", "b", "c", "d", "e"]);
    const upload = uploadMissing(
      files,
      shas,
      { ...scope() },
      {
        logger: silentLogger,
        signal: new AbortController().signal,
        onUploaded: () => {},
        concurrency: 1,
        sleep: noWait,
        root: "/repo",
      },
    );
    await expect(upload).rejects.toThrow(
      "Vercel refused to upload .vercel/output/static/f0.js (HTTP 413 file_too_large: The file is too large).",
    );
    await expect(upload).rejects.toSatisfy((error) => error instanceof VercelApiError && !error.transient);
    expect(fake.requestsTo("POST", "/v2/files")).toHaveLength(1);
  });

  it("gives up on a file after the retries and fails the upload", async () => {
    fake.inject({ match: "POST /v2/files", status: 502, body: { error: { code: "bad_gateway", message: "Bad gateway" } }, times: 10 });
    const { files, shas } = filesOf(["only"]);
    const upload = uploadMissing(files, shas, scope(), {
      logger: silentLogger,
      signal: new AbortController().signal,
      onUploaded: () => {},
      sleep: noWait,
      attempts: 3,
    });
    await expect(upload).rejects.toThrow(/HTTP 502 bad_gateway/);
    expect(fake.requestsTo("POST", "/v2/files")).toHaveLength(3);
  });
});

describe("throttling and the upload quota", () => {
  let fake: VercelFake;
  beforeEach(async () => {
    fake = await new VercelFake().start();
  });
  afterEach(() => fake.stop());

  const scope = () => ({ token: fake.token, projectId: "prj_web", apiUrl: fake.url });

  it("waits as long as a throttling 429 asks (retry-after) and tries that file again", async () => {
    fake.inject({
      match: "POST /v2/files",
      status: 429,
      headers: { "retry-after": "7" },
      body: { error: { code: "too_many_requests", message: "Slow down" } },
    });
    const waits: number[] = [];
    const { files, shas } = filesOf(["only"]);
    await uploadMissing(files, shas, scope(), {
      logger: silentLogger,
      signal: new AbortController().signal,
      onUploaded: () => {},
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits[0]).toBe(7_000);
    expect(fake.requestsTo("POST", "/v2/files")).toHaveLength(2);
    expect(fake.blobs.size).toBe(1);
  });

  it("stops every upload at the first refusal of a used-up upload quota, with the quota and its reset", async () => {
    fake.uploadQuota = { name: "api-upload-pro", total: 3, resetAt: Date.parse("2026-12-02T06:00:00Z") };
    const { files, shas } = filesOf(Array.from({ length: 40 }, (_, index) => `file ${index}`));
    const upload = uploadMissing(files, shas, scope(), {
      logger: silentLogger,
      signal: new AbortController().signal,
      onUploaded: () => {},
      concurrency: 2,
      sleep: noWait,
    });
    await expect(upload).rejects.toSatisfy(
      (error) =>
        error instanceof UploadQuotaError &&
        error.quota === "api-upload-pro" &&
        error.resetAt?.toISOString() === "2026-12-02T06:00:00.000Z",
    );
    // The two workers each got at most one refusal; nobody retried or took more work.
    expect(fake.quotaRefusals).toBeLessThanOrEqual(2);
    expect(fake.requestsTo("POST", "/v2/files").length).toBeLessThanOrEqual(5);
  });
});

describe("Vercel error sentences", () => {
  const scope = { token: "t", projectId: "prj_web", apiUrl: "http://x" };

  it("points a 403 at the token, the team and the project", () => {
    expect(
      describeVercelError(403, { code: "forbidden", message: "Not allowed." }, { ...scope, teamId: "team_a" }, "create the deployment"),
    ).toBe(
      "Vercel refused to create the deployment (HTTP 403 forbidden: Not allowed). Check that the token belongs to team 'team_a' and that the team owns project 'prj_web' (team-id and project-id inputs).",
    );
    expect(describeVercelError(403, { code: "forbidden" }, scope, "read project prj_web")).toContain(
      "the token's personal account (no team-id given)",
    );
  });

  it("names an invalid token on 401", () => {
    expect(describeVercelError(401, undefined, scope, "create the deployment")).toMatch(
      /^Vercel refused to create the deployment \(HTTP 401\)\. The token is invalid or expired/,
    );
  });
});
