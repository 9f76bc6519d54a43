import { table } from "../lib/summary.js";
import type { RuleRow, RuleState, Verdict } from "./model.js";

const STATE: Record<RuleState, string> = {
  met: "✅ met",
  missing: "❌ missing",
  violated: "❌ violated",
  waived: "➖ waived",
  skipped: "➖ not checked",
};

/** The hidden marker that finds our sticky comment again; one per check name. */
export function commentMarker(checkName: string): string {
  return `<!-- launchpad-compliance: ${checkName} -->`;
}

export function headline(verdict: Verdict): string {
  const failing = verdict.rows.filter((row) => row.state === "missing" || row.state === "violated").length;
  if (verdict.passed) return `all ${verdict.rows.length} compliance rules met`;
  return `${failing} of ${verdict.rows.length} compliance rules not met`;
}

/** The table of every rule, for the job summary, the check run and the report file. */
export function renderReport(verdict: Verdict, checkName: string, extraNotes: readonly string[] = []): string {
  const rows = verdict.rows.map((row) => [row.kind, row.rule, STATE[row.state], row.detail]);
  const counts = `Unticked items: ${verdict.unchecked} · disclosure violations: ${verdict.violations} · approvals still needed: ${verdict.missingReviews}`;
  const body = rows.length ? table(["kind", "rule", "state", "detail"], rows) : "_No rules apply to this pull request._\n";
  const notes = [...verdict.notes, ...extraNotes].map((note) => `> ${note}`).join("\n>\n");
  return `### ${checkName}: ${verdict.passed ? "✅" : "❌"} ${headline(verdict)}\n\n${counts}\n\n${body}${notes ? `\n${notes}\n` : ""}`;
}

/** The sticky comment: only what is still missing, or that everything is met. */
export function renderComment(verdict: Verdict, checkName: string): string {
  if (verdict.passed)
    return `### ✅ ${checkName}: everything is met\n\nEvery checklist item, section, disclosure and review this PR needs is in place.\n`;
  const open = verdict.rows.filter((row) => row.state === "missing" || row.state === "violated");
  const items = open.map((row: RuleRow) => `- **${row.kind}**: ${row.rule} (${row.detail})`);
  return `### ❌ ${checkName}: ${open.length} still missing\n\n${items.join("\n")}\n\nThis comment is updated on every run.\n`;
}
