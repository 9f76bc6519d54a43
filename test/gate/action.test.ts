import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubFake } from "../fakes/github.js";
import { runStep, startStep } from "../harness/run-bundle.js";
import { exampleWorkspace, FIXTURES, fakeCommands, pathWith, writeManyFailures } from "./workspace.js";

const TOKEN = "ghs_plantedGateToken0123456789abcdef";
const HEAD_SHA = "feedfacefeedfacefeedfacefeedfacefeedface";
const PR_EVENT = {
  pull_request: {
    number: 7,
    head: { sha: HEAD_SHA, ref: "feature/orders", repo: { full_name: "blockbuilders/platform" } },
    base: { repo: { full_name: "blockbuilders/platform" } },
  },
};
const WEB_TEST = "vitest run --reporter=junit --outputFile.junit=reports/junit.xml --coverage";
const WEB = {
  commands: [
    "lint: tsc -p .",
    `test: ${WEB_TEST}`,
    "build: esbuild src/index.ts --bundle --minify --format=esm --outfile=dist/assets/main.js",
  ].join("\n"),
  "working-directory": "apps/web",
  junit: "reports/junit.xml",
  coverage: "coverage/coverage-summary.json\ncoverage/lcov.info",
  bundle: "dist/assets/*.js",
  "bundle-budget": "250KB",
};

let github: GitHubFake;
beforeEach(async () => {
  github = await new GitHubFake().start();
});
afterEach(async () => {
  await github.stop();
});

function env(extra: Record<string, string> = {}) {
  return { GITHUB_API_URL: github.url, PATH: pathWith(), BLOCKBUILDERS_BREAK_TESTS: undefined, ...extra };
}

describe("gate action on the example web app (real vitest runs)", () => {
  it("passes every gate and publishes a successful check run on the PR head commit", { timeout: 150_000 }, async () => {
    const workspace = exampleWorkspace();
    const result = await runStep("gate", {
      workspace,
      inputs: { ...WEB, "github-token": TOKEN },
      env: env(),
      eventName: "pull_request",
      event: PR_EVENT,
      timeoutMs: 120_000,
    });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      passed: "true",
      "tests-total": "11",
      "tests-failed": "0",
      "tests-skipped": "1",
      coverage: "100",
      vulnerabilities: "",
    });
    expect(Number(result.outputs["bundle-size"])).toBeGreaterThan(100);
    expect(Number(result.outputs["bundle-size"])).toBeLessThan(2_000);
    expect(readFileSync(result.outputs.report, "utf8").trim()).toBe(result.summary.trim());
    expect(result.summary).toMatch(/\| lint \| exit 0 in [\d.]+m?s \| exit 0 \| ✅ pass \|/);
    expect(result.summary).toContain("| tests | 10/10 passed (100%), 1 skipped | 100% pass rate | ✅ pass |");
    expect(result.summary).toContain("| coverage | 100% of 15 lines | ≥ 80% | ✅ pass |");
    expect(result.summary).toMatch(/\| bundle \| [\d.]+ B gzip \(1 file\) \| ≤ 250\.0 KB \| ✅ pass \|/);
    expect(result.stdout).toContain("::group::test: vitest run");

    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({
      name: "quality-gate",
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "success",
      annotations: [],
    });
    expect(github.requestsTo("POST", "/repos/blockbuilders/platform/check-runs")[0].headers.authorization).toBe(`token ${TOKEN}`);
    expect(result.visible).not.toContain(TOKEN);
  });

  it("fails on a failing test and low coverage, annotating the test's file and line first", { timeout: 150_000 }, async () => {
    const workspace = exampleWorkspace();
    const { bundle: _bundle, "bundle-budget": _budget, ...web } = WEB;
    const inputs = {
      ...web,
      commands: `test: vitest run test/orders.test.ts --reporter=junit --outputFile.junit=reports/junit.xml --coverage`,
      "github-token": TOKEN,
      "check-name": "web-gate",
    };
    const result = await runStep("gate", {
      workspace,
      inputs,
      env: env({ BLOCKBUILDERS_BREAK_TESTS: "1" }),
      eventName: "pull_request",
      event: PR_EVENT,
      timeoutMs: 120_000,
    });

    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "false", "tests-total": "4", "tests-failed": "1", "tests-skipped": "0" });
    expect(Number(result.outputs.coverage)).toBeLessThan(80);
    expect(result.stdout).toMatch(/::error::Quality gate failed: 3 of 3 gates failed: test, tests, coverage\./);
    expect(result.summary).toContain("### Failing tests (1)");
    expect(result.summary).toContain(
      "| order book > measures the spread between best ask and best bid | apps/web/test/orders.test.ts:27 | expected 5 to be 4 // Object.is equality |",
    );

    const run = github.checkRuns[0];
    expect(run).toMatchObject({ name: "web-gate", head_sha: HEAD_SHA, conclusion: "failure" });
    const annotations = run.annotations as Array<Record<string, unknown>>;
    expect(annotations[0]).toMatchObject({
      path: "apps/web/test/orders.test.ts",
      start_line: 27,
      annotation_level: "failure",
      message: "expected 5 to be 4 // Object.is equality",
    });
    expect(annotations[0].title).toBe("Failed: order book > measures the spread between best ask and best bid");
    expect(annotations.slice(1).map((annotation) => [annotation.path, annotation.annotation_level])).toEqual([
      ["apps/web/src/price.ts", "warning"],
      ["apps/web/src/strategy.ts", "warning"],
    ]);
    // Published on the check run, so not repeated as step annotations.
    expect(result.annotations.filter((annotation) => annotation.file)).toEqual([]);
  });
});

describe("gate action on reports", () => {
  it("merges pytest and vitest results, and cobertura and lcov coverage, across web and api", { timeout: 150_000 }, async () => {
    const workspace = exampleWorkspace();
    copyFileSync(join(FIXTURES, "pytest-xunit2-failing.xml"), join(workspace, "services/api/reports/pytest.xml"));
    const inputs = {
      commands: `web: cd apps/web && ${WEB_TEST}`,
      junit: "apps/web/reports/*.xml\nservices/api/reports/pytest.xml",
      coverage: "apps/web/coverage/lcov.info\nservices/api/reports/coverage.xml",
      "github-token": "",
    };
    const result = await runStep("gate", { workspace, inputs, env: env(), timeoutMs: 120_000 });

    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ "tests-total": "17", "tests-failed": "1", "tests-skipped": "2", coverage: "91.66" });
    expect(result.summary).toContain("| coverage | 91.66% of 36 lines | ≥ 80% | ✅ pass |");
    expect(result.summary).toContain("services/api/tests/test_strategies.py:11");
    expect(result.summary).toContain("No github-token given: no check run was created.");
    expect(github.requests).toHaveLength(0);
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: "error",
        file: "services/api/tests/test_strategies.py",
        line: 11,
        title: "Failed: tests.test_strategies.TestValidate › test_must_end_with_action",
      }),
    );
  });

  it("sends more than 50 annotations in batches of 50, failures before coverage warnings", async () => {
    const workspace = exampleWorkspace();
    const dir = writeManyFailures(workspace, 120);
    const inputs = { junit: "many/junit.xml", coverage: "services/api/reports/coverage.xml", "min-coverage": "95", "github-token": TOKEN };
    const result = await runStep("gate", { workspace, inputs, env: env(), sha: HEAD_SHA });

    expect(existsSync(dir)).toBe(true);
    expect(result.code).toBe(1);
    const posts = github.requestsTo("POST", "/repos/blockbuilders/platform/check-runs");
    const patches = github.requestsTo("PATCH", /\/check-runs\/\d+$/);
    expect(posts).toHaveLength(1);
    expect([posts[0], ...patches].map((request) => request.json.output.annotations.length)).toEqual([50, 50, 22]);
    const annotations = github.checkRuns[0].annotations as Array<Record<string, any>>;
    expect(annotations).toHaveLength(122);
    expect(annotations.slice(0, 120).every((annotation) => annotation.annotation_level === "failure")).toBe(true);
    expect(annotations.slice(120).map((annotation) => annotation.path)).toEqual([
      "services/api/app/strategies.py",
      "services/api/app/prices.py",
    ]);
    expect(annotations[119]).toMatchObject({ path: "many/test/case-0.test.ts", start_line: 120 });
    expect(github.checkRuns[0].output?.summary?.length).toBeLessThanOrEqual(65_535);
  });

  it("falls back to the job summary and step annotations when the token is read-only (fork PR)", async () => {
    github.readOnly = true;
    const workspace = exampleWorkspace();
    const dir = writeManyFailures(workspace, 3);
    const result = await runStep("gate", {
      workspace,
      inputs: { junit: `${dir}/junit.xml`, "github-token": TOKEN },
      env: env(),
      eventName: "pull_request",
      event: PR_EVENT,
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::Quality gate failed: 1 of 1 gates failed: tests.");
    expect(result.annotations.filter((annotation) => annotation.level === "warning")[0].message).toMatch(
      /Could not publish the 'quality-gate' check run \(HTTP 403: Resource not accessible by integration\)/,
    );
    expect(result.annotations.filter((annotation) => annotation.file)).toEqual([
      expect.objectContaining({ level: "error", file: "many/test/case-0.test.ts", line: 1, message: "expected 0 to be 1" }),
      expect.objectContaining({ level: "error", file: "many/test/case-1.test.ts", line: 2 }),
      expect.objectContaining({ level: "error", file: "many/test/case-2.test.ts", line: 3 }),
    ]);
    expect(result.summary).toContain("> Could not publish the 'quality-gate' check run");
    expect(result.outputs).toMatchObject({ passed: "false", "tests-failed": "3" });
    expect(result.visible).not.toContain(TOKEN);
  });
});

describe("gate action: audit and bundle budget", () => {
  it("fails on a critical finding from npm audit, run through the npm on PATH", async () => {
    const bin = fakeCommands({
      npm: `[ "$1 $2" = "audit --json" ] || exit 9\ncat ${join(FIXTURES, "npm-audit-v2-critical.json")}\nexit 1`,
    });
    const result = await runStep("gate", { inputs: { audit: "npm", "github-token": "" }, env: env({ PATH: pathWith(bin) }) });

    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "false", vulnerabilities: "3" });
    expect(result.summary).toContain("| audit | critical 1, high 1, moderate 1 | critical ≤ 0, high ≤ 0 | ❌ fail |");
    expect(result.summary).toContain(
      "| lodash.template | critical | [Command injection in lodash.template](https://github.com/advisories/GHSA-35jh-r3h4-6jhm) |",
    );
  });

  it("says so in one line when the audit tool is not installed", async () => {
    const result = await runStep("gate", { inputs: { audit: "pnpm", "github-token": "" }, env: env({ PATH: fakeCommands({}) }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::Input 'audit' is pnpm, but pnpm is not on PATH.");
  });

  it("reads pnpm audit JSON and honours custom limits", async () => {
    const bin = fakeCommands({ pnpm: `cat ${join(FIXTURES, "pnpm-audit-high.json")}\nexit 1` });
    const result = await runStep("gate", {
      inputs: { audit: "pnpm", "max-vulnerabilities": "critical=0,high=1", "github-token": "" },
      env: env({ PATH: pathWith(bin) }),
    });

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "true", vulnerabilities: "2" });
    expect(result.summary).toContain("| audit | high 1, low 1 | critical ≤ 0, high ≤ 1 | ✅ pass |");
  });

  it("fails a bundle over its gzip budget and reports the largest files", async () => {
    const workspace = exampleWorkspace();
    mkdirSync(join(workspace, "apps/web/dist/assets"), { recursive: true });
    writeFileSync(join(workspace, "apps/web/dist/assets/main.js"), randomBytes(200_000).toString("base64"));
    writeFileSync(join(workspace, "apps/web/dist/assets/vendor.js"), "export const x = 1;\n".repeat(1000));
    // An audit file an earlier step wrote into the workspace (one outside it is refused).
    copyFileSync(join(FIXTURES, "npm-audit-v2-clean.json"), join(workspace, "apps/web/audit.json"));
    const inputs = {
      "working-directory": "apps/web",
      bundle: "dist/assets/*.js\n!dist/assets/vendor.js",
      "bundle-budget": "150KiB",
      audit: "audit.json",
      "github-token": "",
    };
    const result = await runStep("gate", { workspace, inputs, env: env() });

    expect(result.code).toBe(1);
    const size = Number(result.outputs["bundle-size"]);
    expect(size).toBeGreaterThan(153_600);
    expect(result.outputs).toMatchObject({ passed: "false", vulnerabilities: "0" });
    expect(result.summary).toMatch(/\| bundle \| [\d.]+ KB gzip \(1 file\) \| ≤ 153\.6 KB \| ❌ fail \|/);
    expect(result.summary).toContain("| apps/web/dist/assets/main.js |");
    expect(result.summary).not.toContain("vendor.js");
  });

  it("reports a gate left out of fail-on without failing the step", async () => {
    const workspace = exampleWorkspace();
    const inputs = {
      "working-directory": "services/api",
      junit: "reports/pytest.xml",
      coverage: "reports/coverage.xml",
      "min-coverage": "90",
      "fail-on": "tests",
      "github-token": "",
    };
    const result = await runStep("gate", { workspace, inputs, env: env() });

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "true", coverage: "85.71", "tests-total": "6" });
    expect(result.summary).toContain("| coverage | 85.71% of 21 lines | ≥ 90% | ⚠️ fail (not enforced) |");
  });
});

describe("gate action: mistakes and cancellation", () => {
  it.each([
    [
      { "bundle-budget": "250 kilobytes", bundle: "dist/*.js" },
      "Input 'bundle-budget' got \"250 kilobytes\"; expected a gzip size such as 250KB",
    ],
    [{ junit: "reports/*.xml" }, "Input 'junit' matched no file: reports/*.xml"],
    [{ commands: "pnpm lint" }, 'Input \'commands\' line 1: "pnpm lint" is not "name: command"'],
    [{ audit: "yarn" }, "Input 'audit' got \"yarn\"; expected npm, pnpm, none, or the path of an audit .json file."],
    [
      { "fail-on": "tests,lint" },
      "Input 'fail-on' got \"lint\"; expected any, none, or a list of commands, tests, coverage, audit, bundle.",
    ],
    [{ "max-vulnerabilities": "severe=0" }, "Input 'max-vulnerabilities' got \"severe=0\""],
  ])("rejects %j with one line naming the input", async (inputs, message) => {
    const result = await runStep("gate", { inputs: { ...inputs, "github-token": TOKEN }, env: env() });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((annotation) => annotation.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(message);
    expect(result.stdout).not.toMatch(/^\s+at /m);
    expect(github.requests).toHaveLength(0);
  });

  it("refuses to pass on nothing: no gate configured is a mistake, not a green check", async () => {
    const result = await runStep("gate", { inputs: { "github-token": TOKEN }, env: env() });
    expect(result.code).toBe(1);
    expect(result.annotations.filter((annotation) => annotation.level === "error").map((error) => error.message)).toEqual([
      "No gate configured: set commands, junit, coverage, audit or bundle.",
    ]);
    expect(result.summary).not.toContain("passed");
    expect(github.requests).toHaveLength(0);
  });

  it.each([
    [{ "working-directory": "apps/missing" }, `Input 'working-directory' got "apps/missing"`, "the path does not exist."],
    [{ audit: "reports/missing-audit.json" }, `Input 'audit' got "reports/missing-audit.json"`, "the path does not exist."],
    [
      { "working-directory": "apps/web/package.json" },
      `Input 'working-directory' got "apps/web/package.json"`,
      "the path is a file; expected a folder.",
    ],
  ])("names %j before any command runs", async (inputs, start, end) => {
    const workspace = exampleWorkspace();
    const commands = "lint: touch lint-ran";
    const result = await runStep("gate", { workspace, inputs: { commands, ...inputs, "github-token": "" }, env: env() });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((annotation) => annotation.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(start);
    expect(errors[0].message).toContain(end);
    expect(result.stdout).not.toContain("::group::lint");
    expect(existsSync(join(workspace, "lint-ran"))).toBe(false);
  });

  it("names the gate and the directory when a command cannot start", async () => {
    const workspace = exampleWorkspace();
    mkdirSync(join(workspace, "scratch"));
    const commands = "clean: rm -rf ../scratch\nlint: echo never";
    const result = await runStep("gate", {
      workspace,
      inputs: { commands, "working-directory": "scratch", "github-token": "" },
      env: env(),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `lint could not start in ${join(workspace, "scratch")}: The cwd: ${join(workspace, "scratch")} does not exist!`,
    );
    expect(result.stdout).not.toContain("\nnever\n");
    expect(result.summary).toContain(`| lint | lint could not start in ${join(workspace, "scratch")}: The cwd:`);
  });

  it("fails the tests gate on a report with no tests, unless allow-no-tests", async () => {
    const workspace = exampleWorkspace();
    copyFileSync(join(FIXTURES, "classes/zero-tests.xml"), join(workspace, "junit.xml"));
    const failing = await runStep("gate", { workspace, inputs: { junit: "junit.xml", "github-token": "" }, env: env() });
    expect(failing.code).toBe(1);
    expect(failing.summary).toContain("| tests | no tests found in junit.xml | 100% pass rate | ❌ fail |");
    expect(failing.summary).not.toContain("100%)");
    expect(failing.outputs).toMatchObject({ passed: "false", "tests-total": "0" });
    const allowed = await runStep("gate", {
      workspace,
      inputs: { junit: "junit.xml", "allow-no-tests": "true", "github-token": "" },
      env: env(),
    });
    expect(allowed.code).toBe(0);
    expect(allowed.summary).toContain("| tests | no tests found in junit.xml (allowed by allow-no-tests) | 100% pass rate | ✅ pass |");
  });

  it("names an empty report as empty, and coverage without data as no coverage data", async () => {
    const workspace = exampleWorkspace();
    writeFileSync(join(workspace, "junit.xml"), "");
    const empty = await runStep("gate", { workspace, inputs: { junit: "junit.xml", "github-token": "" }, env: env() });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain("::error::junit.xml:1:1: the JUnit XML report is empty.");
    copyFileSync(join(FIXTURES, "classes/cobertura-no-lines.xml"), join(workspace, "coverage.xml"));
    const nothing = await runStep("gate", { workspace, inputs: { coverage: "coverage.xml", "github-token": "" }, env: env() });
    expect(nothing.code).toBe(1);
    expect(nothing.summary).toContain("| coverage | no coverage data in coverage.xml | ≥ 80% | ❌ fail |");
    expect(nothing.outputs.coverage).toBe("");
  });

  it("merges sharded coverage per line and lists flaky tests, from real vitest shards and a Surefire report", async () => {
    const workspace = exampleWorkspace();
    for (const shard of ["shard1", "shard2"]) {
      mkdirSync(join(workspace, shard));
      copyFileSync(join(FIXTURES, `vitest/${shard}/lcov.info`), join(workspace, shard, "lcov.info"));
      copyFileSync(join(FIXTURES, `vitest/${shard}/junit.xml`), join(workspace, shard, "junit.xml"));
    }
    copyFileSync(join(FIXTURES, "surefire/TEST-com.blockbuilders.book.OrderBookTest.xml"), join(workspace, "surefire.xml"));
    const inputs = { junit: "shard*/junit.xml\nsurefire.xml", coverage: "shard*/lcov.info", "min-coverage": "85", "github-token": "" };
    const result = await runStep("gate", { workspace, inputs, env: env() });
    // 8 of 9 lines: neither shard alone reaches 85% (7/9 and 2/9).
    expect(result.outputs).toMatchObject({ coverage: "88.88", "tests-total": "13", "tests-failed": "3", "tests-skipped": "3" });
    expect(result.summary).toContain("| tests | 7/10 passed (70%), 3 failed, 3 skipped, 2 flaky |");
    expect(result.summary).toContain("### Flaky tests (2): failed, then passed on a rerun");
    expect(result.summary).toContain("com.blockbuilders.book.OrderBookTest › cancelsStaleOrders");
  });

  it("names the file and the accepted formats for an unknown coverage report", async () => {
    const workspace = exampleWorkspace();
    writeFileSync(join(workspace, "cover.out"), "mode: set\napi/main.go:3.1,4.2 1 1\n");
    const result = await runStep("gate", { workspace, inputs: { coverage: "cover.out", "github-token": "" }, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::cover.out:1:1: unknown coverage format; expected istanbul coverage-summary.json");
  });

  it("runs every command even after one fails, and keeps each one's exit code", async () => {
    const commands = ["first: echo one && exit 3", "second: echo two", "third: sh -c 'exit 4'"].join("\n");
    const result = await runStep("gate", { inputs: { commands, "github-token": "" }, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::group::first: echo one && exit 3\none\n::endgroup::/);
    expect(result.stdout).toMatch(/::group::second: echo two\ntwo\n::endgroup::/);
    expect(result.summary).toMatch(/\| first \| exit 3 in \d+ms \| exit 0 \| ❌ fail \|/);
    expect(result.summary).toMatch(/\| second \| exit 0 in \d+ms \| exit 0 \| ✅ pass \|/);
    expect(result.summary).toMatch(/\| third \| exit 4 in \d+ms \| exit 0 \| ❌ fail \|/);
    expect(result.summary).toContain("### `first` failed (exit 3)\n\n```text\none\n```");
  });

  it("fails the gates whose reports a crashed command never wrote, instead of calling it a mistake", async () => {
    const inputs = {
      commands: "test: echo 'vitest: cannot find module' >&2; exit 2",
      junit: "reports/junit.xml",
      coverage: "coverage/lcov.info",
      "github-token": "",
    };
    const result = await runStep("gate", { inputs, env: env() });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "false", "tests-total": "", coverage: "" });
    expect(result.summary).toContain("| tests | no junit report (a command failed before writing it) | a report | ❌ fail |");
    expect(result.summary).toContain("| coverage | no coverage report (a command failed before writing it) | a report | ❌ fail |");
    expect(result.summary).toContain("### `test` failed (exit 2)\n\n```text\nvitest: cannot find module\n```");
  });

  it("hides the token wherever a report or a command's output repeats it: log, summary, report file, check run", async () => {
    const workspace = exampleWorkspace();
    const junit = `<testsuites><testsuite name="t"><testcase classname="services/api/tests/test_prices.py" name="leaks"><failure message="bad token ${TOKEN}">Authorization: token ${TOKEN}\nservices/api/tests/test_prices.py:11: AssertionError</failure></testcase></testsuite></testsuites>`;
    writeFileSync(join(workspace, "leaky.xml"), junit);
    // A command that prints the token (say, a debug dump) and then fails, so its output lands in the report too.
    writeFileSync(join(workspace, "leak.txt"), `leaked ${TOKEN}\n`);
    const result = await runStep("gate", {
      workspace,
      inputs: { junit: "leaky.xml", commands: "leak: cat leak.txt && exit 3", "github-token": TOKEN },
      env: env(),
      sha: HEAD_SHA,
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::group::leak: cat leak.txt && exit 3\nleaked ***\n::endgroup::");
    expect(result.summary).toContain("### `leak` failed (exit 3)\n\n```text\nleaked ***\n```");
    expect(result.summary).toContain("bad token ***");
    expect(result.visible).not.toContain(TOKEN);
    const report = readFileSync(result.outputs.report, "utf8");
    expect(report).toContain("leaked ***");
    expect(report).not.toContain(TOKEN);
    const payloads = github.requestsTo("POST", "/repos/blockbuilders/platform/check-runs").map((request) => JSON.stringify(request.json));
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toContain("Authorization: token ***");
    expect(payloads[0]).toContain("leaked ***");
    expect(payloads[0]).not.toContain(TOKEN);
  });

  it("does not hand the token to commands", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "launchpad-gate-env-"));
    const result = await runStep("gate", {
      workspace,
      inputs: { commands: 'env: env > "$GITHUB_WORKSPACE/cmd-env.txt"', "github-token": TOKEN },
      env: env(),
    });
    expect(result.code).toBe(0);
    const seen = readFileSync(join(workspace, "cmd-env.txt"), "utf8");
    // The dump is the command's real environment (the runner's variables reach it) ...
    expect(seen).toContain(`GITHUB_API_URL=${github.url}\n`);
    expect(seen).toContain("GITHUB_REPOSITORY=blockbuilders/platform\n");
    // ... and neither the token nor the input variable that carries it does.
    expect(seen).not.toMatch(/^INPUT_/m);
    expect(seen).not.toContain(TOKEN);
  });

  it("stops the running command's process group and exits on its own when the job is cancelled", async () => {
    const step = startStep("gate", "main", {
      // $$ is the command's shell, the leader of the process group the gate starts it in.
      inputs: { commands: "slow: echo started $$; sleep 120; echo never", "github-token": "" },
      env: env(),
      // Far shorter than the command: a step still running then is SIGKILLed by the harness (signal set).
      timeoutMs: 30_000,
    });
    await step.waitForOutput(/started \d+/);
    step.child.kill("SIGINT");
    const result = await step.result;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::The job was cancelled (SIGINT).");
    // The command's shell and its `sleep` are gone too, not left running after the step.
    const group = Number(/started (\d+)/.exec(result.stdout)?.[1]);
    expect(group).toBeGreaterThan(1);
    await expect.poll(() => liveMembers(group), { timeout: 10_000 }).toEqual([]);
  });
});

/** Processes still running (zombies aside) in the given process group, from /proc. */
function liveMembers(group: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state, ppid, pgrp, …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === group && state !== "Z" && state !== "X") live.push(Number(entry));
  }
  return live;
}
