import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ClientRequest, type ClientStage, createVercelClient } from "../../src/vercel/client.js";
import { VercelFake } from "../fakes/vercel.js";
import { clientRequestFor, makeWorkspace, missingContents, removeWorkspace } from "./support.js";

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

  const request = (fields: Partial<ClientRequest> = {}): ClientRequest => clientRequestFor(fake, workspace, fields);

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
    for (const sha of (await missingContents(client, request())).missing) fake.blobs.set(sha, Buffer.alloc(0));
    const run = client.start(request());
    const stages = await stagesUntil(run, "created");
    expect(stages.at(-1)?.type).toBe("created");
    await run.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requestsTo("GET", /^\/v13\/deployments\//)).toHaveLength(0);
  });

  it("creates a deployment from contents we hold without reading the files again, named as the client names its own", async () => {
    const client = createVercelClient({});
    const missing = await missingContents(client, request());
    for (const sha of missing.missing) fake.blobs.set(sha, Buffer.alloc(0));
    // The files are gone from disk: a run given their contents must not need them.
    removeWorkspace(workspace);
    const prepared = client.start(request({ files: missing.files }));
    const stages = await stagesUntil(prepared, "created");
    await prepared.stop();
    expect(stages.map((stage) => stage.type)).toEqual(["created"]);
    const [first, second] = fake.requestsTo("POST", "/v13/deployments");
    // The same request the client sent for the files it collected itself: names relative to `path`, query, options.
    const sorted = (files: Array<{ file: string }>) => [...files].sort((a, b) => a.file.localeCompare(b.file));
    expect(sorted(second.json.files)).toEqual(sorted(first.json.files));
    expect(second.json.files.map((file: { file: string }) => file.file)).toContain(".vercel/output/static/app.js");
    expect({ ...second.json, files: undefined }).toEqual({ ...first.json, files: undefined });
    expect(second.path + second.query.toString()).toBe(first.path + first.query.toString());
    workspace = makeWorkspace({});
  });

  it("names archive parts we packed .vercel/source.tgz.partN relative to the project, as its archive option does", async () => {
    const part = Buffer.from("not really gzip");
    const files = new Map([["0".repeat(40), { names: [`${workspace}/.vercel/source.tgz.part1`], data: part, mode: 0o666 }]]);
    const run = createVercelClient({}).start(request({ files }));
    const stages = await stagesUntil(run, "missing");
    await run.stop();
    expect(stages.map((stage) => stage.type)).toEqual(["missing"]);
    const [creation] = fake.requestsTo("POST", "/v13/deployments");
    expect(creation.json.files).toEqual([{ file: ".vercel/source.tgz.part1", sha: "0".repeat(40), size: part.length, mode: 0o666 }]);
    expect(fake.requestsTo("POST", "/v2/files")).toHaveLength(0);
  });

  it("adds VERCEL_TEAM_ID from the environment to its URLs, so the adapter passes a team only when that does not", async () => {
    fake.teamId = "team_env";
    process.env.VERCEL_TEAM_ID = "team_env";
    const raw = createVercelClient({}).start(request({ teamId: "team_env" }));
    await stagesUntil(raw, "missing");
    await raw.stop();
    // Given the team as well, the client sends it twice: the reason the adapter leaves it out.
    expect(fake.requests.at(-1)?.query.getAll("teamId")).toEqual(["team_env", "team_env"]);

    const adapted = createVercelClient(process.env).start(request({ teamId: "team_env" }));
    const stages = await stagesUntil(adapted, "missing");
    await adapted.stop();
    expect(stages.at(-1)?.type).toBe("missing");
    for (const sent of fake.requests.slice(1)) expect(sent.query.getAll("teamId")).toEqual(["team_env"]);
  });

  it("lists the files of a deployment from the client's own file tree", async () => {
    expect((await createVercelClient({}).listFiles(request())).map((path) => path.slice(workspace.length)).sort()).toEqual([
      "/.vercel/output/config.json",
      "/.vercel/output/static/app.js",
      "/.vercel/output/static/logo.svg",
    ]);
  });
});
