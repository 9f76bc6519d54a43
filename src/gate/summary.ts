import { cell, table } from "../lib/summary.js";
import { type Measurements, testTitle } from "./evaluate.js";
import type { GateCheck } from "./model.js";
import { formatSize } from "./size.js";

const FAILED_TESTS_SHOWN = 100;
const FINDINGS_SHOWN = 30;

function verdictCell(check: GateCheck): string {
  if (check.ok) return "✅ pass";
  return check.enforced ? "❌ fail" : "⚠️ fail (not enforced)";
}

/** The headline: which gates failed, in one line, for the check run title and the action's failure message. */
export function headline(checks: readonly GateCheck[], passed: boolean): string {
  const failing = checks.filter((check) => !check.ok);
  if (failing.length === 0) return `All ${checks.length} gates passed`;
  const names = failing.map((check) => check.name).join(", ");
  return passed
    ? `Passed; not enforced: ${names} failed`
    : `${failing.filter((check) => check.enforced).length} of ${checks.length} gates failed: ${names}`;
}

/** The top of the job summary and the check run's summary: one row per gate, then notes. */
export function renderTable(title: string, checks: readonly GateCheck[], passed: boolean, notes: readonly string[]): string {
  const parts = [`## ${passed ? "✅" : "❌"} ${title}: ${headline(checks, passed)}\n`];
  parts.push(
    table(
      ["gate", "measured", "threshold", "verdict"],
      checks.map((check) => [check.name, check.measured, check.threshold, verdictCell(check)]),
    ),
  );
  for (const note of notes) parts.push(`> ${note}\n`);
  return parts.join("\n");
}

/** What failed, below the table (tests, command output, findings, largest assets); also the check run's `text`. */
export function renderDetails(measured: Measurements): string {
  const parts: string[] = [];
  const failures = measured.tests?.failures ?? [];
  if (failures.length) {
    parts.push(`### Failing tests (${failures.length})\n`);
    const rows = failures
      .slice(0, FAILED_TESTS_SHOWN)
      .map((failure) => [
        testTitle(failure),
        failure.file ? `${failure.file}${failure.line ? `:${failure.line}` : ""}` : "",
        failure.message,
      ]);
    parts.push(table(["test", "where", "message"], rows));
    if (failures.length > FAILED_TESTS_SHOWN) parts.push(`…and ${failures.length - FAILED_TESTS_SHOWN} more failing tests.\n`);
  }
  for (const command of measured.commands.filter((result) => result.exitCode !== 0 && result.tail.length)) {
    parts.push(
      `### \`${cell(command.name)}\` failed (exit ${command.exitCode ?? "killed"})\n\n\`\`\`text\n${command.tail.join("\n").replace(/```/g, "ʼʼʼ")}\n\`\`\`\n`,
    );
  }
  const audit = measured.audit;
  if (audit?.findings.length) {
    parts.push(`### Vulnerabilities (${audit.total})\n`);
    parts.push(
      table(
        ["package", "severity", "advisory"],
        audit.findings
          .slice(0, FINDINGS_SHOWN)
          .map((finding) => [
            finding.name,
            finding.severity,
            finding.url ? `[${finding.title ?? finding.url}](${finding.url})` : finding.title,
          ]),
      ),
    );
  }
  const flaky = measured.tests?.flaky ?? [];
  if (flaky.length) {
    parts.push(`### Flaky tests (${flaky.length}): failed, then passed on a rerun\n`);
    parts.push(
      table(
        ["test"],
        flaky.slice(0, FAILED_TESTS_SHOWN).map((test) => [test.suite ? `${test.suite} › ${test.name}` : test.name]),
      ),
    );
  }
  const coverage = measured.coverage;
  if (coverage) {
    parts.push(`Coverage from ${coverage.reports.map((report) => `\`${report.path}\` (${report.format})`).join(", ")}.\n`);
    for (const note of coverage.notes) parts.push(`> ${note}\n`);
  }
  const bundle = measured.bundle;
  if (bundle?.files.length) {
    parts.push(`### Bundle (${formatSize(bundle.gzipBytes)} gzip, ${formatSize(bundle.bytes)} raw)\n`);
    parts.push(
      table(
        ["file", "raw", "gzip"],
        bundle.files.slice(0, 10).map((file) => [file.path, formatSize(file.bytes), formatSize(file.gzipBytes)]),
      ),
    );
  }
  return parts.join("\n");
}
