import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ClientRequest, type ClientStage, createVercelClient } from "../../src/vercel/client.js";
import { VercelFake } from "../fakes/vercel.js";
import { makeWorkspace, removeWorkspace } from "./support.js";

/**
 * What src/vercel/client.ts relies on inside @vercel/client. These fail when a new client version moves its
 * internals: read the new source, then update the adapter and the pinned version together.
 */
const PINNED = "18.4.2";

async function stagesUntil(run: { next(): Promise<ClientStage | undefined> }, type: ClientStage["type"]): Promise<ClientStage[]> {
  const seen: ClientStage[] = [];
  for (let stage = await run.next(); stage; stage = await run.next()) {
    seen.push(stage);
    if (stage.type === type || stage.type === "failed") break;
  }
  return seen;
}

describe(`@vercel/client ${PINNED} behind the adapter`, () => {
  let fake: VercelFake;
  let workspace: string;
  const savedTeam = process.env.VERCEL_TEAM_ID;

  beforeEach(async () => {
    fake = await new VercelFake().start();
    workspace = makeWorkspace({ "static/app.js": "console.log(1)", "static/logo.svg": "<svg/>" });
    delete process.env.VERCEL_TEAM_ID;
  });

  afterEach(async () => {
    await fake.stop();
    removeWorkspace(workspace);
    if (savedTeam === undefined) delete process.env.VERCEL_TEAM_ID;
    else process.env.VERCEL_TEAM_ID = savedTeam;
  });

  const request = (fields: Partial<ClientRequest> = {}): ClientRequest => ({
    token: fake.token,
    apiUrl: fake.url,
    path: workspace,
    prebuilt: true,
    outputDir: `${workspace}/.vercel/output`,
    archive: false,
    deployment: { target: "preview", project: "prj_web", meta: {} },
    ...fields,
  });

  it("is the version the adapter was written against", () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(require.resolve("@vercel/client/package.json"), "utf8"));
    expect(manifest.version).toBe(PINNED);
  });

  it("reports the missing contents before uploading any, so a run stopped there uploads nothing", async () => {
    const run = createVercelClient({}).start(request());
    const stages = await stagesUntil(run, "missing");
    expect(stages.map((stage) => stage.type)).toEqual(["hashed", "missing"]);
    await run.stop();
    expect(await run.next()).toBeUndefined();
    expect(fake.requestsTo("POST", "/v2/files")).toHaveLength(0);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v13/deployments"]);
  });

  it("sends no status poll once a run is stopped at `created`", async () => {
    const client = createVercelClient({});
    // Store the contents first, so the creation answers with the deployment at once.
    const first = client.start(request());
    const missing = (await stagesUntil(first, "missing")).at(-1);
    await first.stop();
    if (missing?.type !== "missing") throw new Error("expected missing contents");
    for (const sha of missing.missing) fake.blobs.set(sha, Buffer.alloc(0));
    const run = client.start(request());
    const stages = await stagesUntil(run, "created");
    expect(stages.at(-1)?.type).toBe("created");
    await run.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requestsTo("GET", /^\/v13\/deployments\//)).toHaveLength(0);
  });

  it("packs the files into .vercel/source.tgz parts with archive, and uploads the parts itself", async () => {
    const run = createVercelClient({}).start(request({ archive: true }));
    const stages = await stagesUntil(run, "created");
    await run.stop();
    expect(stages.map((stage) => stage.type)).toEqual(["hashed", "missing", "uploaded", "created"]);
    const deployment = fake.latestDeployment()!;
    expect(deployment.files.map((file) => file.file)).toEqual([".vercel/source.tgz.part1"]);
    expect(deployment.archived?.map((file) => file.path).sort()).toEqual([
      ".vercel/output/config.json",
      ".vercel/output/static/app.js",
      ".vercel/output/static/logo.svg",
    ]);
  });

  it("adds VERCEL_TEAM_ID from the environment to its URLs, so the adapter passes a team only when that does not", async () => {
    fake.teamId = "team_env";
    process.env.VERCEL_TEAM_ID = "team_env";
    const raw = createVercelClient({}).start(request({ teamId: "team_env" }));
    await stagesUntil(raw, "missing");
    await raw.stop();
    // Given the team as well, the client sends it twice: the reason the adapter leaves it out.
    expect(fake.requests.at(-1)?.query.getAll("teamId")).toEqual(["team_env", "team_env"]);

    const adapted = createVercelClient(process.env).start(request({ teamId: "team_env", archive: true }));
    const stages = await stagesUntil(adapted, "created");
    await adapted.stop();
    expect(stages.at(-1)?.type).toBe("created");
    for (const sent of fake.requests.slice(1)) expect(sent.query.getAll("teamId")).toEqual(["team_env"]);
  });

  it("gives up on a refused part upload at once and keeps only the code and message of Vercel's answer", async () => {
    fake.uploadQuota = { name: "api-upload-free", total: 0, resetAt: Date.parse("2026-12-02T06:00:00Z") };
    const run = createVercelClient({}).start(request({ archive: true }));
    const stages = await stagesUntil(run, "created");
    await run.stop();
    const failed = stages.at(-1);
    expect(failed).toEqual({
      type: "failed",
      failure: {
        code: "rate_limited",
        message: 'Too many requests - try again in 24 hours (more than 0, code: "api-upload-free").',
        status: undefined,
        missing: undefined,
        invalidToken: undefined,
        cause: undefined,
      },
    });
    // `limit.reset` is lost on the way: per-file uploads are ours so that the reset time can be reported.
    expect(fake.quotaRefusals).toBe(1);
  });

  it("counts the files of a deployment from the client's own file tree", async () => {
    expect(await createVercelClient({}).countFiles(request())).toBe(3);
  });
});
