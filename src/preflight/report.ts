import { formatDuration } from "../lib/duration.js";
import { table } from "../lib/summary.js";
import type { Plan, PlanRequest } from "../plan/types.js";

export interface StepRow {
  name: string;
  verdict: "pass" | "fail" | "skipped";
  headline: string;
  ms: number;
  /** The step's own summary markdown, when it ran. */
  markdown?: string;
  /** `secrets.*` / `vars.*` the step read that are not set locally. */
  missing: string[];
}

export interface JobReport {
  title: string;
  rows: StepRow[];
}

const VERDICTS: Record<StepRow["verdict"], string> = { pass: "✅ pass", fail: "❌ fail", skipped: "⏭️ skipped" };

function describe(request: Pick<PlanRequest, "event" | "ref">): string {
  return request.event === "pull_request" ? `pull_request into \`${request.ref}\`` : `${request.event} on \`${request.ref}\``;
}

function resultCell(row: StepRow): string {
  const missing = row.missing.length ? ` (not set locally: ${row.missing.map((name) => `\`${name}\``).join(", ")})` : "";
  return row.headline + missing;
}

/** One table per job, then each step's own summary; the missing values listed once, above. */
export function renderReport(report: {
  request: Pick<PlanRequest, "event" | "ref">;
  jobs: JobReport[];
  missing: string[];
  untriggered: Plan["untriggered"];
}): string {
  const rows = report.jobs.flatMap((job) => job.rows);
  const ran = rows.filter((row) => row.verdict !== "skipped").length;
  const failed = rows.filter((row) => row.verdict === "fail").length;
  const parts = [
    "# Launchpad preflight\n",
    `${describe(report.request)}: ${report.jobs.length} jobs; ${ran} Launchpad steps ran locally, ${failed} failed, ${rows.length - ran} skipped.\n`,
  ];
  if (report.missing.length)
    parts.push(`Not set locally, so evaluated to empty: ${report.missing.map((name) => `\`${name}\``).join(", ")}.\n`);
  for (const job of report.jobs) {
    parts.push(`## ${job.title}\n`);
    parts.push(
      table(
        ["step", "verdict", "result", "took"],
        job.rows.map((row) => [row.name, VERDICTS[row.verdict], resultCell(row), formatDuration(row.ms)]),
      ),
    );
    for (const row of job.rows) if (row.markdown) parts.push(`### ${row.name}\n\n${row.markdown.trimEnd()}\n`);
  }
  if (report.untriggered.length)
    parts.push(`Not started by this event: ${report.untriggered.map((item) => `\`${item.workflow}\` (${item.reason})`).join("; ")}.\n`);
  return parts.join("\n");
}
