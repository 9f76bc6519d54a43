import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { WorkspacePaths } from "../../src/gate/paths.js";
import { collectCoverage, collectTests } from "../../src/gate/reports.js";
import { FIXTURES } from "./workspace.js";

/** A real git repository with the given tracked files, and fixture reports copied (untracked) under `reports/`. */
function repository(tracked: string[], reports: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-gate-reports-"));
  for (const path of tracked) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), "// tracked\n");
  }
  for (const [target, fixture] of Object.entries(reports)) {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    copyFileSync(join(FIXTURES, fixture), join(root, target));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q");
  git("add", ...tracked);
  return root;
}

const places = (root: string) => ({ workingDirectory: root, workspace: root });
const summary = (files: Array<{ path: string; covered: number; lines: number }>) =>
  files.map((file) => [file.path, file.covered, file.lines]);

describe("coverage from test shards", () => {
  it("merges vitest shards' lcov per line: each covers part of src/orders.ts, together all of it", async () => {
    const root = repository(["src/orders.ts", "src/fees.ts"], {
      "shard1/lcov.info": "vitest/shard1/lcov.info",
      "shard2/lcov.info": "vitest/shard2/lcov.info",
      "full/lcov.info": "vitest/lcov.info",
    });
    const merged = await collectCoverage(["shard*/lcov.info"], places(root), false);
    expect(summary(merged?.files ?? [])).toEqual([
      ["src/fees.ts", 2, 3],
      ["src/orders.ts", 6, 6],
    ]);
    // The same as the unsharded run of the same tests, not the 5/6 of the fuller shard.
    const full = await collectCoverage(["full/lcov.info"], places(root), false);
    expect({ lines: merged?.lines, covered: merged?.covered }).toEqual({ lines: full?.lines, covered: full?.covered });
    expect(merged?.notes).toEqual([]);
  });

  it("merges coverage.py shards' cobertura per line", async () => {
    const root = repository(["app/__init__.py", "app/prices.py"], {
      "reports/shard1/coverage.xml": "pytest/shard1/coverage.xml",
      "reports/shard2/coverage.xml": "pytest/shard2/coverage.xml",
    });
    const merged = await collectCoverage(["reports/*/coverage.xml"], places(root), false);
    // Shards alone: 7/10 and 5/10; the unsharded run: 9/10.
    expect({ lines: merged?.lines, covered: merged?.covered }).toEqual({ lines: 10, covered: 9 });
  });

  it("merges coverage-final.json shards written on another machine, mapping their paths to tracked files", async () => {
    const root = repository(["src/orders.ts", "src/fees.ts"], {
      "shard1/coverage-final.json": "vitest/shard1/coverage-final.json",
      "shard2/coverage-final.json": "vitest/shard2/coverage-final.json",
    });
    const merged = await collectCoverage(["shard*/coverage-final.json"], places(root), false);
    expect(summary(merged?.files ?? [])).toEqual([
      ["src/fees.ts", 2, 3],
      ["src/orders.ts", 6, 6],
    ]);
  });

  it("keeps the fuller report for summary-only shards and says they could not be merged by line", async () => {
    const root = repository(["src/orders.ts", "src/fees.ts"], {
      "shard1/coverage-summary.json": "vitest/shard1/coverage-summary.json",
      "shard2/coverage-summary.json": "vitest/shard2/coverage-summary.json",
    });
    const kept = await collectCoverage(["shard*/coverage-summary.json"], places(root), false);
    expect(summary(kept?.files ?? [])).toEqual([
      ["src/fees.ts", 2, 3],
      ["src/orders.ts", 5, 6],
    ]);
    expect(kept?.notes).toEqual([
      "2 files are in a summary-only report (coverage-summary.json) and in another report; summaries cannot be merged line by line, so the fuller report was kept for each.",
    ]);
  });

  it("has no percentage when no report measured a line", async () => {
    const root = repository(["app/__init__.py"], { "coverage.xml": "classes/cobertura-no-lines.xml" });
    const none = await collectCoverage(["coverage.xml"], places(root), false);
    expect(none).toMatchObject({ lines: 0, covered: 0, percent: undefined });
  });
});

describe("paths from other machines", () => {
  it("maps a Windows runner's JUnit paths to the tracked test file by the longest suffix", async () => {
    const root = repository(["tests/Unit/WinTest.php", "src/Win.php"], { "reports/junit.xml": "phpunit/junit-windows.xml" });
    const tests = await collectTests(["reports/junit.xml"], places(root), false);
    expect(tests?.failures[0]).toMatchObject({ name: "testLineEndings", file: "tests/Unit/WinTest.php", line: 17 });
  });

  it("maps mocha's and PHPUnit's absolute paths of another checkout into the workspace", async () => {
    const root = repository(["test/fills.spec.js", "tests/Unit/FeeTest.php", "tests/Unit/LedgerTest.php"], {
      "mocha.xml": "mocha/xunit.xml",
      "phpunit.xml": "phpunit/junit.xml",
    });
    const tests = await collectTests(["mocha.xml", "phpunit.xml"], places(root), false);
    expect(tests?.failures.map((failure) => [failure.name, failure.file, failure.line])).toEqual([
      ["rejects an overfill", "test/fills.spec.js", 8],
      ["testTakerFee", "tests/Unit/FeeTest.php", 21],
      ["testPosting", "tests/Unit/LedgerTest.php", 33],
    ]);
  });

  it("leaves a failure without a place when no tracked file matches", async () => {
    const root = repository(["README.md"], { "mocha.xml": "mocha/xunit.xml" });
    const tests = await collectTests(["mocha.xml"], places(root), false);
    expect(tests?.failures[0].file).toBeUndefined();
  });

  it("maps lcov paths written with C:\\ and another runner's workspace", async () => {
    const root = repository(["src/Win.php", "src/orders.ts"], { "lcov.info": "classes/lcov-windows.info" });
    const coverage = await collectCoverage(["lcov.info"], places(root), false);
    expect(summary(coverage?.files ?? [])).toEqual([
      ["src/orders.ts", 2, 2],
      ["src/Win.php", 1, 2],
    ]);
  });

  it("places nothing when two tracked files match equally well", async () => {
    const paths = new WorkspacePaths("/nowhere", async () => ["a/src/index.ts", "b/src/index.ts", "c/lib/util.ts"]);
    expect(await paths.bySuffix("C:\\work\\src\\index.ts")).toBeUndefined();
    expect(await paths.bySuffix("/home/runner/work/x/x/b/src/index.ts")).toBe("b/src/index.ts");
    expect(await paths.bySuffix("D:\\other\\lib\\util.ts")).toBe("c/lib/util.ts");
    expect(await paths.bySuffix("/elsewhere/missing.ts")).toBeUndefined();
  });
});
