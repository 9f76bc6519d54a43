// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are workflow YAML, whose ${{ }} expressions are the point.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planEvent } from "../../src/plan/planner.js";
import type { PlanRequest } from "../../src/plan/types.js";

/** A repo root in a temp dir with the given .github/workflows files. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "plan-core-"));
  mkdirSync(join(root, ".github/workflows"), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, ".github/workflows", name), text);
  return root;
}

const job = (lines: string[] = []) => ["    runs-on: ubuntu-latest", ...lines.map((line) => `    ${line}`), "    steps: [{run: echo}]"];

async function plan(root: string, request: Omit<PlanRequest, "folder">) {
  return (await planEvent({ folder: root, ...request })).entries.map((entry) => [entry.job, entry.runs, entry.environment, entry.reason]);
}

describe("planEvent", () => {
  it("applies branch filters with negation, and tag filters to tag pushes only", async () => {
    const root = repo({
      "branches.yml": ["on:", "  push:", "    branches: ['release/**', '!release/old-*']", "jobs:", "  a:", ...job()].join("\n"),
      "tags.yml": ["on:", "  push:", "    tags: ['v*']", "jobs:", "  t:", ...job()].join("\n"),
    });
    expect(await plan(root, { event: "push", ref: "release/2026/12" })).toEqual([["a", true, null, "no condition"]]);
    const old = await planEvent({ folder: root, event: "push", ref: "release/old-1" });
    expect(old.entries).toEqual([]);
    expect(old.untriggered).toEqual([
      { workflow: "branches.yml", reason: "push branches do not match release/old-1" },
      { workflow: "tags.yml", reason: "push runs on tags only" },
    ]);
    expect(await plan(root, { event: "push", ref: "refs/tags/v2.0.0" })).toEqual([["t", true, null, "no condition"]]);
  });

  it("skips a job whose need is skipped, naming the need, unless its if: uses always()", async () => {
    const root = repo({
      "ci.yml": [
        "on: push",
        "jobs:",
        "  deploy:",
        ...job(["if: github.ref_name == 'main'", "environment: ${{ github.ref_name }}-env"]),
        "  smoke:",
        ...job(["needs: deploy"]),
        "  report:",
        ...job(["needs: smoke", "if: always()"]),
      ].join("\n"),
    });
    expect(await plan(root, { event: "push", ref: "dev" })).toEqual([
      ["deploy", false, "dev-env", "if: github.ref_name == 'main' is false"],
      ["smoke", false, null, "needs deploy, which does not run"],
      ["report", true, null, "if: always()"],
    ]);
  });

  it("expands a local reusable workflow with its caller's inputs and defaults, after the caller's needs", async () => {
    const root = repo({
      "caller.yml": [
        "on: workflow_dispatch",
        "jobs:",
        "  build:",
        ...job(),
        "  ship:",
        "    needs: build",
        "    uses: ./.github/workflows/deploy.yml",
        "    with:",
        "      target: ${{ github.ref_name == 'main' && 'production' || 'staging' }}",
      ].join("\n"),
      "deploy.yml": [
        "on:",
        "  workflow_call:",
        "    inputs:",
        "      target: {type: string, required: true}",
        "      dry-run: {type: boolean, default: false}",
        "jobs:",
        "  push:",
        ...job(["if: ${{ !inputs.dry-run }}", "environment: ${{ inputs.target }}"]),
      ].join("\n"),
    });
    const { entries } = await planEvent({ folder: root, event: "workflow_dispatch", ref: "main", workflow: "caller.yml" });
    expect(entries).toEqual([
      { workflow: "caller.yml", job: "build", runs: true, needs: [], environment: null, reason: "no condition" },
      {
        workflow: "caller.yml",
        job: "ship/push",
        runs: true,
        needs: ["build"],
        environment: "production",
        reason: "called by ship; if: !inputs.dry-run",
      },
    ]);
    // What a local runner (preflight) gets: each running job parsed, from its own file, with the contexts it sees.
    const { jobs } = await planEvent({ folder: root, event: "workflow_dispatch", ref: "main", workflow: "caller.yml" });
    expect(jobs.map((planned) => [planned.entry.job, planned.path.split("/").slice(-3).join("/")])).toEqual([
      ["build", ".github/workflows/caller.yml"],
      ["ship/push", ".github/workflows/deploy.yml"],
    ]);
    expect(jobs[1]?.context.inputs).toEqual({ target: "production", "dry-run": false });
    expect(jobs[1]?.job.steps).toHaveLength(1);
  });

  it("follows workflow_run only from a workflow that ran, on the branches it names", async () => {
    const root = repo({
      "ci.yml": ["name: CI", "on: push", "jobs:", "  gate:", ...job(["if: github.ref_name != 'wip'"])].join("\n"),
      "after.yml": [
        "on:",
        "  workflow_run:",
        "    workflows: [CI]",
        "    types: [completed]",
        "    branches: [main, wip]",
        "jobs:",
        "  next:",
        ...job(["if: github.event.workflow_run.conclusion == 'success'"]),
      ].join("\n"),
    });
    expect((await plan(root, { event: "push", ref: "main" })).map(([id, runs]) => [id, runs])).toEqual([
      ["gate", true],
      ["next", true],
    ]);
    expect((await plan(root, { event: "push", ref: "feature" })).map(([id]) => id)).toEqual(["gate"]);
    const wip = await planEvent({ folder: root, event: "push", ref: "wip" });
    expect(wip.entries.map((entry) => entry.job)).toEqual(["gate"]);
    expect(wip.untriggered).toEqual([{ workflow: "after.yml", reason: "no workflow it follows ran (no push trigger)" }]);
  });

  it("types boolean dispatch inputs and refuses a value that is not true or false", async () => {
    const root = repo({
      "d.yml": [
        "on:",
        "  workflow_dispatch:",
        "    inputs:",
        "      force: {type: boolean, default: false}",
        "jobs:",
        "  a:",
        ...job(["if: inputs.force"]),
      ].join("\n"),
    });
    expect(await plan(root, { event: "workflow_dispatch", ref: "main", inputs: { force: "true" } })).toEqual([
      ["a", true, null, "if: inputs.force"],
    ]);
    expect(await plan(root, { event: "workflow_dispatch", ref: "main" })).toEqual([["a", false, null, "if: inputs.force is false"]]);
    await expect(planEvent({ folder: root, event: "workflow_dispatch", ref: "main", inputs: { force: "yes" } })).rejects.toThrow(
      "--input force=yes: d.yml takes true or false.",
    );
  });

  it("lists a call to a workflow it cannot read as running, and says so", async () => {
    const root = repo({ "c.yml": ["on: push", "jobs:", "  x:", "    uses: someone/else/.github/workflows/w.yml@v1"].join("\n") });
    expect(await plan(root, { event: "push", ref: "main" })).toEqual([
      ["x", true, null, "calls someone/else/.github/workflows/w.yml@v1, which is not available locally"],
    ]);
  });
});
