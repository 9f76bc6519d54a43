import { ConfigurationError } from "../lib/errors.js";
import type { CoverageFile, CoverageFormat } from "./model.js";
import { parseXml } from "./xml.js";

/** One coverage report's per-file line counts, paths as the report wrote them (the caller resolves them). */
export interface CoverageReport {
  format: CoverageFormat;
  files: CoverageFile[];
  /** Directories the report says its relative paths are relative to (cobertura `<source>`). */
  sourceRoots: string[];
}

type IstanbulSummary = Record<string, { lines?: { total?: number; covered?: number } }>;
type IstanbulFinal = Record<
  string,
  { path?: string; statementMap?: Record<string, { start?: { line?: number } }>; s?: Record<string, number> }
>;

/** Detects the format from the content: istanbul coverage-summary.json or coverage-final.json, lcov, or cobertura XML. */
export function parseCoverage(text: string, source: string): CoverageReport {
  const start = text.trimStart().slice(0, 200);
  if (start === "") throw new ConfigurationError(`${source}:1:1: the coverage report is empty.`);
  if (start.startsWith("{")) return parseIstanbul(text, source);
  if (start.startsWith("<")) return parseCobertura(text, source);
  if (/^(TN|SF):/m.test(start)) return parseLcov(text, source);
  throw unknownFormat(source);
}

function unknownFormat(source: string, why = ""): ConfigurationError {
  return new ConfigurationError(
    `${source}:1:1: unknown coverage format${why}; expected istanbul coverage-summary.json or coverage-final.json, lcov (lcov.info) or cobertura XML.`,
  );
}

function parseIstanbul(text: string, source: string): CoverageReport {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${source}:1:1: invalid JSON: ${(error as Error).message}`);
  }
  const summary = json as IstanbulSummary;
  if (summary?.total?.lines) return parseIstanbulSummary(summary, source);
  const entries = Object.values(json ?? {});
  if (entries.length > 0 && entries.every((entry) => isFinalEntry(entry))) return parseIstanbulFinal(json as IstanbulFinal);
  throw unknownFormat(source, " (JSON that is neither coverage-summary.json with total.lines nor coverage-final.json)");
}

function isFinalEntry(entry: unknown): boolean {
  return typeof entry === "object" && entry !== null && "statementMap" in entry && "s" in entry;
}

/** Summary only: files and totals, no line data, so it cannot be merged line by line with another report. */
function parseIstanbulSummary(summary: IstanbulSummary, source: string): CoverageReport {
  const files: CoverageFile[] = [];
  for (const [path, entry] of Object.entries(summary)) {
    if (path === "total" || !entry?.lines) continue;
    files.push({ path, lines: Number(entry.lines.total) || 0, covered: Number(entry.lines.covered) || 0 });
  }
  // A summary written without per-file entries still counts, as one pseudo-file.
  const total = summary.total?.lines ?? {};
  if (files.length === 0)
    files.push({ path: source, lines: Number(total.total) || 0, covered: Number(total.covered) || 0, aggregate: true });
  return { format: "istanbul-summary", files, sourceRoots: [] };
}

/** Istanbul's line coverage: a line is the start line of statements, covered when one of them ran. */
function parseIstanbulFinal(json: IstanbulFinal): CoverageReport {
  const files: CoverageFile[] = [];
  for (const [key, entry] of Object.entries(json)) {
    const byLine = new Map<number, boolean>();
    for (const [id, statement] of Object.entries(entry.statementMap ?? {})) {
      const line = Number(statement?.start?.line);
      if (!Number.isInteger(line) || line < 1) continue;
      byLine.set(line, byLine.get(line) === true || Number(entry.s?.[id]) > 0);
    }
    files.push(fromLines(entry.path ?? key, byLine));
  }
  return { format: "istanbul-final", files, sourceRoots: [] };
}

function fromLines(path: string, byLine: Map<number, boolean>): CoverageFile {
  let covered = 0;
  for (const hit of byLine.values()) if (hit) covered++;
  return { path, lines: byLine.size, covered, byLine };
}

/** lcov: DA lines per record; LF/LH only when a tool wrote no DA lines (then the record cannot be merged by line). */
export function parseLcov(text: string, source: string): CoverageReport {
  const files: CoverageFile[] = [];
  let current: { path: string; line: number; lf?: number; lh?: number; byLine: Map<number, boolean> } | undefined;
  let lineNumber = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    lineNumber++;
    if (line.startsWith("SF:")) current = { path: line.slice(3), line: lineNumber, byLine: new Map() };
    else if (line === "end_of_record") {
      if (!current) throw new ConfigurationError(`${source}:${lineNumber}:1: end_of_record without SF.`);
      files.push(
        current.byLine.size || current.lf === undefined
          ? fromLines(current.path, current.byLine)
          : { path: current.path, lines: current.lf, covered: current.lh ?? 0 },
      );
      current = undefined;
    } else if (!current) continue;
    else if (line.startsWith("DA:")) addDa(current.byLine, line, source, lineNumber);
    else if (line.startsWith("LF:")) current.lf = Number(line.slice(3)) || 0;
    else if (line.startsWith("LH:")) current.lh = Number(line.slice(3)) || 0;
  }
  if (current)
    throw new ConfigurationError(`${source}:${current.line}:1: the record for ${current.path} has no end_of_record (truncated lcov?).`);
  return { format: "lcov", files, sourceRoots: [] };
}

/** `DA:<line>,<hits>[,<checksum>]`; line 0 is not a line. */
function addDa(byLine: Map<number, boolean>, text: string, source: string, lineNumber: number): void {
  const comma = text.indexOf(",", 3);
  const line = Number(text.slice(3, comma));
  const hitsEnd = text.indexOf(",", comma + 1);
  const hits = Number(hitsEnd < 0 ? text.slice(comma + 1) : text.slice(comma + 1, hitsEnd));
  if (comma < 0 || !Number.isInteger(line) || Number.isNaN(hits))
    throw new ConfigurationError(`${source}:${lineNumber}:1: ${JSON.stringify(text)} is not DA:<line>,<hits>.`);
  if (line < 1) return;
  byLine.set(line, byLine.get(line) === true || hits > 0);
}

/**
 * Cobertura (coverage.py, gcovr, simplecov, MATLAB, Istanbul's cobertura reporter): `<line hits>` under each class's
 * own `<lines>` (the copies under `<methods>` are not counted again). Without any line data, the root's
 * `lines-covered`/`lines-valid` count as one summary-only pseudo-file.
 */
function parseCobertura(text: string, source: string): CoverageReport {
  const byPath = new Map<string, Map<number, boolean>>();
  const sources: string[] = [];
  const stack: string[] = [];
  let root: Record<string, string> | undefined;
  let lines: Map<number, boolean> | undefined;
  let sourceText: string | undefined;
  parseXml(
    text,
    { kind: "cobertura XML", source },
    {
      open(name, attributes) {
        if (!root) {
          if (name !== "coverage") throw unknownFormat(source, ` (XML whose root is <${name}>, not <coverage>)`);
          root = attributes;
        }
        const parent = stack[stack.length - 1];
        stack.push(name);
        if (name === "class") {
          const path = attributes.filename ?? "";
          lines = byPath.get(path) ?? new Map();
          byPath.set(path, lines);
        } else if (name === "source" && parent === "sources") sourceText = "";
        else if (name === "line" && parent === "lines" && stack[stack.length - 3] === "class" && lines) {
          const number = Number(attributes.number);
          if (Number.isInteger(number) && number > 0) lines.set(number, lines.get(number) === true || Number(attributes.hits) > 0);
        }
      },
      text(chunk) {
        if (sourceText !== undefined) sourceText += chunk;
      },
      close(name) {
        stack.pop();
        if (name === "source" && sourceText !== undefined) {
          if (sourceText.trim()) sources.push(sourceText.trim());
          sourceText = undefined;
        } else if (name === "class") lines = undefined;
      },
    },
  );
  const files = [...byPath].map(([path, byLine]) => fromLines(path, byLine));
  const measured = files.reduce((sum, file) => sum + file.lines, 0);
  const valid = Number(root?.["lines-valid"]);
  if (measured === 0 && valid > 0) {
    return {
      format: "cobertura",
      files: [{ path: source, lines: valid, covered: Number(root?.["lines-covered"]) || 0, aggregate: true }],
      sourceRoots: sources,
    };
  }
  return { format: "cobertura", files, sourceRoots: sources };
}
