import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubFake } from "../fakes/github.js";
import type { VercelFake } from "../fakes/vercel.js";
import { deployStep, expectNoLeak, makeWorkspace, removeWorkspace, startFakes } from "./support.js";

describe("vercel-deploy path and range inputs, refused by name before any request", () => {
  let fakes: { vercel: VercelFake; github: GitHubFake };
  let workspace: string;

  beforeEach(async () => {
    fakes = await startFakes();
    workspace = makeWorkspace({ "static/index.html": "<h1>Blockbuilders</h1>" });
  });

  afterEach(async () => {
    await fakes.vercel.stop();
    await fakes.github.stop();
    removeWorkspace(workspace);
  });

  /** One error annotation, exactly `message`; no request reached Vercel or GitHub; no token shown. */
  async function expectRefused(inputs: Record<string, string>, message: string, root = workspace): Promise<void> {
    const result = await deployStep(fakes, root, { "github-deployment": "false", ...inputs });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((annotation) => annotation.level === "error").map((annotation) => annotation.message);
    expect(errors).toEqual([message]);
    expect(fakes.vercel.requests).toHaveLength(0);
    expectNoLeak(result);
  }

  it("blames path, not output-dir, for a path that is a file", async () => {
    writeFileSync(join(workspace, "package.json"), "{}");
    await expectRefused({ path: "package.json" }, `Input 'path' got "package.json": the path is a file; expected a folder.`);
  });

  it("blames path for a path that does not exist or goes through a file", async () => {
    await expectRefused({ path: "apps/web" }, `Input 'path' got "apps/web": the path does not exist.`);
    writeFileSync(join(workspace, "notes.txt"), "x");
    await expectRefused(
      { path: "notes.txt/web" },
      `Input 'path' got "notes.txt/web": the path goes through a file as if it were a folder.`,
    );
  });

  it("refuses a path or an output-dir that leaves the workspace, by .. or by a symbolic link", async () => {
    await expectRefused(
      { path: "../.." },
      `Input 'path' got "../..": the path leaves the workspace; give a path inside it, relative to the workspace.`,
    );
    await expectRefused(
      { "output-dir": "../../elsewhere/.vercel/output" },
      `Input 'output-dir' got "../../elsewhere/.vercel/output": the path leaves the workspace; give a folder inside it, relative to 'path'.`,
    );
    const outside = mkdtempSync(join(tmpdir(), "vercel-outside-"));
    try {
      mkdirSync(join(outside, "web"));
      symlinkSync(join(outside, "web"), join(workspace, "web"));
      await expectRefused({ path: "web" }, `Input 'path' got "web": the path leads outside the workspace through a symbolic link.`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("refuses a timeout no timer can hold and an alias-wait past its range, naming the range", async () => {
    await expectRefused({ timeout: "999999h" }, `Input 'timeout' got "999999h"; expected a duration from 1s to 6h.`);
    await expectRefused({ timeout: "0s" }, `Input 'timeout' got "0s"; expected a duration from 1s to 6h.`);
    await expectRefused({ "alias-wait": "2h" }, `Input 'alias-wait' got "2h"; expected a duration from 0s to 10m.`);
  });

  it("echoes at most about 100 characters of a 120 KB bad target", async () => {
    const huge = "Q".repeat(120_000);
    await expectRefused(
      { target: huge },
      `Input 'target' got "${"Q".repeat(80)}"… (120000 characters); expected preview, production or a custom environment slug such as staging.`,
    );
  });
});
