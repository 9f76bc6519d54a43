import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { asString, evaluate } from "../../src/plan/expression.js";
import { REPO_ROOT, readActionMetadata, runStep, runWithPost, type StepResult } from "../harness/run-bundle.js";
import { type SmokeFakes, startSmokeFakes } from "./smoke-fakes.js";

interface SmokeStep {
  name?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

const ci = parse(readFileSync(join(REPO_ROOT, ".github/workflows/ci.yml"), "utf8"));
const smokeSteps: SmokeStep[] = ci.jobs.smoke.steps;
const actionSteps = smokeSteps.filter((step) => step.uses?.startsWith("./actions/"));
const actionOf = (step: SmokeStep) => (step.uses ?? "").slice("./actions/".length);
const built = (action: string) => existsSync(join(REPO_ROOT, "dist", action, "index.js"));

/** `${{ env.X }}` in a `with:` value, evaluated with GitHub's expression evaluator against the fakes' environment. */
function withValues(step: SmokeStep, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_all, expression: string) => asString(evaluate(expression, { env }))),
    ]),
  );
}

/**
 * The smoke job of .github/workflows/ci.yml replayed through the harness: each `uses: ./actions/<name>` step runs its
 * built bundle with the step's own inputs, against the same fakes the job starts, in a workspace laid out like the
 * checkout (the example at examples/blockbuilders, git history with a tag).
 */
describe("the CI smoke job's action steps, replayed against its fakes", () => {
  let fakes: SmokeFakes;
  let workspace: string;
  /** GITHUB_SHA on the real runner is the checked-out commit; the harness's default SHA names none here. */
  let headSha: string;

  beforeAll(async () => {
    fakes = await startSmokeFakes();
    workspace = mkdtempSync(join(tmpdir(), "smoke-workspace-"));
    cpSync(join(REPO_ROOT, "examples/blockbuilders"), join(workspace, "examples/blockbuilders"), {
      recursive: true,
      filter: (source) => !source.includes(join("blockbuilders", ".launchpad")),
    });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: workspace, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("-c", "user.name=smoke", "-c", "user.email=smoke@example.com", "commit", "-q", "--allow-empty", "-m", "chore: start");
    git("tag", "v0.1.0");
    git("add", "-A");
    git("-c", "user.name=smoke", "-c", "user.email=smoke@example.com", "commit", "-q", "-m", "feat: the example (#1)");
    headSha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: workspace, encoding: "utf8" }).trim();
  });

  afterAll(async () => {
    await fakes?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it("runs every action of the suite but compliance and approval (they need a pull request event and the GitHub API)", () => {
    expect(new Set(actionSteps.map(actionOf))).toEqual(
      new Set(["verify", "gate", "seed", "vercel-deploy", "ecs-blue-green", "release-notes"]),
    );
  });

  for (const step of actionSteps) {
    const action = actionOf(step);
    // A bundle not built in this tree comes from the action's own branch; the merge brings it, and the step runs then.
    it.skipIf(!built(action))(`${step.name ?? step.uses} passes`, { timeout: 180_000 }, async () => {
      const options = {
        inputs: withValues(step, fakes.env),
        env: { ...fakes.env, ...step.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}:${process.env.PATH}` },
        workspace,
        sha: headSha,
        timeoutMs: 150_000,
      };
      const result: StepResult = readActionMetadata(action).runs.post
        ? (await runWithPost(action, options)).main
        : await runStep(action, options);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.code, result.stdout.slice(-2000)).toBe(0);
    });
  }
});
