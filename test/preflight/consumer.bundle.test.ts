import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/run-bundle.js";

const CLI = join(REPO_ROOT, "dist/cli/index.js");
const dirs: string[] = [];

function launchpad(args: string[], extraEnv: Record<string, string> = {}) {
  // Only PATH and a fresh HOME: no token or API URL of the developer's can reach the run.
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "preflight-home-")), NO_COLOR: "1", ...extraEnv };
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 240_000, env });
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const JUNIT = `<?xml version="1.0"?>
<testsuites><testsuite name="unit" tests="2" failures="0"><testcase classname="unit" name="adds"/><testcase classname="unit" name="subtracts"/></testsuite></testsuites>
`;

/** The consumer's PR workflow: a gate with its own commands and JUnit path, and a seed step with its own manifests. */
function pullRequestWorkflow(testCommand: string): string {
  return `name: checks
on:
  pull_request:
permissions:
  contents: read
jobs:
  quality:
    name: Quality
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: npm ci
      - name: Gate
        uses: blockbuilders/launchpad/actions/gate@v1
        with:
          commands: |
            style: node tools/record.mjs style
            unit: ${testCommand}
          junit: out/results/unit.xml
          audit: none
          github-token: \${{ secrets.GATE_CHECKS_TOKEN }}
  reference-data:
    runs-on: ubuntu-latest
    steps:
      - uses: blockbuilders/launchpad/actions/seed@v1
        with:
          command: apply
          manifests: db/reference
          migrations: db/schema
          env: ci
`;
}

/** A push-only workflow whose gate leaves a marker: it must not run for a pull request. */
const PUSH_WORKFLOW = `name: release
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  ship:
    runs-on: ubuntu-latest
    steps:
      - uses: blockbuilders/launchpad/actions/gate@v1
        with:
          commands: "ship: node tools/record.mjs ship"
          audit: none
`;

/** A consumer repository unlike the example: its own layout, commands, report path and reference data. */
function consumerRepo(testCommand = "node tools/record.mjs unit && node tools/junit.mjs"): string {
  const root = mkdtempSync(join(tmpdir(), "preflight-consumer-"));
  dirs.push(root);
  write(root, ".github/workflows/checks.yml", pullRequestWorkflow(testCommand));
  write(root, ".github/workflows/release.yml", PUSH_WORKFLOW);
  write(root, "tools/record.mjs", `import { appendFileSync } from "node:fs";\nappendFileSync("ran.log", process.argv[2] + "\\n");\n`);
  write(
    root,
    "tools/junit.mjs",
    `import { mkdirSync, writeFileSync } from "node:fs";\nmkdirSync("out/results", { recursive: true });\nwriteFileSync("out/results/unit.xml", ${JSON.stringify(JUNIT)});\n`,
  );
  write(root, "db/schema/001_colors.sql", "CREATE TABLE colors (code text PRIMARY KEY, label text NOT NULL);\n");
  write(
    root,
    "db/reference/colors.yaml",
    'table: colors\nkey: code\nversion: "1"\nrows:\n  - { code: red, label: Red }\n  - { code: teal, label: Teal }\n',
  );
  const git = (...args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.email=dev@example.com", "-c", "user.name=dev", "commit", "-qm", "initial");
  return root;
}

function ranCommands(root: string): string[] {
  const log = join(root, "ran.log");
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
}

describe("launchpad preflight on a consumer repository of its own", () => {
  afterAll(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("runs exactly the PR workflow's own commands, reports and manifests, and passes", { timeout: 120_000 }, () => {
    const root = consumerRepo();
    const result = launchpad(["preflight", root, "--event", "pull_request"]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    // style and unit from checks.yml, once each; the push-only workflow's ship never ran.
    expect(ranCommands(root)).toEqual(["style", "unit"]);
    expect(result.stdout).toContain("## checks.yml › quality (Quality)");
    expect(result.stdout).toMatch(/\| Gate \| ✅ pass \| All 3 gates passed/);
    expect(result.stdout).toContain("2/2 passed");
    expect(result.stdout).toContain("| run: npm ci | ⏭️ skipped | `run:` step, not run locally (--run-steps runs it) |");
    expect(result.stdout).toMatch(/\| actions\/checkout@v5 \| ⏭️ skipped \| third-party action/);
    expect(result.stdout).toMatch(
      /\| blockbuilders\/launchpad\/actions\/seed@v1 \| ✅ pass \| apply: 2 inserted, 0 updated, 0 unchanged in 1 tables/,
    );
    expect(result.stdout).not.toContain("release.yml ›");
    const written = readFileSync(join(root, ".launchpad/preflight.md"), "utf8");
    expect(result.stdout).toContain(written.trim());
  });

  it("lists a secrets.* input that is not set locally, in the step's row and once above the tables", { timeout: 120_000 }, () => {
    const root = consumerRepo();
    const result = launchpad(["preflight", root]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Not set locally, so evaluated to empty: `secrets.GATE_CHECKS_TOKEN`.");
    expect(result.stdout).toMatch(/\| Gate \| ✅ pass \| .*\(not set locally: `secrets\.GATE_CHECKS_TOKEN`\)/);
  });

  it("fails when a command of the workflow fails", { timeout: 120_000 }, () => {
    const root = consumerRepo('node -e "process.exit(3)"');
    const result = launchpad(["preflight", root, "--event", "pull_request"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/\| Gate \| ❌ fail \|/);
    expect(result.stdout).toMatch(/\| unit \| exit 3/);
    expect(ranCommands(root)).toEqual(["style"]);
  });

  it("runs the push jobs only for --event push", { timeout: 120_000 }, () => {
    const root = consumerRepo();
    const result = launchpad(["preflight", root, "--event", "push", "--ref", "main"]);
    expect(result.status).toBe(0);
    expect(ranCommands(root)).toEqual(["ship"]);
    expect(result.stdout).toContain("## release.yml › ship");
    expect(result.stdout).not.toContain("checks.yml ›");
  });

  it("runs the jobs' run: steps in the root with --run-steps, hands their outputs on, and fails on a failing one", {
    timeout: 120_000,
  }, () => {
    const root = consumerRepo();
    write(
      root,
      ".github/workflows/checks.yml",
      `on: pull_request
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: prep
        run: |
          node tools/record.mjs prepare
          echo "suite=from-run-step" >> "$GITHUB_OUTPUT"
      - name: Gate
        uses: blockbuilders/launchpad/actions/gate@v1
        with:
          commands: "unit: node tools/record.mjs \${{ steps.prep.outputs.suite }}"
          audit: none
      - name: Broken
        run: exit 4
`,
    );
    const listed = launchpad(["preflight", root]);
    expect(listed.status).toBe(0);
    expect(ranCommands(root)).not.toContain("prepare");
    expect(listed.stdout).toContain("| Broken | ⏭️ skipped | `run:` step, not run locally (--run-steps runs it) |");
    rmSync(join(root, "ran.log"), { force: true });

    const ran = launchpad(["preflight", root, "--run-steps"]);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
    expect(ran.status).toBe(1);
    expect(ranCommands(root)).toEqual(["prepare", "from-run-step"]);
    expect(ran.stdout).toMatch(/\| run: node tools\/record\.mjs prepare \| ✅ pass \| exit 0 \|/);
    expect(ran.stdout).toMatch(/\| Broken \| ❌ fail \| exit 4 \|/);
  });

  it("exits 2 with one line for a repository without workflows", () => {
    const root = mkdtempSync(join(tmpdir(), "preflight-empty-"));
    dirs.push(root);
    const result = launchpad(["preflight", root]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      `launchpad: ${root}: no workflow files in .github/workflows/, so there is no pipeline to run.`,
    ]);
  });

  it("exits 2 with one line when no job of the event uses a Launchpad action", () => {
    const root = mkdtempSync(join(tmpdir(), "preflight-plain-"));
    dirs.push(root);
    write(
      root,
      ".github/workflows/ci.yml",
      "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
    );
    const result = launchpad(["preflight", root]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `launchpad: ${root}: none of the 1 jobs that --event pull_request --ref main runs uses a Launchpad action.`,
    ]);
  });

  it("hands a --secrets-file secret to the step's env and masks it where the failing command's output is shown", {
    timeout: 120_000,
  }, () => {
    const root = consumerRepo();
    const key = "sk-preflight-7f3a9c2e51";
    write(
      root,
      ".github/workflows/checks.yml",
      `on: pull_request
jobs:
  keyed:
    runs-on: ubuntu-latest
    env:
      API_KEY: \${{ secrets.API_KEY }}
    steps:
      - uses: blockbuilders/launchpad/actions/gate@v1
        with:
          commands: |
            keyed: node -e "require('fs').writeFileSync('key.txt', process.env.API_KEY); console.log('key=' + process.env.API_KEY); process.exit(1)"
          audit: none
`,
    );
    write(root, "local.env", `API_KEY=${key}\n`);
    const result = launchpad(["preflight", root, "--secrets-file", join(root, "local.env")]);
    // The command fails so the gate shows its output: masked.
    expect(result.status).toBe(1);
    expect(readFileSync(join(root, "key.txt"), "utf8")).toBe(key);
    expect(result.stdout + result.stderr).toContain("key=***");
    expect(result.stdout + result.stderr).not.toContain(key);
    expect(readFileSync(join(root, ".launchpad/preflight.md"), "utf8")).not.toContain(key);
    expect(result.stdout).not.toContain("Not set locally");
  });

  it("names a --secrets-file that does not exist by its flag, before running anything", { timeout: 120_000 }, () => {
    const root = consumerRepo();
    const missing = launchpad(["preflight", root, "--secrets-file", join(root, "nope.env")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(`launchpad: --secrets-file ${join(root, "nope.env")}: no such file.`);
    expect(ranCommands(root)).toEqual([]);
  });
});
