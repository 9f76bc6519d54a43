import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gatePreflight } from "../../src/gate/preflight.js";
import { INPUTS, OUTPUTS } from "../../src/gate/settings.js";
import { consoleLogger } from "../../src/lib/logger.js";
import { REPO_ROOT, readActionMetadata } from "../harness/run-bundle.js";
import { stepContext } from "../support/preflight-context.js";
import { exampleWorkspace, FIXTURES, pathWith } from "./workspace.js";

const scratchHome = mkdtempSync(join(tmpdir(), "launchpad-gate-home-"));

function launchpad(args: string[], cwd: string) {
  // Only what the command needs: a developer's GITHUB_API_URL, GITHUB_TOKEN or GITHUB_WORKSPACE must not reach it.
  const env = { PATH: pathWith(), HOME: scratchHome };
  // The loader by absolute URL: the command runs in a temp copy with no node_modules of its own.
  return spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "src/cli/index.ts"), "gate", ...args], {
    cwd,
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("launchpad gate", () => {
  it("prints the same report as the action and exits 1 on a failing pytest run", () => {
    const workspace = exampleWorkspace();
    copyFileSync(join(FIXTURES, "pytest-xunit2-failing.xml"), join(workspace, "services/api/reports/pytest.xml"));
    const run = launchpad(
      [
        "--working-directory",
        "services/api",
        "--junit",
        "reports/pytest.xml",
        "--coverage",
        "reports/coverage.xml",
        "--commands",
        "check: echo checked",
        "--summary",
        "out/gate.md",
      ],
      workspace,
    );
    expect(run.status).toBe(1);
    // --summary, as on every other command: the same report, also in that file.
    expect(readFileSync(join(workspace, "out/gate.md"), "utf8")).toContain("| tests | 4/5 passed (80%), 1 failed, 1 skipped |");
    expect(run.stdout).toContain("| tests | 4/5 passed (80%), 1 failed, 1 skipped | 100% pass rate | ❌ fail |");
    expect(run.stdout).toContain(
      "| tests.test_strategies.TestValidate › test_must_end_with_action | services/api/tests/test_strategies.py:11 |",
    );
    expect(run.stdout).toContain(`Report written to ${join(workspace, ".launchpad/quality-gate-report.md")}`);
    expect(run.stderr).toContain("▸ check: echo checked");
  });

  it("exits 2 with one line for a malformed budget", () => {
    const run = launchpad(["--bundle", "dist/*.js", "--bundle-budget", "lots"], exampleWorkspace());
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(/^launchpad: --bundle-budget got "lots"; expected a gzip size such as 250KB/);
  });
});

describe("launchpad gate refuses before it runs anything", () => {
  it("exits 2 when no gate is configured, instead of passing on nothing", () => {
    const run = launchpad([], exampleWorkspace());
    expect(run.status).toBe(2);
    expect(run.stdout).not.toContain("passed");
    expect(run.stderr.trim().split("\n").at(-1)).toBe("launchpad: No gate configured: set commands, junit, coverage, audit or bundle.");
  });

  it.each([
    [["--audit", "missing.json"], '--audit got "missing.json"', "the path does not exist."],
    [["--working-directory", "no/such/dir"], '--working-directory got "no/such/dir"', "the path does not exist."],
  ])("names %j before the lint command runs", (flags, start, end) => {
    const run = launchpad(["--commands", "lint: echo lint-ran", ...flags], exampleWorkspace());
    expect(run.status).toBe(2);
    const last = run.stderr.trim().split("\n").at(-1) ?? "";
    expect(last.startsWith(`launchpad: ${start}`)).toBe(true);
    expect(last).toContain(end);
    expect(run.stderr).not.toContain("lint-ran");
    expect(run.stderr).not.toContain("ENOENT");
  });
});

describe("gate preflight", () => {
  it("runs the step's own commands and reports: the example's lint, vitest with coverage, build and pytest reports", async () => {
    const root = exampleWorkspace();
    const lines: string[] = [];
    const { context } = stepContext(
      root,
      {
        commands: [
          "lint: cd apps/web && tsc -p .",
          "test: cd apps/web && vitest run --reporter=junit --outputFile.junit=reports/junit.xml --coverage",
          "build: cd apps/web && esbuild src/index.ts --bundle --minify --format=esm --outfile=dist/assets/main.js",
        ].join("\n"),
        junit: "apps/web/reports/junit.xml\nservices/api/reports/pytest.xml",
        coverage: "apps/web/coverage/coverage-summary.json\nservices/api/reports/coverage.xml",
        bundle: "apps/web/dist/assets/*.js",
        "bundle-budget": "250KB",
        audit: "none",
      },
      // The tools (tsc, vitest, esbuild) from PATH, and nothing else from this shell.
      { logger: consoleLogger({ write: (line) => lines.push(line) }), env: { PATH: pathWith(), HOME: scratchHome } },
    );
    const outcome = await gatePreflight.run(context);
    expect(outcome.headline).toBe("All 6 gates passed");
    expect(outcome.ok).toBe(true);
    expect(outcome.markdown).toContain("| tests | 15/15 passed (100%), 2 skipped | 100% pass rate | ✅ pass |");
    expect(lines).toContain("▸ test: cd apps/web && vitest run --reporter=junit --outputFile.junit=reports/junit.xml --coverage");
  });
});

describe("action.yml", () => {
  it("declares exactly the inputs and outputs the entry reads and writes, each described", () => {
    const metadata = readActionMetadata("gate");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(OUTPUTS).sort());
    for (const input of Object.values(metadata.inputs ?? {})) {
      expect(input.description).toBeTruthy();
      expect(input.default).toBeDefined();
    }
    expect(metadata.runs).toEqual({ using: "node24", main: "../../dist/gate/index.js" });
    expect(metadata.inputs?.["github-token"]?.default).toBe(["$", "{{ github.token }}"].join(""));
  });
});

describe("launchpad gate flags come from action.yml", () => {
  it("refuses --bundle ../../etc/passwd naming the flag as typed, instead of measuring /etc/passwd", () => {
    const run = launchpad(["--bundle", "../../etc/passwd"], exampleWorkspace());
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n").at(-1)).toBe(
      `launchpad: --bundle got "../../etc/passwd": the path leaves the workspace; give globs inside it, relative to working-directory.`,
    );
    expect(run.stdout).not.toContain("bundle |");
  });

  it("shows action.yml's description and default in --help", () => {
    const run = launchpad(["--help"], exampleWorkspace());
    expect(run.status).toBe(0);
    const help = run.stdout.replace(/\s+/g, " ");
    expect(help).toContain("--allow-no-tests <boolean> `true` to pass the tests gate when the JUnit reports hold no test that ran");
    expect(help).toContain('(default: "critical=0,high=0")');
    expect(help).not.toContain("${{");
  });
});
