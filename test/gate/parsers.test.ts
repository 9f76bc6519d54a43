import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAudit } from "../../src/gate/audit.js";
import { parseCoverage } from "../../src/gate/coverage.js";
import { parseJUnit } from "../../src/gate/junit.js";
import { parseSize } from "../../src/gate/size.js";
import { ConfigurationError, RemoteError } from "../../src/lib/errors.js";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/gate");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

describe("JUnit dialects", () => {
  it("reads pytest xunit1 file and line attributes, and counts <error> as a failure", () => {
    const report = parseJUnit(fixture("pytest-xunit1.xml"), "pytest.xml");
    expect(report).toMatchObject({ total: 3, failed: 2, skipped: 0 });
    expect(report.failures[0]).toMatchObject({
      name: "test_spread",
      file: "tests/test_prices.py",
      line: 11,
      message: "assert 4 == 5",
      kind: "failure",
    });
    expect(report.failures[1]).toMatchObject({ name: "test_empty", file: "tests/test_strategies.py", kind: "error" });
    expect(report.failures[1].message).toContain("fixture 'db' not found");
  });

  it("finds the test file of pytest xunit2 reports from the module name and the traceback", () => {
    const report = parseJUnit(fixture("pytest-xunit2-failing.xml"), "pytest.xml");
    expect(report).toMatchObject({ total: 6, failed: 1, skipped: 1 });
    expect(report.failures[0]).toMatchObject({
      name: "test_must_end_with_action",
      suite: "tests.test_strategies.TestValidate",
      file: "tests/test_strategies.py",
      line: 11,
    });
    expect(report.failures[0].candidates).toContain("tests/test_strategies.py");
  });

  it("takes the place from a jest stack trace, skipping node_modules frames", () => {
    const report = parseJUnit(fixture("jest-junit.xml"), "jest.xml");
    expect(report).toMatchObject({ total: 3, failed: 1, skipped: 1 });
    expect(report.failures[0]).toMatchObject({ file: "/home/runner/work/platform/platform/apps/web/test/price.test.ts", line: 16 });
    expect(report.failures[0].message).toMatch(/^Error: expect\(received\)/);
  });

  it("walks nested suites under a bare <testsuite> root and inherits the suite's file", () => {
    const report = parseJUnit(fixture("generic-nested.xml"), "generic.xml");
    expect(report).toMatchObject({ total: 4, failed: 1, skipped: 1 });
    expect(report.failures[0]).toMatchObject({ name: "crashes on empty", file: "src/orders.spec.js", kind: "error" });
    expect(report.failures[0].line).toBeUndefined();
  });

  it("reads vitest's classname path and the ❯ place in the failure", () => {
    const xml = `<testsuites><testsuite name="test/a.test.ts"><testcase classname="test/a.test.ts" name="a &gt; b"><failure message="expected 1 to be 2" type="AssertionError">AssertionError: expected 1 to be 2
 ❯ test/a.test.ts:7:13</failure></testcase></testsuite></testsuites>`;
    expect(parseJUnit(xml, "junit.xml").failures[0]).toMatchObject({
      name: "a > b",
      file: "test/a.test.ts",
      line: 7,
      message: "expected 1 to be 2",
    });
  });

  it("reports a truncated report at the tag that is never closed", () => {
    const truncated =
      '<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="x">\n    <testcase name="a">\n  </testsuite>\n</testsuites>\n';
    expect(() => parseJUnit(truncated, "reports/junit.xml")).toThrow(ConfigurationError);
    expect(() => parseJUnit(truncated, "reports/junit.xml")).toThrow(
      "reports/junit.xml:5:14: malformed JUnit XML: <testcase> opened at 4:5 is not closed before this closing tag.",
    );
    expect(() => parseJUnit("<testsuites>\n<testsuite>\n", "j.xml")).toThrow(
      "j.xml:3:1: malformed JUnit XML: <testsuite> opened at 2:1 is never closed (truncated report?).",
    );
  });

  it("reports malformed XML inside a failure at its place in the whole file", () => {
    const broken =
      '<testsuites>\n  <testsuite>\n    <testcase name="a">\n      <failure>x <y></failure>\n    </testcase>\n  </testsuite>\n</testsuites>';
    expect(() => parseJUnit(broken, "j.xml")).toThrow(
      "j.xml:4:30: malformed JUnit XML: <y> opened at 4:18 is not closed before this closing tag.",
    );
  });

  it("rejects XML that is not a JUnit report, naming the root element", () => {
    expect(() => parseJUnit("<coverage line-rate='1'/>", "cov.xml")).toThrow("cov.xml:1:1: not a JUnit report (root element <coverage>)");
  });
});

describe("coverage formats", () => {
  it("reads istanbul json-summary per file", () => {
    const summary = {
      total: { lines: { total: 10, covered: 7 } },
      "/repo/src/a.ts": { lines: { total: 6, covered: 6 } },
      "/repo/src/b.ts": { lines: { total: 4, covered: 1 } },
    };
    const report = parseCoverage(JSON.stringify(summary), "coverage/coverage-summary.json");
    expect(report.format).toBe("istanbul-summary");
    expect(report.files).toEqual([
      { path: "/repo/src/a.ts", lines: 6, covered: 6 },
      { path: "/repo/src/b.ts", lines: 4, covered: 1 },
    ]);
  });

  it("reads lcov LF/LH, and counts DA lines when a tool leaves them out", () => {
    const lcov = "TN:\nSF:src/a.ts\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\nSF:src/b.ts\nDA:1,3\nDA:2,0\nDA:3,1\nend_of_record\n";
    expect(parseCoverage(lcov, "lcov.info").files.map(({ path, lines, covered }) => ({ path, lines, covered }))).toEqual([
      { path: "src/a.ts", lines: 2, covered: 1 },
      { path: "src/b.ts", lines: 3, covered: 2 },
    ]);
    // LF/LH alone (no DA lines): counts without line data.
    expect(parseCoverage("SF:src/c.ts\nLF:10\nLH:4\nend_of_record\n", "lcov.info").files).toEqual([
      { path: "src/c.ts", lines: 10, covered: 4 },
    ]);
  });

  it("reads cobertura line hits per class", () => {
    const report = parseCoverage(
      readFileSync(resolve(import.meta.dirname, "../../examples/blockbuilders/services/api/reports/coverage.xml"), "utf8"),
      "coverage.xml",
    );
    expect(report.format).toBe("cobertura");
    expect(report.files.map(({ path, lines, covered }) => ({ path, lines, covered }))).toEqual([
      { path: "app/__init__.py", lines: 0, covered: 0 },
      { path: "app/prices.py", lines: 10, covered: 9 },
      { path: "app/strategies.py", lines: 11, covered: 9 },
    ]);
    expect([...(report.files[1].byLine?.entries() ?? [])].filter(([, hit]) => !hit)).toEqual([[11, false]]);
    expect(report.sourceRoots).toEqual(["/home/runner/work/platform/platform/services/api"]);
  });

  it("names the file and the accepted formats for anything else", () => {
    expect(() => parseCoverage("mode: set\nfoo.go:1.1,2.2 1 1\n", "cover.out")).toThrow(
      /^cover\.out:1:1: unknown coverage format; expected istanbul/,
    );
    expect(() => parseCoverage('{"a.ts": {"s": {}}}', "coverage.json")).toThrow(
      /^coverage\.json:1:1: unknown coverage format \(JSON that is neither coverage-summary\.json with total\.lines nor coverage-final\.json\)/,
    );
    expect(() => parseCoverage("TN:\nSF:src/a.ts\nDA:1,1\n", "lcov.info")).toThrow(
      "lcov.info:2:1: the record for src/a.ts has no end_of_record (truncated lcov?).",
    );
  });
});

describe("audit JSON", () => {
  it("counts npm audit v2 severities and lists the worst findings first", () => {
    const audit = parseAudit(JSON.parse(fixture("npm-audit-v2-critical.json")), "npm audit --json");
    expect(audit.counts).toEqual({ info: 0, low: 0, moderate: 1, high: 1, critical: 1 });
    expect(audit.total).toBe(3);
    expect(audit.findings.map((finding) => [finding.name, finding.severity])).toEqual([
      ["lodash.template", "critical"],
      ["semver-regex", "high"],
      ["postcss", "moderate"],
    ]);
    expect(audit.findings[0].url).toBe("https://github.com/advisories/GHSA-35jh-r3h4-6jhm");
  });

  it("reads pnpm's advisories format", () => {
    const audit = parseAudit(JSON.parse(fixture("pnpm-audit-high.json")), "pnpm audit --json");
    expect(audit.counts).toMatchObject({ high: 1, low: 1, critical: 0 });
    expect(audit.findings[0]).toMatchObject({ name: "axios", severity: "high", title: "Server-Side Request Forgery in axios" });
  });

  it("turns npm's own error JSON into one sentence", () => {
    const error = {
      error: {
        code: "ENOLOCK",
        summary: "This command requires an existing lockfile.",
        detail: "Try creating one first with: npm i --package-lock-only",
      },
    };
    expect(() => parseAudit(error, "npm audit --json")).toThrow(RemoteError);
    expect(() => parseAudit(error, "npm audit --json")).toThrow(
      "npm audit --json failed: ENOLOCK: This command requires an existing lockfile.",
    );
  });

  it("rejects JSON of another shape", () => {
    expect(() => parseAudit({ hello: "world" }, "audit.json")).toThrow(/^audit\.json:1:1: not npm or pnpm audit JSON/);
  });
});

describe("sizes", () => {
  it.each([
    ["250KB", 250_000],
    ["250kb", 250_000],
    ["244KiB", 249_856],
    ["1.5MB", 1_500_000],
    ["1MiB", 1_048_576],
    ["512", 512],
    ["100 B", 100],
  ])("parses %s as %i bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "KB", "250 kilobytes", "-5KB", "1e3"])("rejects %j", (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});
