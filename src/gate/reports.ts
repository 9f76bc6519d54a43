import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { parseCoverage } from "./coverage.js";
import { findReports, repoPath } from "./files.js";
import { parseJUnit } from "./junit.js";
import type { CoverageFile, CoverageResults, TestResults } from "./model.js";

export interface ReportPlaces {
  workingDirectory: string;
  workspace: string;
}

/**
 * Reads every JUnit file into one result. Returns undefined when nothing matched and `missingOk`
 * (a command failed before writing it); otherwise no match is the user's mistake.
 */
export async function collectTests(
  patterns: readonly string[],
  places: ReportPlaces,
  missingOk: boolean,
): Promise<TestResults | undefined> {
  const paths = await findReports("junit", patterns, places.workingDirectory, missingOk);
  if (!paths) return undefined;
  const results: TestResults = { total: 0, failed: 0, skipped: 0, reports: [], failures: [] };
  for (const path of paths) {
    const shown = repoPath(path, places.workspace);
    const report = parseJUnit(await readFile(path, "utf8"), shown);
    results.total += report.total;
    results.failed += report.failed;
    results.skipped += report.skipped;
    results.reports.push(shown);
    const bases = [places.workingDirectory, resolve(path, "../.."), resolve(path, ".."), places.workspace];
    const exists = memo((candidate: string) => existsSync(candidate));
    // Tests of one report live under one base: find it from a few failures, then stat only there.
    const base = probeBase(
      report.failures.slice(0, 5).flatMap((failure) => failure.candidates),
      bases,
    );
    for (const { candidates, ...failure } of report.failures) {
      const existing = base ? candidates.map((candidate) => resolve(base, candidate)).find(exists) : undefined;
      const file = existing ?? (failure.file ? resolve(base ?? places.workingDirectory, failure.file) : undefined);
      results.failures.push({ ...failure, file: file ? repoPath(file, places.workspace) : undefined });
    }
  }
  return results;
}

function memo<T>(work: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    if (!seen.has(key)) seen.set(key, work(key));
    return seen.get(key) as T;
  };
}

/**
 * The directory a report's relative paths are relative to: the first base under which one of a few sample paths
 * exists (a stat per path is too slow for 5,000 files); undefined when none does.
 */
function probeBase(paths: readonly string[], bases: readonly string[]): string | undefined {
  const sample = paths.filter((path) => !isAbsolute(path)).slice(0, 5);
  return bases.find((base) => sample.some((path) => existsSync(resolve(base, path))));
}

/** Reads and merges coverage reports; a file covered by two reports (lcov and json-summary of one run) counts once. */
export async function collectCoverage(
  patterns: readonly string[],
  places: ReportPlaces,
  missingOk: boolean,
): Promise<CoverageResults | undefined> {
  const paths = await findReports("coverage", patterns, places.workingDirectory, missingOk);
  if (!paths) return undefined;
  const byPath = new Map<string, CoverageFile>();
  const reports: CoverageResults["reports"] = [];
  for (const path of paths) {
    const shown = repoPath(path, places.workspace);
    const report = parseCoverage(await readFile(path, "utf8"), shown);
    reports.push({ path: shown, format: report.format });
    // Relative paths are relative to the report's <source>, the project the report sits in (coverage/.. or reports/..),
    // or the working directory.
    const bases = [
      ...report.sourceRoots.map((root) => resolve(places.workingDirectory, root)),
      resolve(path, "../.."),
      resolve(path, ".."),
      places.workingDirectory,
    ];
    const base =
      probeBase(
        report.files.slice(0, 20).map((file) => file.path),
        bases,
      ) ?? places.workingDirectory;
    const seenHere = new Set<string>();
    for (const file of report.files) {
      const key = repoPath(resolve(base, file.path), places.workspace);
      const earlier = byPath.get(key);
      if (earlier && seenHere.has(key)) {
        earlier.lines += file.lines;
        earlier.covered += file.covered;
      } else if (!earlier || file.lines > earlier.lines) {
        byPath.set(key, { path: key, lines: file.lines, covered: file.covered });
      }
      seenHere.add(key);
    }
  }
  const files = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  const lines = files.reduce((sum, file) => sum + file.lines, 0);
  const covered = files.reduce((sum, file) => sum + file.covered, 0);
  return { lines, covered, percent: lines === 0 ? 100 : (covered / lines) * 100, reports, files };
}
