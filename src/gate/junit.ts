import { ConfigurationError } from "../lib/errors.js";
import type { FailedTest } from "./model.js";
import { parseXml } from "./xml.js";

/** What one JUnit file adds to the test results; file paths are resolved by the caller. */
export interface JUnitReport {
  total: number;
  failed: number;
  skipped: number;
  /** Tests that failed and passed on a rerun (Surefire `flakyFailure`/`flakyError`): counted as passed. */
  flaky: Array<{ name: string; suite: string }>;
  /** `candidates`: paths the test may live at, best first; the caller keeps the first that exists. */
  failures: Array<FailedTest & { candidates: string[] }>;
}

type Attributes = Record<string, string>;

interface OpenSuite {
  attributes: Attributes;
  /** Testcases (or counts of nested suites) were found inside: this suite's own counts are not used. */
  counted: boolean;
}

interface OpenCase {
  attributes: Attributes;
  problem?: { kind: "failure" | "error"; attributes: Attributes };
  skipped: boolean;
  flaky: boolean;
  /** The element whose text is being collected (failure or error), and that text, capped. */
  collecting: boolean;
  text: string;
}

const DETAILS_LIMIT = 4_000;
const SKIP_STATUSES = new Set(["skipped", "disabled", "skip", "ignored", "notrun"]);
const FLAKY = new Set(["flakyFailure", "flakyError"]);
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|cs|php|rs|swift|scala)$/;
// A drive letter is kept, so a Windows runner's `C:\repo\src\Win.php:12` is still one path.
const STACK_PLACE = /((?:[A-Za-z]:)?[\w@.\-/\\]+\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|cs|php|rs|swift|scala))[:(](\d+)/g;

/**
 * Reads the JUnit dialects of vitest/jest, pytest, Surefire, PHPUnit, mocha, Bazel, Go and Swift tools, through a
 * streaming XML parser: `<testsuites>` or a bare `<testsuite>` root, nested suites, `file`/`line` attributes or places
 * found in the failure's stack, `skipped`/`disabled` statuses or child elements, suite-level counts when a suite
 * lists no testcases.
 */
export function parseJUnit(xml: string, source: string): JUnitReport {
  const report: JUnitReport = { total: 0, failed: 0, skipped: 0, flaky: [], failures: [] };
  const suites: OpenSuite[] = [];
  let testcase: OpenCase | undefined;
  let depth = 0;
  parseXml(
    xml,
    { kind: "JUnit XML", source },
    {
      open(name, attributes) {
        if (depth++ === 0 && name !== "testsuites" && name !== "testsuite")
          throw new ConfigurationError(`${source}:1:1: not a JUnit report (root element <${name}>); expected <testsuites> or <testsuite>.`);
        if (testcase) openInCase(testcase, name, attributes);
        else if (name === "testsuite" || name === "testsuites") suites.push({ attributes, counted: false });
        else if (name === "testcase") {
          testcase = { attributes, skipped: SKIP_STATUSES.has(attributes.status ?? ""), flaky: false, collecting: false, text: "" };
          for (const suite of suites) suite.counted = true;
        }
      },
      text(text) {
        if (testcase?.collecting && testcase.text.length < DETAILS_LIMIT) testcase.text += text;
      },
      close(name) {
        depth--;
        if (testcase && name === "testcase") {
          countCase(testcase, report, suites);
          testcase = undefined;
        } else if (testcase) {
          if (name === "failure" || name === "error") testcase.collecting = false;
        } else if (name === "testsuite" || name === "testsuites") {
          const suite = suites.pop();
          if (suite && !suite.counted && countSuite(suite.attributes, report)) for (const outer of suites) outer.counted = true;
        }
      },
    },
  );
  return report;
}

function openInCase(testcase: OpenCase, name: string, attributes: Attributes): void {
  if ((name === "failure" || name === "error") && !testcase.problem) {
    testcase.problem = { kind: name, attributes };
    testcase.collecting = true;
  } else if (name === "skipped" || name === "disabled") testcase.skipped = true;
  else if (FLAKY.has(name)) testcase.flaky = true;
}

function countCase(testcase: OpenCase, report: JUnitReport, suites: readonly OpenSuite[]): void {
  report.total++;
  const suite = suites[suites.length - 1]?.attributes ?? {};
  if (testcase.problem) {
    report.failed++;
    const suiteFile = [...suites].reverse().find((open) => open.attributes.file)?.attributes.file;
    report.failures.push(failedTest(testcase, suite, suiteFile));
  } else if (testcase.skipped) report.skipped++;
  else if (testcase.flaky)
    report.flaky.push({ name: testcase.attributes.name ?? "(unnamed test)", suite: testcase.attributes.classname ?? suite.name ?? "" });
}

/** A suite that lists no testcases but carries counts (`tests="6" failures="1" skipped="2"`) adds those counts. */
function countSuite(attributes: Attributes, report: JUnitReport): boolean {
  const count = (name: string) => {
    const value = Number(attributes[name]);
    return Number.isInteger(value) && value > 0 ? value : 0;
  };
  const tests = count("tests");
  if (tests === 0) return false;
  report.total += tests;
  report.failed += Math.min(tests, count("failures") + count("errors"));
  report.skipped += Math.min(tests, count("skipped") + count("disabled"));
  return true;
}

function failedTest(testcase: OpenCase, suite: Attributes, suiteFile: string | undefined): FailedTest & { candidates: string[] } {
  const { attributes } = testcase;
  const problem = testcase.problem ?? { kind: "failure" as const, attributes: {} };
  const text = testcase.text.trim();
  const message = (problem.attributes.message ?? "").trim() || text.split("\n")[0] || `test ${problem.kind}`;
  const classname = attributes.classname ?? "";
  const file: string | undefined = attributes.file ?? (SOURCE_FILE.test(classname) ? classname : undefined) ?? suiteFile;
  // pytest's xunit2 reports name the module, not the file: tests.test_api(.TestClass) → tests/test_api.py.
  const guesses =
    !file && /^[\w.]+$/.test(classname) && classname.includes(".")
      ? [`${classname.replace(/\./g, "/")}.py`, `${classname.split(".").slice(0, -1).join("/")}.py`]
      : [];
  const candidates = file ? [file] : guesses;
  let located = file;
  // The failing line in the test's own file beats the `line` attribute (pytest's is the test's 0-based def line).
  const places = [...text.matchAll(STACK_PLACE)].map((match) => ({ path: match[1], line: Number(match[2]) }));
  const own = places.find((candidate) => candidates.some((path) => sameFile(candidate.path, path)));
  let line = own?.line ?? (Number(attributes.line) || undefined);
  // A guessed module path that the stack confirms is the place; the stack's own spelling may be another machine's.
  if (own && !located) located = candidates.find((path) => sameFile(own.path, path)) ?? own.path;
  if (!line) {
    const fallback = places.find((candidate) => !candidate.path.includes("node_modules"));
    if (fallback) {
      line = fallback.line;
      located = fallback.path;
    }
  }
  return {
    name: attributes.name ?? "(unnamed test)",
    suite: classname || (suite.name ?? ""),
    file: located,
    line,
    message: message.length > 500 ? `${message.slice(0, 500)}…` : message,
    details: text ? text.slice(0, DETAILS_LIMIT) : undefined,
    kind: problem.kind,
    candidates: located ? [located, ...guesses] : guesses,
  };
}

function sameFile(stackPath: string, file: string): boolean {
  const a = stackPath.replace(/\\/g, "/");
  const b = file.replace(/\\/g, "/").replace(/^\.\//, "");
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}
