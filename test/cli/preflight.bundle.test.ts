import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LAUNCHPAD_VERSION } from "../../src/lib/version.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { copyExample, removeExampleCopies } from "../support/example.js";

const CLI = join(REPO_ROOT, "dist/cli/index.js");

function launchpad(args: string[], cwd = REPO_ROOT) {
  // Only PATH (for node_modules/.bin) and a fresh HOME: no token or API URL of the developer's can reach the run.
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "preflight-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 240_000, env });
}

/** The job tables' rows (the verdict is their second column) without the time column. */
function stepRows(markdown: string): string[] {
  return markdown
    .split("\n")
    .filter((line) => /^\| [^|]+ \| (✅ pass|❌ fail|⏭️ skipped) \|/.test(line))
    .map((line) => line.replace(/\| [^|]* \|$/, "|"));
}

describe("the launchpad CLI bundle", () => {
  afterAll(removeExampleCopies);

  it("reports the package version", () => {
    const packageVersion = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version;
    expect(LAUNCHPAD_VERSION).toBe(packageVersion);
    expect(launchpad(["--version"]).stdout.trim()).toBe(packageVersion);
  });

  it("runs the example's own PR workflow: each Launchpad step's local mode, the rest listed as skipped", { timeout: 300_000 }, () => {
    const root = copyExample();
    const result = launchpad(["preflight", root]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("# Launchpad preflight");
    expect(result.stdout).toContain("pull_request into `main`: 4 jobs; 6 Launchpad steps ran locally, 0 failed");
    for (const job of ["build-test", "compliance", "seed-lint", "preview"]) expect(result.stdout).toContain(`## pr-checks.yml › ${job}\n`);
    expect(result.stdout).not.toContain("ci-cd.yml ›");
    expect(result.stdout).toMatch(/\| Quality gate \| ✅ pass \| All 6 gates passed/);
    // The verify step's URL is the vercel-deploy step's output: a local server of the example's Build Output.
    expect(result.stdout).toMatch(/\| Smoke-test the preview \| ✅ pass \| 3 smoke checks passed/);
    expect(result.stdout).toContain("| The web toolchain | ⏭️ skipped | `run:` step, not run locally (--run-steps runs it) |");
    expect(result.stdout).toContain(
      "Not set locally, so evaluated to empty: `vars.VERCEL_TEAM_ID`, `vars.VERCEL_PROJECT_ID`, `secrets.VERCEL_TOKEN`.",
    );
    const written = readFileSync(join(root, ".launchpad/preflight.md"), "utf8");
    expect(result.stdout).toContain(written.trim());
    // A second run gives the same verdicts and results (times aside).
    const again = launchpad(["preflight", root]);
    expect(again.status).toBe(0);
    expect(stepRows(again.stdout)).toEqual(stepRows(result.stdout));
  });

  it("runs the example's push pipeline (the suite's reusable ci-cd) with the deploys as plans", { timeout: 300_000 }, () => {
    const root = copyExample();
    const result = launchpad(["preflight", root, "--event", "push", "--ref", "main"]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toContain("## ci-cd.yml › pipeline/deploy-backend");
    expect(result.stdout).toMatch(
      /\| Blue\/green rollout \| ✅ pass \| blockbuilders-api: image → .*:preflight, 7 read-only fields stripped; nothing sent/,
    );
    expect(result.stdout).toContain("```yaml\nversion: 0");
    expect(result.stdout).not.toContain('-   "taskDefinitionArn"');
    expect(result.stdout).not.toContain("pr-checks.yml ›");
    // The suite's generic pipeline runs pnpm, which the example does not use: the gate says so and the run fails.
    expect(result.stdout).toMatch(/\| Quality gate \| ❌ fail \|/);
    expect(result.status).toBe(1);
  });

  it("runs verify with flags named like the action's inputs and fails on a bad one with a one-line message", () => {
    const result = launchpad(["verify", "--url", "http://127.0.0.1:9", "--attempts", "zero"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`launchpad: --attempts got "zero"; expected a whole number from 1 to 20.`);
  });
});
