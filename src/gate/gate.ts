import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CheckRunTarget, type PublishResult, publishCheckRun } from "../lib/check-run.js";
import type { GitHubClient } from "../lib/github.js";
import type { Logger } from "../lib/logger.js";
import { LIMITS, truncateBytes } from "../lib/summary.js";
import { collectAudit } from "./audit.js";
import { measureBundle } from "./bundle.js";
import { checkBeforeRunning } from "./checks.js";
import { runCommands } from "./commands.js";
import { annotationsFor, evaluate, formatPercent, gatePassed, type Measurements } from "./evaluate.js";
import type { GateAnnotation, GateCheck } from "./model.js";
import { WorkspacePaths } from "./paths.js";
import { collectCoverage, collectTests } from "./reports.js";
import { type GateSettings, OUTPUTS } from "./settings.js";
import { headline, renderDetails, renderTable } from "./summary.js";

/** Step annotations written to the log; GitHub displays only the first 10 of each level, more is only noise. */
const STEP_ANNOTATIONS = 50;

export interface GateDeps {
  logger: Logger;
  signal?: AbortSignal;
  /** The environment commands and audits run with. */
  env: NodeJS.ProcessEnv;
  /** Absent without a token: results go to the job summary and step annotations only. */
  github?: GitHubClient;
  /** Where the check run goes; absent outside a repository (CLI on a laptop). */
  target?: Omit<CheckRunTarget, "name">;
  /** Directory for the markdown report (RUNNER_TEMP in the action). */
  reportDir: string;
  /** Hides registered secrets in everything written outside the log: summary, report file, check run. */
  redact?: (text: string) => string;
}

export interface GateResult {
  passed: boolean;
  headline: string;
  checks: GateCheck[];
  measured: Measurements;
  annotations: GateAnnotation[];
  publish?: PublishResult;
  summary: string;
  reportPath: string;
  outputs: Record<(typeof OUTPUTS)[keyof typeof OUTPUTS], string>;
}

/** Runs the commands, reads every report into one model, judges each gate and publishes the verdict. */
export async function runGate(settings: GateSettings, deps: GateDeps): Promise<GateResult> {
  const { logger } = deps;
  const redact = deps.redact ?? ((text: string) => text);
  await checkBeforeRunning(settings);
  const commands = await runCommands(settings.commands, settings.workingDirectory, deps);
  // When a command failed, its report may be missing: that is a failed gate, not a configuration mistake.
  const commandFailed = commands.some((command) => command.exitCode !== 0);
  const places = {
    workingDirectory: settings.workingDirectory,
    workspace: settings.workspace,
    paths: new WorkspacePaths(settings.workspace),
  };
  const tests = await collectTests(settings.junit, places, commandFailed);
  const coverage = await collectCoverage(settings.coverage, places, commandFailed);
  const audit = await collectAudit(settings.audit, settings.workingDirectory, deps);
  const bundle = await measureBundle(settings.bundle, settings.workingDirectory, settings.workspace, commandFailed);
  const missing = [
    ...(settings.junit.length && !tests ? ["junit"] : []),
    ...(settings.coverage.length && !coverage ? ["coverage"] : []),
    ...(settings.bundle.length && !bundle ? ["bundle"] : []),
  ];
  const measured: Measurements = { commands, tests, coverage, audit, bundle, missing };

  const checks = evaluate(settings, measured);
  const passed = gatePassed(checks);
  const title = headline(checks, passed);
  const annotations = annotationsFor(settings, measured).map((annotation) => ({
    ...annotation,
    title: redact(annotation.title),
    message: redact(annotation.message),
    details: annotation.details && redact(annotation.details),
  }));
  const notes: string[] = [];
  let publish: PublishResult | undefined;
  if (deps.github && deps.target) {
    const content = { conclusion: passed ? "success" : "failure", title, annotations } as const;
    const summary = redact(renderTable(settings.checkName, checks, passed, []));
    publish = await publishCheckRun(
      deps.github,
      { ...deps.target, name: settings.checkName },
      { ...content, summary, text: redact(renderDetails(measured)) },
      logger,
    );
    if (publish.note) notes.push(publish.note);
    if (publish.url) notes.push(`Check run: ${publish.url}`);
  } else {
    notes.push(
      deps.github
        ? "No repository or commit in this context: no check run was created."
        : "No github-token given: no check run was created.",
    );
  }
  if (!publish?.published) emitStepAnnotations(annotations, logger, notes);

  const summary = redact(`${renderTable(settings.checkName, checks, passed, notes)}\n${renderDetails(measured)}`);
  await mkdir(deps.reportDir, { recursive: true });
  const reportPath = join(deps.reportDir, `${settings.checkName.replace(/[^\w.-]+/g, "-")}-report.md`);
  await writeFile(reportPath, truncateBytes(summary, LIMITS.jobSummaryBytes));
  return {
    passed,
    headline: title,
    checks,
    measured,
    annotations,
    publish,
    summary,
    reportPath,
    outputs: outputsOf(passed, measured, reportPath),
  };
}

function emitStepAnnotations(annotations: readonly GateAnnotation[], logger: Logger, notes: string[]): void {
  for (const annotation of annotations.slice(0, STEP_ANNOTATIONS)) {
    const where = { file: annotation.path, startLine: annotation.startLine, title: annotation.title };
    if (annotation.level === "failure") logger.error(annotation.message, where);
    else logger.warning(annotation.message, where);
  }
  if (annotations.length > LIMITS.annotationsShownPerLevel) {
    notes.push(
      `GitHub shows the first ${LIMITS.annotationsShownPerLevel} annotations of each level on a step; the table below lists the failing tests.`,
    );
  }
}

function outputsOf(passed: boolean, measured: Measurements, reportPath: string): GateResult["outputs"] {
  const { tests, coverage, audit, bundle } = measured;
  return {
    [OUTPUTS.passed]: String(passed),
    [OUTPUTS.testsTotal]: tests ? String(tests.total) : "",
    [OUTPUTS.testsFailed]: tests ? String(tests.failed) : "",
    [OUTPUTS.testsSkipped]: tests ? String(tests.skipped) : "",
    [OUTPUTS.coverage]: coverage?.percent !== undefined ? formatPercent(coverage.percent).replace("%", "") : "",
    [OUTPUTS.vulnerabilities]: audit ? String(audit.total) : "",
    [OUTPUTS.bundleSize]: bundle ? String(bundle.gzipBytes) : "",
    [OUTPUTS.report]: reportPath,
  };
}
