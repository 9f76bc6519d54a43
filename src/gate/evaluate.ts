import { isAbsolute } from "node:path";
import { formatDuration } from "../lib/duration.js";
import type {
  AuditResults,
  BundleResults,
  CommandResult,
  CoverageResults,
  FailedTest,
  GateAnnotation,
  GateCheck,
  Severity,
  TestResults,
} from "./model.js";
import { SEVERITIES } from "./model.js";
import { WorkspacePaths } from "./paths.js";
import { type GateSettings, isEnforced } from "./settings.js";
import { formatSize } from "./size.js";

export interface Measurements {
  commands: CommandResult[];
  tests?: TestResults;
  coverage?: CoverageResults;
  audit?: AuditResults;
  bundle?: BundleResults;
  /** Reports a required glob did not find because a command failed first. */
  missing: string[];
}

/** One row per gate: each command, then tests, coverage, audit and bundle when configured. */
export function evaluate(settings: GateSettings, measured: Measurements): GateCheck[] {
  const enforced = (kind: GateCheck["kind"], name: string) => isEnforced(settings.failOn, kind, name);
  const checks: GateCheck[] = measured.commands.map((command) => ({
    kind: "command",
    name: command.name,
    measured: command.skipped ?? `exit ${command.exitCode ?? "killed"} in ${formatDuration(command.durationMs)}`,
    threshold: "exit 0",
    ok: command.exitCode === 0,
    enforced: enforced("command", command.name),
  }));
  const { tests, coverage, audit, bundle } = measured;
  if (tests) checks.push({ ...testsRow(tests, settings.allowNoTests), enforced: enforced("tests", "tests") });
  if (coverage) {
    const where = coverage.reports.map((report) => report.path).join(", ");
    checks.push({
      kind: "coverage",
      name: "coverage",
      // Nothing measured is not 100%: the row says so and fails.
      measured:
        coverage.percent === undefined ? `no coverage data in ${where}` : `${formatPercent(coverage.percent)} of ${coverage.lines} lines`,
      threshold: `≥ ${settings.minCoverage}%`,
      ok: coverage.percent !== undefined && coverage.percent >= settings.minCoverage,
      enforced: enforced("coverage", "coverage"),
    });
  }
  if (audit) {
    const limits = Object.entries(settings.maxVulnerabilities) as Array<[Severity, number]>;
    const shown = SEVERITIES.filter((level) => audit.counts[level] > 0)
      .reverse()
      .map((level) => `${level} ${audit.counts[level]}`);
    checks.push({
      kind: "audit",
      name: "audit",
      measured: shown.length ? shown.join(", ") : "no vulnerabilities",
      threshold: limits.length ? limits.map(([level, max]) => `${level} ≤ ${max}`).join(", ") : "report only",
      ok: limits.every(([level, max]) => audit.counts[level] <= max),
      enforced: enforced("audit", "audit"),
    });
  }
  if (bundle) {
    checks.push({
      kind: "bundle",
      name: "bundle",
      measured: `${formatSize(bundle.gzipBytes)} gzip (${bundle.files.length} file${bundle.files.length === 1 ? "" : "s"})`,
      threshold: settings.bundleBudget === undefined ? "report only" : `≤ ${formatSize(settings.bundleBudget)}`,
      ok: settings.bundleBudget === undefined || bundle.gzipBytes <= settings.bundleBudget,
      enforced: enforced("bundle", "bundle"),
    });
  }
  for (const input of measured.missing) {
    const kind = input === "junit" ? "tests" : input === "bundle" ? "bundle" : "coverage";
    checks.push({
      kind,
      name: kind,
      measured: `no ${input} report (a command failed before writing it)`,
      threshold: "a report",
      ok: false,
      enforced: enforced(kind, kind),
    });
  }
  return checks;
}

/** The tests row; a pass rate is only shown when a test ran, so the row never says 100% for nothing. */
function testsRow(tests: TestResults, allowNoTests: boolean): Omit<GateCheck, "enforced"> {
  const row = { kind: "tests", name: "tests", threshold: "100% pass rate" } as const;
  const ran = tests.total - tests.skipped;
  if (ran === 0) {
    const why = tests.total === 0 ? "no tests found" : `no test ran (${tests.skipped} skipped)`;
    return {
      ...row,
      measured: `${why} in ${tests.reports.join(", ")}${allowNoTests ? " (allowed by allow-no-tests)" : ""}`,
      ok: allowNoTests,
    };
  }
  const passed = ran - tests.failed;
  const extras = [
    tests.failed ? `${tests.failed} failed` : "",
    tests.skipped ? `${tests.skipped} skipped` : "",
    tests.flaky.length ? `${tests.flaky.length} flaky` : "",
  ].filter(Boolean);
  return {
    ...row,
    measured: `${passed}/${ran} passed (${formatPercent((passed / ran) * 100)})${extras.map((extra) => `, ${extra}`).join("")}`,
    ok: tests.failed === 0,
  };
}

export function gatePassed(checks: readonly GateCheck[]): boolean {
  return checks.every((check) => check.ok || !check.enforced);
}

/** Failing tests first (they are what a reviewer fixes), then files below the coverage threshold. */
export function annotationsFor(settings: GateSettings, measured: Measurements): GateAnnotation[] {
  const annotations: GateAnnotation[] = [];
  for (const failure of measured.tests?.failures ?? []) {
    if (!failure.file || !isPlaced(failure.file)) continue;
    annotations.push({
      path: failure.file,
      startLine: failure.line ?? 1,
      level: "failure",
      title: `${failure.kind === "error" ? "Error in" : "Failed"}: ${testTitle(failure)}`,
      message: failure.message,
      details: failure.details,
    });
  }
  const coverage = measured.coverage;
  if (coverage?.percent !== undefined && coverage.percent < settings.minCoverage) {
    const low = coverage.files.filter(
      (file) => !file.aggregate && isPlaced(file.path) && file.lines > 0 && (file.covered / file.lines) * 100 < settings.minCoverage,
    );
    low.sort((a, b) => a.covered / a.lines - b.covered / b.lines);
    for (const file of low) {
      annotations.push({
        path: file.path,
        startLine: 1,
        level: "warning",
        title: "Low coverage",
        message: `${formatPercent((file.covered / file.lines) * 100)} of ${file.lines} lines covered; the gate needs ${settings.minCoverage}% overall.`,
      });
    }
  }
  return annotations;
}

/** `suite › name`, leaving out a suite that is only the file's path (vitest) or already part of the name. */
export function testTitle(failure: FailedTest): string {
  const { suite, name } = failure;
  if (!suite || name.includes(suite) || suite === failure.file || /[/\\]/.test(suite)) return name;
  return `${suite} › ${name}`;
}

/** Only workspace-relative paths can carry an annotation; a path no tracked file matched is shown, not annotated. */
function isPlaced(path: string): boolean {
  return !isAbsolute(path) && !WorkspacePaths.isForeign(path) && !path.startsWith("../");
}

export function formatPercent(value: number): string {
  return `${(Math.floor(value * 100) / 100).toFixed(2).replace(/\.?0+$/, "")}%`;
}
