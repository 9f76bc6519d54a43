import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/lib/errors.js";
import { planDeploy, planMarkdown } from "../../src/vercel/plan.js";
import { vercelPreflight } from "../../src/vercel/preflight.js";
import type { GitHubFake } from "../fakes/github.js";
import type { VercelFake } from "../fakes/vercel.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { stepContext } from "../support/preflight-context.js";
import { makeWorkspace, PLANTED_TOKEN, removeWorkspace, startFakes } from "./support.js";

/** The built CLI run in `cwd`, the workspace its path flags are relative to. */
function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "dist/cli/index.js"), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => {
      stdout += data;
    });
    child.stderr.on("data", (data: Buffer) => {
      stderr += data;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("deploy plan and the launchpad vercel-deploy command", () => {
  let fakes: { vercel: VercelFake; github: GitHubFake };
  let workspace: string;

  beforeEach(async () => {
    fakes = await startFakes();
    workspace = makeWorkspace({
      "static/big.js": "b".repeat(5_000),
      "static/a/logo.svg": "<svg/>".repeat(100),
      "static/b/logo.svg": "<svg/>".repeat(100),
      "functions/api/x.func/.vc-config.json": '{"runtime":"nodejs22.x","handler":"index.js"}',
      "functions/api/x.func/index.js": "export default () => 1",
    });
  });

  afterEach(async () => {
    await fakes.vercel.stop();
    await fakes.github.stop();
    removeWorkspace(workspace);
  });

  it("plans the files a deploy sends, counting duplicate contents once, without credentials", async () => {
    writeFileSync(join(workspace, "README.md"), "not part of the prebuilt deploy");
    const plan = await planDeploy(workspace, join(workspace, ".vercel/output"), { largest: 2 });
    expect(plan).toMatchObject({
      files: 6,
      unique: 5,
      functions: 1,
      totalBytes: 5_000 + 1_200 + 13 + 45 + 22,
      uniqueBytes: 5_000 + 600 + 13 + 45 + 22,
    });
    expect(plan.largest).toEqual([
      { path: ".vercel/output/static/big.js", bytes: 5_000 },
      { path: ".vercel/output/static/a/logo.svg", bytes: 600 },
    ]);
    expect(planMarkdown(plan)).toContain("| 6 | 5 | 6.1 KiB | 5.5 KiB | 1 |");
  });

  it("shows the example's deploy plan in preflight", async () => {
    const root = join(REPO_ROOT, "examples/blockbuilders");
    // Nothing from this shell: the plan needs no credentials.
    const { context, cleanups } = stepContext(root, { "output-dir": ".vercel/output", path: "." });
    const outcome = await vercelPreflight.run(context);
    for (const cleanup of cleanups) await cleanup();
    expect(outcome.ok).toBe(true);
    expect(outcome.outputs?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(outcome.headline).toMatch(/^deploy plan: \d+ files, .+ \(.+ unique\), \d+ functions?$/);
    expect(outcome.markdown).toContain("`.vercel/output/static/index.html`");
  });

  it("names config.json when the Build Output is not version 3", async () => {
    writeFileSync(join(workspace, ".vercel/output/config.json"), '{"version": 2}');
    const plan = planDeploy(workspace, join(workspace, ".vercel/output"));
    await expect(plan).rejects.toThrow(ConfigurationError);
    await expect(plan).rejects.toThrow('.vercel/output/config.json: "version" is 2; the Build Output API needs 3.');
  });

  it("deploys from the command line with the token from VERCEL_TOKEN and never prints it", async () => {
    const result = await runCli(
      [
        "vercel-deploy",
        "--project-id",
        "prj_web",
        "--api-url",
        fakes.vercel.url,
        "--alias",
        "cli-{{sha}}.blockbuilders.dev",
        "--github-deployment",
        "false",
      ],
      { VERCEL_TOKEN: PLANTED_TOKEN, GITHUB_SHA: "abcdef1234567890abcdef1234567890abcdef12", GITHUB_REF_NAME: "main" },
      workspace,
    );
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    const id = fakes.vercel.latestDeployment()!.id;
    expect(result.stdout).toContain(`deployment-id=${id}`);
    expect(fakes.vercel.aliases.get("cli-abcdef1.blockbuilders.dev")).toBe(id);
    expect(`${result.stdout}${result.stderr}`).not.toContain(PLANTED_TOKEN);
  });

  it("exits 2 with one line when the token is missing", async () => {
    const result = await runCli(["vercel-deploy", "--project-id", "prj_web", "--api-url", fakes.vercel.url], {}, workspace);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("launchpad: required option '--token <token>' not specified");
  });
});
