import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { parseCoverage } from "./coverage.js";
import { findReports, repoPath } from "./files.js";
import { parseJUnit } from "./junit.js";
import type { CoverageFile, CoverageResults, TestResults } from "./model.js";
import { WorkspacePaths } from "./paths.js";
import { decodeReport } from "./xml.js";

export interface ReportPlaces {
  workingDirectory: string;
  workspace: string;
  /** Maps paths written on other machines to tracked files; one per run, so `git ls-files` runs at most once. */
  paths?: WorkspacePaths;
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
  const found = await findReports("junit", patterns, { cwd: places.workingDirectory, workspace: places.workspace }, missingOk);
  if (!found) return undefined;
  const paths = places.paths ?? new WorkspacePaths(places.workspace);
  const results: TestResults = { total: 0, failed: 0, skipped: 0, reports: [], failures: [], flaky: [] };
  for (const path of found) {
    const shown = repoPath(path, places.workspace);
    const report = parseJUnit(decodeReport(await readFile(path), shown), shown);
    results.total += report.total;
    results.failed += report.failed;
    results.skipped += report.skipped;
    results.flaky.push(...report.flaky);
    results.reports.push(shown);
    const bases = [places.workingDirectory, resolve(path, "../.."), resolve(path, ".."), places.workspace];
    const exists = memo((candidate: string) => existsSync(candidate));
    // Tests of one report live under one base: find it from a few failures, then stat only there.
    const base = probeBase(
      report.failures.slice(0, 5).flatMap((failure) => failure.candidates),
      bases,
    );
    for (const { candidates, ...failure } of report.failures) {
      const local = candidates.filter((candidate) => !WorkspacePaths.isForeign(candidate));
      const existing = base ? local.map((candidate) => resolve(base, candidate)).find(exists) : undefined;
      let file: string | undefined;
      if (existing) file = await paths.toRepo(existing);
      else if (failure.file && WorkspacePaths.isForeign(failure.file)) file = await paths.bySuffix(failure.file);
      else if (failure.file) file = await paths.toRepo(resolve(base ?? places.workingDirectory, failure.file), failure.file);
      results.failures.push({ ...failure, file });
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
  const sample = paths.filter((path) => !isAbsolute(path) && !WorkspacePaths.isForeign(path)).slice(0, 5);
  return bases.find((base) => sample.some((path) => existsSync(resolve(base, path))));
}

/**
 * Reads and merges coverage reports. Reports with line data (lcov, cobertura, coverage-final.json) merge per line,
 * as test shards of one suite need: a line covered in any report is covered, and counted once. A summary-only report
 * (coverage-summary.json) of a file another report also has cannot be merged that way: the fuller one is kept.
 */
export async function collectCoverage(
  patterns: readonly string[],
  places: ReportPlaces,
  missingOk: boolean,
): Promise<CoverageResults | undefined> {
  const found = await findReports("coverage", patterns, { cwd: places.workingDirectory, workspace: places.workspace }, missingOk);
  if (!found) return undefined;
  const paths = places.paths ?? new WorkspacePaths(places.workspace);
  const merged = new Map<string, CoverageFile>();
  const reports: CoverageResults["reports"] = [];
  let keptFuller = 0;
  for (const path of found) {
    const shown = repoPath(path, places.workspace);
    const report = parseCoverage(decodeReport(await readFile(path), shown), shown);
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
      const key = file.aggregate ? shown : await coverageKey(file.path, base, paths);
      const earlier = merged.get(key);
      if (!earlier) merged.set(key, { ...file, path: key });
      else if (earlier.byLine && file.byLine) mergeLines(earlier, file.byLine);
      else if (seenHere.has(key)) {
        earlier.lines += file.lines;
        earlier.covered += file.covered;
      } else {
        keptFuller++;
        if (file.lines > earlier.lines) merged.set(key, { ...file, path: key });
      }
      seenHere.add(key);
    }
  }
  const files = [...merged.values()].sort((a, b) => a.path.localeCompare(b.path));
  const lines = files.reduce((sum, file) => sum + file.lines, 0);
  const covered = files.reduce((sum, file) => sum + file.covered, 0);
  const notes = keptFuller
    ? [
        `${keptFuller} file${keptFuller === 1 ? " is" : "s are"} in a summary-only report (coverage-summary.json) and in another report; summaries cannot be merged line by line, so the fuller report was kept for each.`,
      ]
    : [];
  return { lines, covered, percent: lines === 0 ? undefined : (covered / lines) * 100, reports, files, notes };
}

/** Where a report's file lives, workspace-relative when it can be placed; as written otherwise. */
async function coverageKey(written: string, base: string, paths: WorkspacePaths): Promise<string> {
  if (WorkspacePaths.isForeign(written)) return (await paths.bySuffix(written)) ?? written.replace(/\\/g, "/");
  const absolute = resolve(base, written);
  const inside = repoPath(absolute, paths.workspace);
  if (!isAbsolute(inside)) return inside;
  return (await paths.bySuffix(written)) ?? inside;
}

function mergeLines(into: CoverageFile, byLine: Map<number, boolean>): void {
  const lines = into.byLine as Map<number, boolean>;
  for (const [line, hit] of byLine) {
    const before = lines.get(line);
    if (before === undefined) {
      lines.set(line, hit);
      into.lines++;
      if (hit) into.covered++;
    } else if (hit && !before) {
      lines.set(line, true);
      into.covered++;
    }
  }
}
