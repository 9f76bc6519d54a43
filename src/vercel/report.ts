import { formatDuration } from "../lib/duration.js";
import { table } from "../lib/summary.js";
import type { AliasResult } from "./aliases.js";
import type { DeployOutcome } from "./deploy.js";
import { formatBytes } from "./progress.js";
import type { PromoteResult } from "./promote.js";

export interface DeployReport {
  projectId: string;
  target: string;
  outcome: DeployOutcome;
  aliases: AliasResult[];
  durationMs: number;
  /** The failure, when the step fails (the deploy's or an alias's). */
  error?: string;
  warnings: string[];
  sha?: string;
}

const icon = (ok: boolean) => (ok ? "✅" : "❌");

/** The job summary of a deploy: one table, then what went wrong. The PR comment reuses it. */
export function deploySummary(report: DeployReport): string {
  const { outcome } = report;
  const files = outcome.files;
  const aliasCell = report.aliases.length
    ? report.aliases.map((result) => `${result.ok ? "" : "❌ "}https://${result.alias}`).join("\n")
    : "—";
  const rows = [
    [
      report.target,
      outcome.deployment?.url ?? "—",
      aliasCell,
      `${files.total} / ${files.uploaded} (${formatBytes(files.uploadedBytes)}) / ${files.deduplicated}`,
      formatDuration(report.durationMs),
      `${icon(!report.error)} ${outcome.state}`,
    ],
  ];
  const lines = [
    `### Vercel deploy of \`${report.projectId}\`${report.error ? " failed" : ""}\n`,
    table(["target", "URL", "aliases", "files (total / uploaded / deduplicated)", "duration", "state"], rows),
  ];
  if (outcome.deployment?.inspectorUrl) lines.push(`Inspect: ${outcome.deployment.inspectorUrl}\n`);
  if (outcome.upload.reason) lines.push(`${uploadLine(outcome)}\n`);
  if (outcome.attempts > 1) lines.push(`Took ${outcome.attempts} attempts (transient Vercel failures were retried).\n`);
  if (report.error) lines.push(`> ${report.error}\n`);
  for (const warning of report.warnings) lines.push(`> ⚠️ ${warning}\n`);
  return `${lines.join("\n")}\n`;
}

/** Which way the files went and why, e.g. "Uploaded as an archive (1 part): 15200 files, more than …". */
function uploadLine(outcome: DeployOutcome): string {
  const parts = outcome.files.unique;
  const how =
    outcome.upload.mode === "archive"
      ? `Uploaded as an archive (${parts} part${parts === 1 ? "" : "s"} of .vercel/source.tgz)`
      : "Uploaded file by file";
  return `${how}: ${outcome.upload.reason}.`;
}

export function promoteSummary(projectId: string, result: PromoteResult | undefined, durationMs: number, error?: string): string {
  const verb = result?.command === "rollback" ? "rollback" : "promote";
  const rows = [
    [
      verb,
      result ? `${result.deploymentId} (${result.url})` : "—",
      result?.previousDeploymentId ?? "—",
      formatDuration(durationMs),
      error ? "❌ failed" : result?.alreadyLive ? "✅ already live" : "✅ live",
    ],
  ];
  const lines = [`### Vercel ${verb} of \`${projectId}\`\n`, table(["command", "now live", "live before", "duration", "state"], rows)];
  if (error) lines.push(`> ${error}\n`);
  return `${lines.join("\n")}\n`;
}
