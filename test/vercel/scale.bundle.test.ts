import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubFake } from "../fakes/github.js";
import type { VercelFake } from "../fakes/vercel.js";
import { deployStep, expectNoLeak, makeWorkspace, removeWorkspace, startFakes } from "./support.js";

/** `count` distinct small files under static/, plus config.json: `count + 1` files in the deployment. */
function siteOf(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index++) files[`static/chunk-${index % 40}/asset-${index}.js`] = `export const n = ${index};\n`;
  return files;
}

const errorOf = (result: { annotations: Array<{ level: string; message: string }> }) =>
  result.annotations.find((annotation) => annotation.level === "error")?.message;

const archiveCreations = (fake: VercelFake) =>
  fake
    .requestsTo("POST", "/v13/deployments")
    .filter((request) => request.json.files.some((file: { file: string }) => file.file.startsWith(".vercel/source.tgz.part")));

describe("vercel-deploy bundle: big outputs, the file cap and the upload quota", () => {
  let fakes: { vercel: VercelFake; github: GitHubFake };
  let workspace: string | undefined;

  beforeEach(async () => {
    fakes = await startFakes();
  });

  afterEach(async () => {
    await fakes.vercel.stop();
    await fakes.github.stop();
    if (workspace) removeWorkspace(workspace);
    workspace = undefined;
  });

  it("deploys 15,200 files as an archive without ever listing more than 15,000", async () => {
    workspace = makeWorkspace(siteOf(15_200));
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(0);
    for (const creation of fakes.vercel.requestsTo("POST", "/v13/deployments")) {
      expect(creation.json.files.length).toBeLessThanOrEqual(15_000);
    }
    const deployment = fakes.vercel.latestDeployment()!;
    expect(deployment.files.map((file) => file.file)).toEqual([".vercel/source.tgz.part1"]);
    // The fake unpacked the parts: every file of the output is in the deployment, with its content.
    expect(deployment.archived).toHaveLength(15_201);
    expect(deployment.archived?.map((file) => file.path)).toContain(".vercel/output/static/chunk-7/asset-15007.js");
    expect(fakes.vercel.uploadedFiles).toBe(1);
    expect(result.outputs.state).toBe("READY");
    expect(result.summary).toContain(
      "Uploaded as an archive (1 part of .vercel/source.tgz): 15201 files, more than the 15,000 a deployment may list.",
    );
    expectNoLeak(result);
  });

  it("with archive: never, stops at Vercel's 15,000-file cap with one line and the fix", async () => {
    workspace = makeWorkspace(siteOf(15_200));
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", archive: "never" });
    expect(result.code).toBe(1);
    expect(errorOf(result)).toBe(
      "Vercel refused the deployment: it lists 15201 files and a deployment may list at most 15000 (Invalid request: `files` should NOT have more than 15000 items, received 15201). Set archive: auto (the default) or always to upload them as one archive.",
    );
    // Not worth a second try, and nothing was uploaded.
    expect(fakes.vercel.requestsTo("POST", "/v13/deployments")).toHaveLength(1);
    expect(fakes.vercel.requestsTo("POST", "/v2/files")).toHaveLength(0);
    expectNoLeak(result);
  });

  it("a one-file change to a 2,000-file site uploads that one file", async () => {
    workspace = makeWorkspace(siteOf(2_000));
    // First deploy file by file, so Vercel stores every file under its own sha.
    const first = await deployStep(fakes, workspace, { "github-deployment": "false", archive: "never" });
    expect(first.code).toBe(0);
    expect(fakes.vercel.uploadedFiles).toBe(2_001);
    writeFileSync(join(workspace, ".vercel/output/static/chunk-3/asset-123.js"), "export const n = 'changed';\n");
    const second = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(second.code).toBe(0);
    expect(fakes.vercel.uploadedFiles).toBe(2_002);
    const last = fakes.vercel.requestsTo("POST", "/v2/files").at(-1)!;
    expect(last.body.toString()).toBe("export const n = 'changed';\n");
    expect(second.summary).toContain(
      "Uploaded file by file: 1 of 2001 contents (28 B) missing from Vercel; auto archives past 1000 files or 100 MB.",
    );
    expect(fakes.vercel.latestDeployment()!.files).toHaveLength(2_001);
    expectNoLeak(second);
  });

  it("archives a first deploy when more than 1,000 files are missing from Vercel", async () => {
    workspace = makeWorkspace(siteOf(2_000));
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(0);
    // One per-file creation learned what was missing; no file was sent on its own; the archive went up in one part.
    expect(fakes.vercel.requestsTo("POST", "/v13/deployments")[0].json.files).toHaveLength(2_001);
    expect(fakes.vercel.uploadedFiles).toBe(1);
    expect(fakes.vercel.latestDeployment()!.archived).toHaveLength(2_001);
    expect(result.summary).toMatch(
      /Uploaded as an archive \(1 part of \.vercel\/source\.tgz\): 2001 of 2001 contents \(.+\) missing from Vercel; auto archives past 1000 files or 100 MB\./,
    );
    expectNoLeak(result);
  });

  it("stops every upload when the upload quota runs out, retries once as an archive, then names the quota and its reset", async () => {
    workspace = makeWorkspace(siteOf(800));
    const resetAt = Date.parse("2026-12-02T06:00:00Z");
    fakes.vercel.uploadQuota = { name: "api-upload-free", total: 300, resetAt };
    const result = await deployStep(fakes, workspace, { "github-deployment": "false" });
    expect(result.code).toBe(1);
    expect(fakes.vercel.uploadedFiles).toBe(300);
    // At most the uploads already in flight (50 at a time) and the one archive part were refused, not one per file.
    expect(fakes.vercel.quotaRefusals).toBeGreaterThan(0);
    expect(fakes.vercel.quotaRefusals).toBeLessThanOrEqual(51);
    expect(archiveCreations(fakes.vercel)).toHaveLength(1);
    // Uploads the fake accepted while their answers were cut off by the stop are not counted as ours.
    expect(result.stdout).toMatch(
      /Sending the files as an archive instead: the upload quota api-upload-free ran out after \d+ per-file uploads\./,
    );
    expect(errorOf(result)).toBe(
      "Vercel's file-upload quota api-upload-free is used up, so no file can be uploaded until it resets. It resets at 2026-12-02T06:00:00.000Z. Vercel said: Too many requests - try again in 24 hours (more than 300, code: \"api-upload-free\"). Even the archive parts were refused: wait for the reset, or raise the plan's upload limit.",
    );
    expectNoLeak(result);
  });

  it("with archive: never, fails on the upload quota with its reset time and archive: always as the fix", async () => {
    workspace = makeWorkspace(siteOf(400));
    fakes.vercel.uploadQuota = { name: "api-upload-free", total: 100, resetAt: Date.parse("2026-12-02T06:00:00Z") };
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", archive: "never" });
    expect(result.code).toBe(1);
    expect(fakes.vercel.quotaRefusals).toBeLessThanOrEqual(50);
    expect(archiveCreations(fakes.vercel)).toHaveLength(0);
    // One creation: a used-up quota is not retried.
    expect(fakes.vercel.requestsTo("POST", "/v13/deployments")).toHaveLength(1);
    expect(errorOf(result)).toBe(
      'Vercel\'s file-upload quota api-upload-free is used up, so no file can be uploaded until it resets. It resets at 2026-12-02T06:00:00.000Z. Vercel said: Too many requests - try again in 24 hours (more than 100, code: "api-upload-free"). Set archive: always (or auto) to upload a few archive parts instead of one request per file.',
    );
    expectNoLeak(result);
  });

  it("archive: always sends even a small site as an archive", async () => {
    workspace = makeWorkspace(siteOf(3));
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", archive: "always" });
    expect(result.code).toBe(0);
    expect(
      fakes.vercel
        .latestDeployment()!
        .archived?.map((file) => file.path)
        .sort(),
    ).toEqual([
      ".vercel/output/config.json",
      ".vercel/output/static/chunk-0/asset-0.js",
      ".vercel/output/static/chunk-1/asset-1.js",
      ".vercel/output/static/chunk-2/asset-2.js",
    ]);
    expect(result.summary).toContain("Uploaded as an archive (1 part of .vercel/source.tgz): archive: always.");
    expectNoLeak(result);
  });

  it("rejects an unknown archive mode before contacting Vercel", async () => {
    workspace = makeWorkspace(siteOf(1));
    const result = await deployStep(fakes, workspace, { "github-deployment": "false", archive: "zip" });
    expect(result.code).toBe(1);
    expect(errorOf(result)).toMatch(/^Input 'archive'.*zip.*auto, always, never/);
    expect(fakes.vercel.requests).toHaveLength(0);
  });
});
