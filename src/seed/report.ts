import { table } from "../lib/summary.js";
import type { SeedCommand } from "./seed.js";
import type { ManifestEntry } from "./snapshot.js";
import type { HistoryEntry } from "./store.js";
import { type Diagnostic, type DriftItem, formatPlaceText, type TableCounts } from "./types.js";

export interface PlannedChange {
  table: string;
  key: string[];
  action: "insert" | "update" | "delete";
  columns?: string[];
}

/** Everything a seed command found or did, before it is rendered. */
export interface SeedReport {
  command: SeedCommand;
  /** The environment this run is for. */
  env?: string;
  where?: string;
  runId?: string;
  rolledBackTo?: string;
  digest?: string;
  manifests?: ManifestEntry[];
  tables: TableCounts[];
  drift: DriftItem[];
  changes: PlannedChange[];
  diagnostics: Diagnostic[];
  /** Migrations applied by apply, or pending for plan and verify. */
  migrations: string[];
  history?: HistoryEntry[];
  /** Manifests scoped to other environments with `environments:`, not touched by this run. */
  skipped?: Array<{ file: string; table: string; environments: string[] }>;
  /** verify: the last succeeded apply or rollback, for the success gauge's run_id tag. */
  lastRunId?: string;
  /** apply: the run whose files and tables were found unchanged, so no row was read or compared again. */
  unchangedSince?: string;
  /** Whether the Datadog success gauge went out, when it was configured. */
  gauge?: "submitted" | "failed";
}

/** Rows shown per detail table; the counts above them are always complete. */
const DETAIL_ROWS = 200;

export function renderSummary(report: SeedReport): string {
  const parts = [`### Seed ${report.command}${report.where ? ` on ${report.where}` : ""}\n`];
  const facts: string[] = [];
  if (report.runId) facts.push(`run \`${report.runId}\``);
  if (report.rolledBackTo) facts.push(`rolled back to run \`${report.rolledBackTo}\``);
  if (report.digest && report.command !== "history") facts.push(`manifest digest \`${report.digest.slice(0, 16)}\``);
  if (facts.length) parts.push(`${facts.join(" · ")}\n`);
  if (report.command === "lint" || report.diagnostics.length) parts.push(renderDiagnostics(report));
  if (report.migrations.length) {
    const label = report.command === "apply" ? "Applied migrations" : "Pending migrations";
    parts.push(`${label}: ${report.migrations.map((name) => `\`${name}\``).join(", ")}\n`);
  }
  if (report.skipped?.length) parts.push(renderSkipped(report.skipped, report.env));
  if (report.unchangedSince)
    parts.push(
      `The manifest files are byte for byte those of run \`${report.unchangedSince}\`, and its tables are untouched since: nothing to write, so no row was compared again (\`verify\` compares every row).\n`,
    );
  if (report.tables.length) parts.push(renderCounts(report));
  if (report.command === "plan" && report.tables.length) parts.push(renderChanges(report.changes));
  if (report.command === "verify") parts.push(renderDrift(report.drift));
  if (report.history) parts.push(renderHistory(report.history));
  if (report.gauge === "submitted") parts.push("Datadog: `seed.last_success_timestamp` submitted.\n");
  if (report.gauge === "failed")
    parts.push("⚠️ Datadog: `seed.last_success_timestamp` could not be submitted; see the warning in the log.\n");
  return parts.join("\n");
}

function renderSkipped(skipped: NonNullable<SeedReport["skipped"]>, env = ""): string {
  const items = skipped.map((item) => `\`${item.file}\` (${item.table}; environments: ${item.environments.join(", ")})`);
  return `Skipped in \`${env}\` (not listed in their environments): ${items.join(", ")}\n`;
}

function renderDiagnostics(report: SeedReport): string {
  if (!report.diagnostics.length) return `✅ ${report.manifests?.length ?? 0} manifests passed lint.\n`;
  const rows = report.diagnostics.slice(0, DETAIL_ROWS).map((problem) => [formatPlaceText(problem), problem.message]);
  return `❌ ${report.diagnostics.length} lint problems\n\n${table(["where", "problem"], rows)}${more(report.diagnostics.length)}`;
}

function renderCounts(report: SeedReport): string {
  if (report.command === "verify") {
    const rows = report.tables.map((counts) => {
      const drift = report.drift.filter((item) => item.table === counts.table);
      const count = (kind: DriftItem["kind"]) => drift.filter((item) => item.kind === kind).length;
      return [counts.table, count("missing"), count("extra"), count("changed"), counts.unchanged];
    });
    return table(["table", "missing", "extra", "changed", "matching"], rows);
  }
  const heading =
    report.command === "plan"
      ? ["table", "to insert", "to update", "to delete", "unchanged"]
      : ["table", "inserted", "updated", "deleted", "unchanged"];
  const rows = report.tables.map((counts) => [counts.table, counts.inserted, counts.updated, counts.deleted, counts.unchanged]);
  const note = report.command === "plan" ? "\nNothing was written.\n" : "";
  return table(heading, rows) + note;
}

function renderChanges(changes: readonly PlannedChange[]): string {
  if (!changes.length) return "No changes: apply would write nothing.\n";
  const rows = changes
    .slice(0, DETAIL_ROWS)
    .map((change) => [change.table, change.key.join(", "), change.action, change.columns?.join(", ")]);
  return `\n${table(["table", "key", "action", "columns"], rows)}${more(changes.length)}`;
}

function renderDrift(drift: readonly DriftItem[]): string {
  if (!drift.length) return "\n✅ No drift: the database matches the manifests.\n";
  const rows = drift.slice(0, DETAIL_ROWS).map((item) => [item.table, item.key.join(", "), item.kind, item.columns?.join(", ")]);
  return `\n❌ ${drift.length} rows drifted\n\n${table(["table", "key", "drift", "columns"], rows)}${more(drift.length)}`;
}

function renderHistory(history: readonly HistoryEntry[]): string {
  if (!history.length) return "No seed runs recorded yet.\n";
  const rows = history.map((entry) => [
    entry.runId,
    entry.command + (entry.rollbackOf ? ` → ${entry.rollbackOf}` : ""),
    entry.status,
    entry.env,
    entry.gitSha?.slice(0, 7),
    entry.operator,
    entry.counts ? `+${entry.counts.inserted} ~${entry.counts.updated} -${entry.counts.deleted} =${entry.counts.unchanged}` : entry.error,
    entry.digest?.slice(0, 12),
    entry.startedAt,
  ]);
  return table(["run", "command", "status", "env", "sha", "operator", "rows / error", "digest", "started"], rows);
}

function more(total: number): string {
  return total > DETAIL_ROWS ? `\n…and ${total - DETAIL_ROWS} more.\n` : "";
}
