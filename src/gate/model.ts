/** The one model every report is parsed into, so evaluation and the summary never see a file format. */

import type { CheckAnnotation } from "../lib/check-run.js";

export interface GateCommand {
  name: string;
  command: string;
  /** Line of the `commands` input it came from, for error messages. */
  line: number;
}

export interface CommandResult {
  name: string;
  command: string;
  /** null when the process was killed by a signal or never started. */
  exitCode: number | null;
  durationMs: number;
  /** The last lines of output, ANSI colours removed, for the summary of a failing command. */
  tail: string[];
  /** Set when the command could not run at all (e.g. cancelled before its turn). */
  skipped?: string;
}

export interface FailedTest {
  name: string;
  suite: string;
  /** Repository-relative path when the report says where the test lives. */
  file?: string;
  line?: number;
  message: string;
  details?: string;
  /** `error` for a crash (JUnit <error>), `failure` for a failed assertion. */
  kind: "failure" | "error";
}

export interface TestResults {
  total: number;
  failed: number;
  skipped: number;
  /** Reports that were read, repository-relative. */
  reports: string[];
  failures: FailedTest[];
  /** Tests that failed, then passed on a rerun: counted as passed, listed in the summary. */
  flaky: Array<{ name: string; suite: string }>;
}

export interface CoverageFile {
  path: string;
  lines: number;
  covered: number;
  /** Line → covered, when the format has line data (lcov DA, cobertura `<line>`, coverage-final.json): merged per line. */
  byLine?: Map<number, boolean>;
  /** A report's totals standing in for files it does not list: no place to annotate. */
  aggregate?: boolean;
}

export interface CoverageResults {
  lines: number;
  covered: number;
  /** Percent of lines covered, 0–100; undefined when no report measured any line ("no coverage data"). */
  percent?: number;
  reports: Array<{ path: string; format: CoverageFormat }>;
  files: CoverageFile[];
  /** What the merge could not do exactly, e.g. summary-only reports of the same file. */
  notes: string[];
}

export type CoverageFormat = "istanbul-summary" | "istanbul-final" | "lcov" | "cobertura";

export const SEVERITIES = ["info", "low", "moderate", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AuditFinding {
  name: string;
  severity: Severity;
  title?: string;
  url?: string;
}

export interface AuditResults {
  source: string;
  counts: Record<Severity, number>;
  total: number;
  findings: AuditFinding[];
}

export interface BundleFile {
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleResults {
  files: BundleFile[];
  bytes: number;
  gzipBytes: number;
}

export type GateKind = "command" | "tests" | "coverage" | "audit" | "bundle";

/** One row of the summary table: what was measured against which threshold. */
export interface GateCheck {
  kind: GateKind;
  name: string;
  measured: string;
  threshold: string;
  ok: boolean;
  /** False when `fail-on` leaves this gate out: it is reported but does not fail the run. */
  enforced: boolean;
}

/** The gate's annotations are check-run annotations (src/lib/check-run.ts). */
export type GateAnnotation = CheckAnnotation;
