import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCoverage } from "../../src/gate/coverage.js";
import { parseJUnit } from "../../src/gate/junit.js";
import { decodeReport } from "../../src/gate/xml.js";
import { ConfigurationError } from "../../src/lib/errors.js";
import { FIXTURES } from "./workspace.js";

/** A fixture read the way the gate reads it: bytes, decoded as the report declares, then parsed. */
const junit = (name: string) => parseJUnit(decodeReport(readFileSync(join(FIXTURES, name)), name), name);
const coverage = (name: string) => parseCoverage(decodeReport(readFileSync(join(FIXTURES, name)), name), name);
const counts = (path: string) => {
  const { total, failed, skipped, flaky } = junit(path);
  return { total, failed, skipped, flaky: flaky.length };
};

describe("JUnit reports written by real tools", () => {
  it.each([
    // Produced here by the tool (see test/fixtures/gate/README.md).
    ["vitest/junit.xml", { total: 7, failed: 1, skipped: 2, flaky: 0 }],
    ["vitest/shard1/junit.xml", { total: 6, failed: 1, skipped: 2, flaky: 0 }],
    ["vitest/shard2/junit.xml", { total: 1, failed: 0, skipped: 0, flaky: 0 }],
    // jest-junit writes test.todo as a plain testcase, so it reads as a pass: 5 cases, not jest's "4 + 1 todo".
    ["jest/junit.xml", { total: 5, failed: 2, skipped: 1, flaky: 0 }],
    ["mocha/xunit.xml", { total: 4, failed: 1, skipped: 1, flaky: 0 }],
    ["pytest/pytest-xunit1.xml", { total: 7, failed: 3, skipped: 2, flaky: 0 }],
    ["pytest/pytest-xunit2.xml", { total: 7, failed: 3, skipped: 2, flaky: 0 }],
    // Written to the tool's documented format.
    ["surefire/TEST-com.blockbuilders.book.OrderBookTest.xml", { total: 6, failed: 2, skipped: 1, flaky: 2 }],
    ["phpunit/junit.xml", { total: 5, failed: 2, skipped: 1, flaky: 0 }],
    ["phpunit/junit-windows.xml", { total: 2, failed: 1, skipped: 0, flaky: 0 }],
    ["bazel/test.xml", { total: 1, failed: 1, skipped: 0, flaky: 0 }],
    ["go/go-junit-report.xml", { total: 5, failed: 1, skipped: 1, flaky: 0 }],
    ["swift/xunit.xml", { total: 3, failed: 1, skipped: 0, flaky: 0 }],
    ["scalatest/TEST-com.blockbuilders.RiskSpec.xml", { total: 4, failed: 1, skipped: 1, flaky: 0 }],
    ["tst/results.xml", { total: 9, failed: 1, skipped: 2, flaky: 0 }],
  ])("%s", (path, expected) => {
    expect(counts(path)).toEqual(expected);
  });

  it("places vitest, jest, mocha and pytest failures at the failing line of the test file", () => {
    expect(junit("vitest/junit.xml").failures[0]).toMatchObject({ file: "test/orders.test.ts", line: 12, kind: "failure" });
    expect(junit("jest/junit.xml").failures.map((failure) => [failure.file, failure.line])).toEqual([
      ["test/price.test.js", 8],
      ["test/crash.test.js", 3],
    ]);
    // mocha writes the absolute path of the machine it ran on; the caller maps it into the workspace.
    expect(junit("mocha/xunit.xml").failures[0]).toMatchObject({ file: "/tmp/fx/mocha/test/fills.spec.js", line: 8 });
    const pytest = junit("pytest/pytest-xunit2.xml").failures;
    expect(pytest.map((failure) => [failure.name, failure.kind, failure.file, failure.line])).toEqual([
      ["test_spread", "failure", "tests/test_prices.py", 7],
      ["test_uses_db", "error", "tests/test_prices.py", 24],
      ["test_crossed_raises", "failure", "tests/test_prices.py", 31],
    ]);
  });

  it("reads Surefire reruns: a rerun that still fails is a failure, a flaky pass is a pass listed as flaky", () => {
    const report = junit("surefire/TEST-com.blockbuilders.book.OrderBookTest.xml");
    expect(report.failures.map((failure) => [failure.name, failure.kind])).toEqual([
      ["crossedBookIsRejected", "failure"],
      ["loadsSnapshot", "error"],
    ]);
    expect(report.flaky.map((test) => test.name)).toEqual(["cancelsStaleOrders", "reconnectsFeed"]);
    expect(report.failures[0].message).toBe("expected: <true> but was: <false>");
  });

  it("keeps Bazel's suite log, testcase markup and all, out of the count", () => {
    const report = junit("bazel/test.xml");
    expect(report.failures[0]).toMatchObject({ name: "//services/book:book_test", kind: "error", message: "exited with error code 1" });
  });
});

describe("JUnit fixtures for each class of trouble", () => {
  it("leaves commented-out suites and testcases to the parser: no phantom test", () => {
    expect(counts("classes/comment-markup.xml")).toEqual({ total: 2, failed: 0, skipped: 0, flaky: 0 });
  });

  it("keeps a failure's CDATA whole, even holding </testcase>, and ignores testcase markup in system-out", () => {
    const report = junit("classes/cdata-markup.xml");
    expect(counts("classes/cdata-markup.xml")).toEqual({ total: 2, failed: 1, skipped: 0, flaky: 0 });
    expect(report.failures[0].details).toContain(
      '<testsuite><testcase name="x"></testcase></testsuite>\nReceived:\n</testcase></testsuite>',
    );
    expect(report.failures[0]).toMatchObject({ message: "snapshot mismatch", file: "src/render.test.ts", line: 14 });
  });

  it("ignores processing instructions, whatever they hold", () => {
    expect(counts("classes/processing-instructions.xml")).toEqual({ total: 1, failed: 0, skipped: 0, flaky: 0 });
  });

  it("decodes the five predefined entities and numeric references", () => {
    const report = junit("classes/entities-predefined.xml");
    expect(report.failures[0].name).toBe("<lt> &amp \"quot\" 'apos' AB 🚀");
    expect(report.failures[0].message).toBe("a < b && c > d");
  });

  it.each([
    ["classes/entities-internal-dtd.xml", "classes/entities-internal-dtd.xml:8:40"],
    ["classes/entities-external.xml", "classes/entities-external.xml:7:48"],
  ])("refuses %s, whose entities a DOCTYPE declares, naming why and where", (path, place) => {
    expect(() => junit(path)).toThrow(ConfigurationError);
    expect(() => junit(path)).toThrow(
      `${place}: malformed JUnit XML: undefined entity (entities declared in a DOCTYPE are not expanded; only &lt; &gt; &amp; &quot; &apos; and numeric references are).`,
    );
  });

  it("reads a report whose DOCTYPE declares entities it never uses (and fetches no DTD)", () => {
    expect(counts("classes/entities-declared-unused.xml")).toEqual({ total: 1, failed: 0, skipped: 0, flaky: 0 });
  });

  it("counts skipped and disabled tests, by status or by child element, as skipped", () => {
    expect(counts("classes/status-skipped-disabled.xml")).toEqual({ total: 6, failed: 0, skipped: 4, flaky: 0 });
  });

  it("tells an error from a failure", () => {
    const report = junit("classes/error-vs-failure.xml");
    expect(report.failures.map((failure) => [failure.name, failure.kind, failure.line])).toEqual([
      ["asserts", "failure", undefined],
      ["crashes", "error", 9],
    ]);
  });

  it("adds a suite's own counts when it lists no testcases, and never counts a listed suite twice", () => {
    expect(counts("classes/suite-counts-only.xml")).toEqual({ total: 8, failed: 2, skipped: 2, flaky: 0 });
  });

  it.each([
    ["classes/encoding-latin1.xml", "Bücher", "zählt Größen"],
    ["classes/encoding-windows-1252.xml", "w", "costs 5 € – “quoted”"],
    ["classes/encoding-utf16le-bom.xml", "注文", "板寄せ 🚀"],
    ["classes/encoding-utf16be-bom.xml", "注文", "板寄せ 🚀"],
    ["classes/encoding-utf8-bom.xml", "b", "naïve"],
  ])("decodes %s as its declaration and byte order mark say", (path, suite, name) => {
    const text = decodeReport(readFileSync(join(FIXTURES, path)), path);
    expect(text).not.toContain("\uFFFD");
    expect(text).toContain(name);
    expect(text).toContain(suite);
    expect(junit(path).total).toBeGreaterThan(0);
  });

  it("keeps latin1 names intact in a failure", () => {
    expect(junit("classes/encoding-latin1.xml").failures[0]).toMatchObject({ name: "zählt Größen", suite: "Bücher" });
    expect(counts("classes/encoding-utf16le-bom.xml")).toEqual({ total: 2, failed: 0, skipped: 1, flaky: 0 });
  });

  it("names an encoding it cannot decode, and UTF-16 declared without a byte order mark", () => {
    const declared = (encoding: string) => Buffer.from(`<?xml version="1.0" encoding="${encoding}"?><testsuite/>`, "latin1");
    expect(() => decodeReport(declared("EBCDIC-weird"), "j.xml")).toThrow(
      'j.xml:1:1: the XML declaration names encoding "EBCDIC-weird", which this runner cannot decode.',
    );
    expect(() => decodeReport(declared("UTF-16"), "j.xml")).toThrow(
      'j.xml:1:1: encoding "UTF-16" is declared but the file has no byte order mark.',
    );
  });

  it.each(["classes/empty.xml", "classes/blank.xml"])("names %s as empty", (path) => {
    expect(() => junit(path)).toThrow(`${path}:1:1: the JUnit XML report is empty.`);
  });

  it("reads zero tests as zero (the gate then says no tests found)", () => {
    expect(counts("classes/zero-tests.xml")).toEqual({ total: 0, failed: 0, skipped: 0, flaky: 0 });
    expect(counts("classes/all-skipped.xml")).toEqual({ total: 2, failed: 0, skipped: 2, flaky: 0 });
  });

  it("names the element a truncated report leaves open, at its own place", () => {
    expect(() => junit("classes/truncated.xml")).toThrow(
      "classes/truncated.xml:6:27: malformed JUnit XML: <failure> opened at 6:7 is never closed (truncated report?).",
    );
  });

  it("rejects XML that is not JUnit, naming the root", () => {
    expect(() => junit("classes/not-junit.xml")).toThrow("classes/not-junit.xml:1:1: not a JUnit report (root element <coverage>)");
  });
});

const lines = (path: string) => coverage(path).files.map((file) => [file.path, file.covered, file.lines]);

describe("coverage reports written by real tools", () => {
  /** `path covered/lines` per file, in report order. */
  const shown = (path: string) =>
    coverage(path)
      .files.map((file) => `${file.path} ${file.covered}/${file.lines}`)
      .join(", ");
  it.each([
    ["vitest/lcov.info", "lcov", "src/fees.ts 2/3, src/orders.ts 6/6"],
    ["vitest/cobertura-coverage.xml", "cobertura", "src/fees.ts 2/3, src/orders.ts 6/6"],
    ["vitest/coverage-final.json", "istanbul-final", "/tmp/fx/vitest/src/fees.ts 2/3, /tmp/fx/vitest/src/orders.ts 6/6"],
    ["vitest/coverage-summary.json", "istanbul-summary", "/tmp/fx/vitest/src/fees.ts 2/3, /tmp/fx/vitest/src/orders.ts 6/6"],
    ["vitest/shard1/lcov.info", "lcov", "src/fees.ts 2/3, src/orders.ts 5/6"],
    ["vitest/shard2/lcov.info", "lcov", "src/fees.ts 0/3, src/orders.ts 2/6"],
    ["jest/lcov.info", "lcov", "src/price.js 5/6"],
    ["jest/coverage-final.json", "istanbul-final", "/tmp/fx/jest/src/price.js 5/6"],
    ["jest/cobertura-coverage.xml", "cobertura", "src/price.js 5/6"],
    ["pytest/coverage.xml", "cobertura", "__init__.py 0/0, prices.py 9/10"],
    ["pytest/shard1/coverage.xml", "cobertura", "__init__.py 0/0, prices.py 7/10"],
    ["pytest/shard2/coverage.xml", "cobertura", "__init__.py 0/0, prices.py 5/10"],
    ["gcovr/cobertura.xml", "cobertura", "book.c 13/14"],
    ["lcov/geninfo.info", "lcov", "/tmp/fx/gcc/book.c 13/14"],
    // Written to the tool's documented format.
    ["simplecov/coverage.xml", "cobertura", "app/models/ledger.rb 6/8"],
    // MATLAB repeats each method's lines under <methods>: counted once.
    ["matlab/coverage.xml", "cobertura", "riskModel.m 4/5"],
  ])("%s", (path, format, expected) => {
    expect(coverage(path).format).toBe(format);
    expect(shown(path)).toBe(expected);
  });

  it("keeps the sources a cobertura report names and never fetches its external DTD", () => {
    expect(coverage("vitest/cobertura-coverage.xml").sourceRoots).toEqual(["/tmp/fx/vitest"]);
    expect(coverage("pytest/coverage.xml").sourceRoots).toEqual(["/tmp/fx/pytest/app"]);
  });
});

describe("coverage fixtures for each class of trouble", () => {
  it.each(["classes/empty.info", "classes/blank-cobertura.xml"])("names %s as empty", (path) => {
    expect(() => coverage(path)).toThrow(`${path}:1:1: the coverage report is empty.`);
  });

  it("refuses a DOCTYPE entity that would rename a file", () => {
    expect(() => coverage("classes/cobertura-internal-entity.xml")).toThrow(
      "classes/cobertura-internal-entity.xml:5:36: malformed cobertura XML: undefined entity (entities declared in a DOCTYPE are not expanded",
    );
  });

  it("falls back to the root totals when a cobertura report has no line data", () => {
    const report = coverage("classes/cobertura-totals-only.xml");
    expect(report.files).toEqual([{ path: "classes/cobertura-totals-only.xml", lines: 10, covered: 4, aggregate: true }]);
  });

  it("reads a report with zero measurable lines as zero, not 100%", () => {
    expect(lines("classes/cobertura-no-lines.xml")).toEqual([["app/__init__.py", 0, 0]]);
  });

  it("ignores line number 0 in cobertura and lcov", () => {
    expect(lines("classes/cobertura-line-zero.xml")).toEqual([["src/a.c", 1, 2]]);
    expect(lines("classes/lcov-windows.info")).toEqual([
      ["C:\\repo\\src\\Win.php", 1, 2],
      ["/home/runner/work/platform/platform/src/orders.ts", 2, 2],
    ]);
  });
});
