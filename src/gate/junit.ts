import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ConfigurationError } from "../lib/errors.js";
import type { FailedTest } from "./model.js";

/** What one JUnit file adds to the test results; file paths are resolved by the caller. */
export interface JUnitReport {
  total: number;
  failed: number;
  skipped: number;
  /** `candidates`: paths the test may live at, best first; the caller keeps the first that exists. */
  failures: Array<FailedTest & { candidates: string[] }>;
}

type Node = Record<string, any>;

/** Parses one testcase's body (failure, error, skipped): only those bodies, so 100k passing tests cost no tree. */
const bodyParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => ["failure", "error", "skipped"].includes(name),
});
// The skeleton: suites and testcases, attributes may hold a quoted '>'.
const TAG = /<(\/?)(testsuites|testsuite|testcase)(?=[\s>/])((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const BODY_OPEN = "<testcase>";
const PROBLEM = /<(failure|error|skipped)[\s>/]/;
const DETAILS_LIMIT = 4_000;
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|cs|php|rs|swift|scala)$/;
const STACK_PLACE = /([\w@.\-/\\]+\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|cs|php|rs|swift|scala))[:(](\d+)/g;

/**
 * Parses the vitest/jest, pytest and generic JUnit dialects: `<testsuites>` or a bare `<testsuite>` root,
 * nested suites, `file`/`line` attributes (pytest, jest-junit) or places found in the failure's stack (vitest).
 * A tag scanner walks the suites and testcases (fast-xml-parser alone takes ~1 s on 100k testcases); the bodies
 * of failed and skipped tests go through fast-xml-parser, validated. Unclosed or mismatched suite and testcase
 * tags are reported at their line and column.
 */
export function parseJUnit(xml: string, source: string): JUnitReport {
  const root = /<(?![?!])([\w:.-]+)/.exec(xml);
  if (root?.[1] !== "testsuites" && root?.[1] !== "testsuite") {
    const invalid = XMLValidator.validate(xml);
    if (invalid !== true)
      throw new ConfigurationError(`${source}:${invalid.err.line}:${invalid.err.col}: malformed JUnit XML: ${invalid.err.msg}`);
    throw new ConfigurationError(
      `${source}:1:1: not a JUnit report (root element <${root?.[1] ?? "none"}>); expected <testsuites> or <testsuite>.`,
    );
  }
  const report: JUnitReport = { total: 0, failed: 0, skipped: 0, failures: [] };
  const suites: Array<{ tag: string; at: number; attributes: Node }> = [];
  const fail = (at: number, message: string) => new ConfigurationError(`${source}:${place(xml, at)}: malformed JUnit XML: ${message}`);
  TAG.lastIndex = 0;
  for (let match = TAG.exec(xml); match; match = TAG.exec(xml)) {
    const [, closing, tag, attributeText, selfClosing] = match;
    if (tag !== "testcase") {
      if (closing) {
        const open = suites.pop();
        if (open?.tag !== tag)
          throw fail(
            match.index,
            `closing tag </${tag}> does not match ${open ? `<${open.tag}> opened at ${place(xml, open.at)}` : "any open tag"}.`,
          );
      } else if (!selfClosing) suites.push({ tag, at: match.index, attributes: attributes(attributeText) });
      continue;
    }
    if (closing) throw fail(match.index, "</testcase> without an open <testcase>.");
    let body = "";
    const bodyStart = TAG.lastIndex;
    if (!selfClosing) {
      const end = xml.indexOf("</testcase", bodyStart);
      if (end < 0) throw fail(match.index, "<testcase> is never closed (truncated report?).");
      body = xml.slice(bodyStart, end);
      TAG.lastIndex = xml.indexOf(">", end) + 1 || xml.length;
    }
    report.total++;
    // Attributes are decoded only for tests that need them: most of 100k testcases just pass.
    const skippedByStatus = attributeText.includes("status=") && attributes(attributeText).status === "skipped";
    if (skippedByStatus) report.skipped++;
    if (!PROBLEM.test(body)) continue;
    const testcase = attributes(attributeText);
    const parsed = parseBody(body, xml, bodyStart, source);
    const problem = parsed.failure?.[0] ?? parsed.error?.[0];
    if (problem !== undefined) {
      report.failed++;
      const suite = suites[suites.length - 1]?.attributes ?? {};
      const suiteFile = [...suites].reverse().find((open) => open.attributes.file)?.attributes.file;
      report.failures.push(failedTest(testcase, suite, suiteFile, asNode(problem), parsed.failure ? "failure" : "error"));
    } else if (parsed.skipped && testcase.status !== "skipped") report.skipped++;
  }
  if (suites.length) throw fail(suites[suites.length - 1].at, `<${suites[suites.length - 1].tag}> is never closed (truncated report?).`);
  return report;
}

/** Validates and parses one testcase body; errors point into the whole file, not the snippet. */
function parseBody(body: string, xml: string, offset: number, source: string): Node {
  const wrapped = `${BODY_OPEN}${body}</testcase>`;
  const valid = XMLValidator.validate(wrapped);
  if (valid !== true) {
    const bodyLine = valid.err.line - 1;
    const [line, column] = place(xml, offset).split(":").map(Number);
    const col = bodyLine ? valid.err.col : column + valid.err.col - BODY_OPEN.length - 1;
    const message = valid.err.msg.replace(/ \(opened in line \d+, col \d+\)/, "");
    throw new ConfigurationError(`${source}:${line + bodyLine}:${col}: malformed JUnit XML: ${message}`);
  }
  return bodyParser.parse(wrapped).testcase ?? {};
}

function attributes(text: string): Node {
  const result: Node = {};
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(text); match; match = ATTRIBUTE.exec(text)) result[match[1]] = decode(match[2] ?? match[3]);
  return result;
}

function decode(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (_all, decimal, hex, named) =>
    decimal ? String.fromCodePoint(Number(decimal)) : hex ? String.fromCodePoint(Number.parseInt(hex, 16)) : NAMED[named],
  );
}

/** `line:column` (1-based) of an offset; only computed for errors. */
function place(xml: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let at = xml.indexOf("\n"); at >= 0 && at < offset; at = xml.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return `${line}:${offset - lineStart + 1}`;
}

function failedTest(
  testcase: Node,
  suite: Node,
  suiteFile: string | undefined,
  problem: Node,
  kind: "failure" | "error",
): FailedTest & { candidates: string[] } {
  const text = String(problem["#text"] ?? "").trim();
  const message = String(problem.message ?? "").trim() || text.split("\n")[0] || `test ${kind}`;
  const classname = String(testcase.classname ?? "");
  const file: string | undefined = testcase.file ?? (SOURCE_FILE.test(classname) ? classname : undefined) ?? suiteFile;
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
  let line = own?.line ?? (Number(testcase.line) || undefined);
  if (own && !located) located = own.path;
  if (!line) {
    const fallback = places.find((candidate) => !candidate.path.includes("node_modules"));
    if (fallback) {
      line = fallback.line;
      located = fallback.path;
    }
  }
  return {
    name: String(testcase.name ?? "(unnamed test)"),
    suite: classname || String(suite.name ?? ""),
    file: located,
    line,
    message: message.length > 500 ? `${message.slice(0, 500)}…` : message,
    details: text ? text.slice(0, DETAILS_LIMIT) : undefined,
    kind,
    candidates: located ? [located, ...guesses] : guesses,
  };
}

function asNode(value: unknown): Node {
  return typeof value === "object" && value !== null ? (value as Node) : { "#text": value };
}

function sameFile(stackPath: string, file: string): boolean {
  const a = stackPath.replace(/\\/g, "/");
  const b = file.replace(/\\/g, "/").replace(/^\.\//, "");
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}
