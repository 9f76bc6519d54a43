import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PlanEntry } from "../../src/plan/types.js";
import { REPO_ROOT } from "../harness/run-bundle.js";

const CLI = join(REPO_ROOT, "dist/cli/index.js");
const EXAMPLE = join(REPO_ROOT, "examples/blockbuilders");
const SUITE = join(REPO_ROOT, "workflows");

function launchpad(args: string[]) {
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "plan-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [CLI, "plan", ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000, env });
}

function plan(dir: string, args: string[]): PlanEntry[] {
  const result = launchpad([...args, "--json", dir]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

const running = (entries: PlanEntry[]) => entries.filter((entry) => entry.runs);
const leaf = (entry: PlanEntry) => entry.job.split("/").pop() ?? "";
const DEPLOY_JOBS = new Set(["deploy-frontend", "deploy-backend", "preview", "seed"]);
const PROMOTE = [
  "--input",
  "version=v1.4.2",
  "--input",
  "environment=production",
  "--input",
  "change-ticket=CHG-7",
  "--input",
  "reason=release",
];

/** The event matrix, on the example consumer (which calls the suite's reusable workflows) and on the suite's own folder. */
describe.each([
  ["the example consumer", EXAMPLE],
  ["the suite's workflows/", SUITE],
])("launchpad plan on %s", (_name, dir) => {
  it("a push to main deploys production and never seeds", () => {
    const entries = plan(dir, ["--event", "push", "--ref", "main"]);
    const deploys = running(entries).filter((entry) => DEPLOY_JOBS.has(leaf(entry)));
    expect(deploys.map(leaf).sort()).toEqual(["deploy-backend", "deploy-frontend"]);
    expect(deploys.every((entry) => entry.environment === "production")).toBe(true);
    expect(running(entries).filter((entry) => entry.environment === "staging")).toEqual([]);
    expect(entries.filter((entry) => entry.workflow === "seed-staging.yml")).toEqual([]);
    expect(running(entries).map(leaf)).toContain("release-notes");
  });

  it("a push to staging deploys staging, then seeds staging after the pipeline", () => {
    const entries = plan(dir, ["--event", "push", "--ref", "staging"]);
    const deploys = running(entries).filter((entry) => DEPLOY_JOBS.has(leaf(entry)));
    expect(deploys.map(leaf)).toEqual(["deploy-frontend", "deploy-backend", "seed"]);
    expect(deploys.every((entry) => entry.environment === "staging")).toBe(true);
    const seed = entries.findIndex((entry) => leaf(entry) === "seed");
    const verify = entries.findIndex((entry) => leaf(entry) === "verify");
    expect(entries[seed]).toMatchObject({ workflow: "seed-staging.yml", runs: true });
    expect(entries[seed]?.reason).toContain("after ci-cd (workflow_run)");
    expect(verify).toBeLessThan(seed);
    expect(entries.find((entry) => entry.workflow === "seed-staging.yml" && leaf(entry) === "approval")).toMatchObject({ runs: false });
    expect(entries.find((entry) => leaf(entry) === "release-notes")).toMatchObject({
      runs: false,
      reason: expect.stringContaining("if: github.ref_name == 'main' is false"),
    });
  });

  it("a pull request deploys only a preview", () => {
    const entries = plan(dir, ["--event", "pull_request", "--ref", "main"]);
    expect(new Set(entries.map((entry) => entry.workflow))).toEqual(new Set(["pr-checks.yml"]));
    const deploying = running(entries).filter((entry) => entry.environment !== null);
    expect(deploying.map((entry) => [leaf(entry), entry.environment])).toEqual([["preview", "preview"]]);
    expect(running(entries).map(leaf)).toEqual(expect.arrayContaining(["build-test", "compliance", "seed-lint"]));
  });

  it("a dispatch of promote runs approval before any deploy, and rollback only on failure", () => {
    const entries = plan(dir, ["--event", "workflow_dispatch", "--ref", "main", "--workflow", "promote.yml", ...PROMOTE]);
    const approval = entries.findIndex((entry) => leaf(entry) === "approval");
    expect(entries[approval]).toMatchObject({ runs: true, environment: "production" });
    const deploys = entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => leaf(entry).startsWith("deploy-"));
    expect(deploys).toHaveLength(2);
    for (const { entry, index } of deploys) {
      expect(index).toBeGreaterThan(approval);
      expect(entry).toMatchObject({ runs: true, environment: "production" });
      expect(entry.needs.map((need) => need.split("/").pop())).toContain("approval");
    }
    expect(entries.find((entry) => leaf(entry) === "rollback")).toMatchObject({
      runs: false,
      reason: expect.stringContaining("failure()"),
    });
  });

  it("a dispatch of seed-staging for production runs approval first; for staging it needs none", () => {
    const production = plan(dir, [
      "--event",
      "workflow_dispatch",
      "--ref",
      "main",
      "--workflow",
      "seed-staging.yml",
      "--input",
      "environment=production",
      "--input",
      "change-ticket=CHG-8",
    ]);
    expect(production.map((entry) => [leaf(entry), entry.runs, entry.environment])).toEqual([
      ["approval", true, "production"],
      ["seed", true, "production"],
    ]);
    const staging = plan(dir, ["--event", "workflow_dispatch", "--ref", "main", "--workflow", "seed-staging.yml"]);
    expect(staging.map((entry) => [leaf(entry), entry.runs, entry.environment])).toEqual([
      ["approval", false, "production"],
      ["seed", true, "staging"],
    ]);
  });
});

describe("launchpad plan output and mistakes", () => {
  it("prints the plan as a table in dependency order, with the skipped jobs and why", () => {
    const result = launchpad(["--event", "push", "--ref", "staging", EXAMPLE]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("### Event plan: push to staging");
    expect(result.stdout).toMatch(/\| 1 \| ci-cd\.yml \| pipeline\/test \| ✅ runs \|/);
    expect(result.stdout).toMatch(/\| pipeline\/release-notes \| ⏭️ skipped \|/);
    expect(result.stdout).toContain("Not started: pr-checks.yml (no push trigger)");
  });

  it("a dispatch that lacks a required input runs nothing of that workflow and names the input", () => {
    const entries = plan(EXAMPLE, ["--event", "workflow_dispatch", "--ref", "main", "--workflow", "promote.yml"]);
    expect(entries).toEqual([
      expect.objectContaining({ job: "promote", runs: false, reason: "workflow_dispatch needs --input version (required)" }),
    ]);
  });

  it.each([
    [["--event", "release", "--ref", "main"], "launchpad: --event release: expected one of push, pull_request, workflow_dispatch."],
    [["--event", "push"], "launchpad: --ref (missing): expected a branch, e.g. main, or refs/tags/<tag>."],
    [
      ["--event", "workflow_dispatch", "--ref", "main", "--input", "environment=prod"],
      "launchpad: --input environment=prod: promote.yml allows production, staging.",
    ],
    [
      ["--event", "workflow_dispatch", "--ref", "main", "--input", "enviroment=production"],
      "launchpad: --input enviroment: no workflow_dispatch workflow here declares an input 'enviroment'.",
    ],
    [["--event", "push", "--ref", "main", "--input", "a=b"], "launchpad: --input is for --event workflow_dispatch only (got --input a)."],
  ])("%j exits 2 with one line", (args, message) => {
    const result = launchpad([...args, EXAMPLE]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(message);
    expect(result.stdout).toBe("");
  });

  it("a broken workflow file is named at its line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-broken-"));
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(
      join(dir, ".github/workflows/ci.yml"),
      [
        "on: push",
        "jobs:",
        "  a:",
        "    runs-on: ubuntu-latest",
        "    steps: [{run: echo}]",
        "  b:",
        "    needs: [nope]",
        "    runs-on: ubuntu-latest",
        "    steps: [{run: echo}]",
        "",
      ].join("\n"),
    );
    const result = launchpad(["--event", "push", "--ref", "main", dir]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^launchpad: .*\.github\/workflows\/ci\.yml:7:\d+: Job 'b' depends on unknown job 'nope'\.$/);
  });
});
