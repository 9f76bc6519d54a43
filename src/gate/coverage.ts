import { XMLParser } from "fast-xml-parser";
import { ConfigurationError } from "../lib/errors.js";
import type { CoverageFile, CoverageFormat } from "./model.js";

/** One coverage report's per-file line counts, paths as the report wrote them (the caller resolves them). */
export interface CoverageReport {
  format: CoverageFormat;
  files: CoverageFile[];
  /** Directories the report says its relative paths are relative to (cobertura `<source>`). */
  sourceRoots: string[];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  isArray: (name) => ["source", "package", "class", "line"].includes(name),
});

/** Detects the format from the content: istanbul `coverage-summary.json`, lcov, or cobertura XML. */
export function parseCoverage(text: string, source: string): CoverageReport {
  const start = text.trimStart().slice(0, 200);
  if (start.startsWith("{")) return parseIstanbulSummary(text, source);
  if (start.startsWith("<")) return parseCobertura(text, source);
  if (/^(TN|SF):/m.test(start)) return parseLcov(text, source);
  throw unknownFormat(source);
}

function unknownFormat(source: string, why = ""): ConfigurationError {
  return new ConfigurationError(
    `${source}:1:1: unknown coverage format${why}; expected istanbul coverage-summary.json (json-summary reporter), lcov (lcov.info) or cobertura XML.`,
  );
}

function parseIstanbulSummary(text: string, source: string): CoverageReport {
  let summary: Record<string, { lines?: { total?: number; covered?: number } }>;
  try {
    summary = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${source}:1:1: invalid JSON: ${(error as Error).message}`);
  }
  if (!summary?.total?.lines) throw unknownFormat(source, " (JSON without total.lines: coverage-final.json is not supported)");
  const files: CoverageFile[] = [];
  for (const [path, entry] of Object.entries(summary)) {
    if (path === "total" || !entry?.lines) continue;
    files.push({ path, lines: Number(entry.lines.total) || 0, covered: Number(entry.lines.covered) || 0 });
  }
  // A summary written without per-file entries still counts, as one pseudo-file.
  if (files.length === 0)
    files.push({ path: source, lines: Number(summary.total.lines.total) || 0, covered: Number(summary.total.lines.covered) || 0 });
  return { format: "istanbul-summary", files, sourceRoots: [] };
}

/** lcov: SF/LF/LH per record; DA lines are counted when a tool leaves LF/LH out. */
export function parseLcov(text: string, source: string): CoverageReport {
  const files: CoverageFile[] = [];
  let current: { path: string; line: number; lf?: number; lh?: number; da: number; hit: number } | undefined;
  let lineNumber = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    lineNumber++;
    if (line.startsWith("SF:")) current = { path: line.slice(3), line: lineNumber, da: 0, hit: 0 };
    else if (line === "end_of_record") {
      if (!current) throw new ConfigurationError(`${source}:${lineNumber}:1: end_of_record without SF.`);
      files.push({ path: current.path, lines: current.lf ?? current.da, covered: current.lh ?? current.hit });
      current = undefined;
    } else if (!current) continue;
    else if (line.startsWith("DA:")) {
      current.da++;
      if (!/,0(,|$)/.test(line)) current.hit++;
    } else if (line.startsWith("LF:")) current.lf = Number(line.slice(3));
    else if (line.startsWith("LH:")) current.lh = Number(line.slice(3));
  }
  if (current)
    throw new ConfigurationError(`${source}:${current.line}:1: the record for ${current.path} has no end_of_record (truncated lcov?).`);
  return { format: "lcov", files, sourceRoots: [] };
}

function parseCobertura(text: string, source: string): CoverageReport {
  let document: Record<string, any>;
  try {
    document = xml.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${source}:1:1: malformed XML: ${(error as Error).message}`);
  }
  const coverage = document.coverage;
  if (!coverage || typeof coverage !== "object" || coverage["line-rate"] === undefined)
    throw unknownFormat(source, " (XML without <coverage line-rate>)");
  const byPath = new Map<string, CoverageFile>();
  for (const pkg of coverage.packages?.package ?? []) {
    for (const cls of pkg.classes?.class ?? []) {
      const path = String(cls.filename ?? "");
      const entry = byPath.get(path) ?? { path, lines: 0, covered: 0 };
      for (const line of cls.lines?.line ?? []) {
        entry.lines++;
        if (Number(line.hits) > 0) entry.covered++;
      }
      byPath.set(path, entry);
    }
  }
  const sources: string[] = [coverage.sources?.source ?? []].flat().map(String);
  return { format: "cobertura", files: [...byPath.values()], sourceRoots: sources };
}
