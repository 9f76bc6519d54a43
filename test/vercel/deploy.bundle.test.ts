import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubFake } from "../fakes/github.js";
import type { VercelFake } from "../fakes/vercel.js";
import { deployStep, expectNoLeak, GITHUB_TOKEN, makeWorkspace, PLANTED_TOKEN, removeWorkspace, startFakes } from "./support.js";

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

describe("vercel-deploy bundle: deploying the Build Output", () => {
  let fakes: { vercel: VercelFake; github: GitHubFake };
  let workspace: string;

  beforeEach(async () => {
    fakes = await startFakes();
    workspace = makeWorkspace({
      "static/index.html": "<h1>Blockbuilders</h1>",
      "static/app.js": "console.log('trade');",
      "static/health": "ok",
      "functions/api/health.func/.vc-config.json": JSON.stringify({ runtime: "nodejs22.x", handler: "index.js" }),
      "functions/api/health.func/index.js": "export default () => new Response('ok');",
    });
  });

  afterEach(async () => {
    await fakes.vercel.stop();
    await fakes.github.stop();
    removeWorkspace(workspace);
  });

  it("uploads exactly the files Vercel reports missing, then creates the deployment, and a redeploy uploads nothing", async () => {
    const first = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const creations = fakes.vercel.requestsTo("POST", "/v13/deployments");
    expect(creations).toHaveLength(2);
    expect(creations[0].query.get("prebuilt")).toBe("1");
    expect(creations[0].json.files.map((file: { file: string }) => file.file).sort()).toContain(".vercel/output/static/app.js");
    expect(fakes.vercel.missingFilesAnswers).toBe(1);
    expect(fakes.vercel.uploadedFiles).toBe(6);
    for (const upload of fakes.vercel.requestsTo("POST", "/v2/files")) {
      expect(upload.headers["x-now-digest"]).toBe(createHash("sha1").update(upload.body).digest("hex"));
      expect(upload.headers.authorization).toBe(`Bearer ${PLANTED_TOKEN}`);
    }
    const deployment = fakes.vercel.latestDeployment()!;
    expect(first.outputs["deployment-id"]).toBe(deployment.id);
    expect(first.outputs.url).toBe(`https://${deployment.url}`);
    expect(first.outputs.state).toBe("READY");
    expect(first.outputs["inspector-url"]).toMatch(/^https:\/\/vercel\.com\//);
    expect(deployment.project).toBe("prj_web");
    expect(deployment.target).toBeUndefined();
    expect(first.stdout).toContain("Vercel is missing 6 of 6 contents");
    expect(first.summary).toMatch(/\| preview \| https:\/\/.+ \| — \| 6 \/ 6 \(.+\) \/ 0 \|/);
    expectNoLeak(first);

    const uploadsBefore = fakes.vercel.uploadedFiles;
    const second = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(second.code).toBe(0);
    expect(fakes.vercel.uploadedFiles).toBe(uploadsBefore);
    expect(fakes.vercel.missingFilesAnswers).toBe(1);
    expect(second.summary).toMatch(/\| 6 \/ 0 \(0 B\) \/ 0 \|/);
    expect(second.outputs["deployment-id"]).not.toBe(first.outputs["deployment-id"]);
  });

  it("sends identical files once and lists every path in the deployment", async () => {
    removeWorkspace(workspace);
    const logo = "PNG-bytes-of-the-logo".repeat(50);
    workspace = makeWorkspace({ "static/a/logo.png": logo, "static/b/logo.png": logo, "static/c/logo.png": logo, "static/app.js": "x" });
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(0);
    const uploads = fakes.vercel.requestsTo("POST", "/v2/files");
    expect(uploads.filter((upload) => upload.headers["x-now-digest"] === sha1(logo))).toHaveLength(1);
    expect(uploads).toHaveLength(3);
    const paths = fakes.vercel.latestDeployment()!.files.filter((file) => file.sha === sha1(logo));
    expect(paths).toHaveLength(3);
    expect(result.summary).toMatch(/\| 5 \/ 3 \(.+\) \/ 2 \|/);
  });

  it("deploys to production and to a custom environment by slug", async () => {
    const production = await deployStep(fakes, workspace, { target: "production", "github-deployment": "false" });
    expect(production.code).toBe(0);
    expect(fakes.vercel.latestDeployment()!.target).toBe("production");
    const staging = await deployStep(fakes, workspace, { target: "staging", "github-deployment": "false" });
    expect(staging.code).toBe(0);
    expect(fakes.vercel.latestDeployment()!.customEnvironmentSlugOrId).toBe("staging");
    expectNoLeak(production);
    expectNoLeak(staging);
  });

  it("fails with the build error when Vercel reports ERROR", async () => {
    fakes.vercel.outcome = "ERROR";
    fakes.vercel.pollsToFinish = 2;
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(1);
    expect(result.outputs.state).toBe("ERROR");
    const error = result.annotations.find((annotation) => annotation.level === "error");
    expect(error?.message).toMatch(/failed \(BUILD_FAILED: Command "pnpm build" exited with 1\)/);
    expect(result.stdout).toContain("Building…");
    expectNoLeak(result);
  });

  it("stops at CANCELED instead of polling forever", async () => {
    fakes.vercel.outcome = "CANCELED";
    // Polling on would end at our 40s timeout ("timed out" message) or at the harness's 45s kill (signal set).
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", timeout: "40s" });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.outputs.state).toBe("CANCELED");
    const message = result.annotations.find((annotation) => annotation.level === "error")?.message;
    expect(message).toMatch(/canceled deployment dpl_/);
    expect(message).not.toMatch(/timed out/);
    expectNoLeak(result);
  });

  it("succeeds at READY after the alias wait, with a warning, when Vercel assigns no alias and none was requested", async () => {
    fakes.vercel.outcome = "READY_WITHOUT_ALIAS";
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", "alias-wait": "2s", timeout: "30s" });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.outputs.state).toBe("READY");
    const deployment = fakes.vercel.latestDeployment()!;
    expect(result.outputs["deployment-id"]).toBe(deployment.id);
    const warning = result.annotations.find((annotation) => annotation.level === "warning")?.message;
    expect(warning).toBe(
      `Vercel assigned no alias to ${deployment.id} within 2.0s (alias-wait); it is READY at https://${deployment.url}.`,
    );
    expect(result.summary).toContain(warning);
    // It polled the READY deployment during the wait rather than giving up at the first READY.
    expect(fakes.vercel.requestsTo("GET", `/v13/deployments/${deployment.id}`).length).toBeGreaterThan(2);
    expectNoLeak(result);
  });

  it("assigns the requested alias itself when Vercel marks the deployment READY without aliases", async () => {
    fakes.vercel.outcome = "READY_WITHOUT_ALIAS";
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", alias: "preview.blockbuilders.dev", timeout: "30s" });
    expect(result.code).toBe(0);
    const deployment = fakes.vercel.latestDeployment()!;
    expect(fakes.vercel.aliases.get("preview.blockbuilders.dev")).toBe(deployment.id);
    expect(result.outputs.aliases).toBe("https://preview.blockbuilders.dev");
    // No alias wait: READY plus our own alias is the end.
    expect(result.annotations.filter((annotation) => annotation.level === "warning")).toEqual([]);
    expectNoLeak(result);
  });

  it("names the alias that failed when Vercel marks the deployment READY without aliases", async () => {
    fakes.vercel.outcome = "READY_WITHOUT_ALIAS";
    fakes.vercel.takenAliases.add("taken.blockbuilders.dev");
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", alias: "taken.blockbuilders.dev", timeout: "30s" });
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /^Could not assign 1 of 1 aliases: Vercel refused to assign alias taken\.blockbuilders\.dev \(HTTP 409 alias_in_use: The alias "taken\.blockbuilders\.dev" is already in use by another project\)\.$/,
    );
    expectNoLeak(result);
  });

  it("ends with its own timeout when the deployment never leaves BUILDING, and the process exits", async () => {
    fakes.vercel.pollsToFinish = 10_000;
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", timeout: "4s" });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.outputs.state).toBe("BUILDING");
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /^The Vercel deploy timed out after 4\.0s\. Last known state of deployment dpl_\w+: BUILDING\.$/,
    );
    expectNoLeak(result);
  });

  it("ends a hung upload at the timeout and exits", async () => {
    // Hangs far past the harness's 45s kill: only our own timeout can end the step with no signal.
    fakes.vercel.inject({ match: "POST /v2/files", delayMs: 300_000 });
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", timeout: "3s" });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.outputs.state).toBe("UPLOADING");
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toBe(
      "The Vercel deploy timed out after 3.0s. Last known state of the deployment: UPLOADING.",
    );
    expectNoLeak(result);
  });

  it("exits at the timeout even while the client itself waits on a hung request", async () => {
    fakes.vercel.inject({ match: "POST /v13/deployments", delayMs: 300_000 });
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", timeout: "2s" });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toBe(
      "The Vercel deploy timed out after 2.0s. Last known state of the deployment: CREATING.",
    );
    expectNoLeak(result);
  });

  it("retries an upload that failed with a 5xx or a dropped connection, and only that one", async () => {
    fakes.vercel.inject({
      match: "POST /v2/files",
      status: 500,
      body: { error: { code: "internal_server_error", message: "Upstream storage failed" } },
    });
    fakes.vercel.inject({ match: "POST /v2/files", hangUp: true });
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(0);
    const warnings = result.annotations.filter((annotation) => annotation.level === "warning").map((annotation) => annotation.message);
    expect(
      warnings.some((message) =>
        /^Upload of \.vercel\/output\/.+, attempt 1 failed: Vercel refused to upload .+ \(HTTP 500 internal_server_error: Upstream storage failed\)\. Retrying in [\d.]+s\.$/.test(
          message,
        ),
      ),
    ).toBe(true);
    expect(warnings.some((message) => /attempt 1 failed: Could not upload .+: ECONNRESET\. Retrying in/.test(message))).toBe(true);
    expect(fakes.vercel.requestsTo("POST", "/v2/files")).toHaveLength(8);
    expect(fakes.vercel.blobs.size).toBe(6);
    expect(fakes.vercel.deployments.size).toBe(1);
    expect(result.summary).toMatch(/\| 6 \/ 6 \(.+\) \/ 0 \|/);
    expectNoLeak(result);
  });

  it("starts the deploy over after a 5xx on creation, uploading nothing twice", async () => {
    fakes.vercel.inject({
      match: (request) => request.method === "POST" && request.path === "/v13/deployments" && fakes.vercel.missingFilesAnswers === 1,
      status: 503,
      body: { error: { code: "service_unavailable", message: "Try again" } },
    });
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Deploy, attempt 1 failed: Vercel refused to create the deployment \(HTTP 503 service_unavailable: Try again\)\. Retrying/,
    );
    expect(result.summary).toContain("Took 2 attempts");
    expect(fakes.vercel.uploadedFiles).toBe(6);
    expect(fakes.vercel.deployments.size).toBe(1);
  });

  it("starts over when the connection drops while creating the deployment", async () => {
    fakes.vercel.inject({ match: "POST /v13/deployments", hangUp: true });
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Deploy, attempt 1 failed: Could not reach Vercel to create the deployment: fetch failed/);
    expect(fakes.vercel.deployments.size).toBe(1);
  });

  it("explains a 403 (wrong token, team or project) and does not retry it", async () => {
    fakes.vercel.teamId = "team_blockbuilders";
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", "team-id": "team_someone_else" });
    expect(result.code).toBe(1);
    expect(fakes.vercel.requestsTo("POST", "/v13/deployments")).toHaveLength(1);
    const message = result.annotations.find((annotation) => annotation.level === "error")?.message;
    expect(message).toMatch(
      /Vercel refused to create the deployment \(HTTP 403 forbidden: .+\)\. Check that the token belongs to team 'team_someone_else' and that the team owns project 'prj_web'/,
    );
    expect(result.outputs.state).toBe("CREATING");
    expectNoLeak(result);
  });

  it("takes VERCEL_TEAM_ID for an empty team-id and sends the team exactly once on every call", async () => {
    fakes.vercel.teamId = "team_blockbuilders";
    const result = await deployStep(
      fakes,
      workspace,
      { "github-deployment": "false", alias: "team.blockbuilders.dev" },
      { env: { VERCEL_TEAM_ID: "team_blockbuilders" } },
    );
    expect(result.code).toBe(0);
    expect(fakes.vercel.requests.length).toBeGreaterThan(5);
    for (const request of fakes.vercel.requests) expect(request.query.getAll("teamId")).toEqual(["team_blockbuilders"]);
  });

  it("refuses a team-id that VERCEL_TEAM_ID contradicts, before contacting Vercel", async () => {
    const result = await deployStep(
      fakes,
      workspace,
      { "github-deployment": "false", "team-id": "team_a" },
      { env: { VERCEL_TEAM_ID: "team_b" } },
    );
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toBe(
      `Input 'team-id' is "team_a" but VERCEL_TEAM_ID in the environment is "team_b"; the Vercel client would send both. Make them match or unset VERCEL_TEAM_ID.`,
    );
    expect(fakes.vercel.requests).toHaveLength(0);
  });

  it("names an invalid token as such", async () => {
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", token: "vct_revoked_token_123" });
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(/The token is invalid or expired/);
    expectNoLeak(result, ["vct_revoked_token_123", GITHUB_TOKEN]);
  });

  it("explains a missing_files loop instead of retrying forever", async () => {
    // Vercel keeps reporting the files missing after every upload (uploads landing in another account).
    fakes.vercel.discardUploads = true;
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /Vercel still reported 6 files missing after they were uploaded\. .*check team-id/,
    );
    expect(fakes.vercel.requestsTo("POST", "/v13/deployments").length).toBe(6);
  });

  it("rejects a missing Build Output directory before contacting Vercel", async () => {
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", "output-dir": "dist/output" });
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /^Input 'output-dir': dist\/output\/config.json not found/,
    );
    expect(fakes.vercel.requests).toHaveLength(0);
  });
});
