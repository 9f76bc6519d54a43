import type { AuditRecordFile } from "../lib/audit-record.js";
import { table, verdict } from "../lib/summary.js";
import { channelName, type Decision, short } from "./evaluate.js";
import type { ApprovalSettings } from "./settings.js";

/** The job summary: one row per requirement, who did not count and why, and the record when one was made. */
export function approvalSummary(
  settings: ApprovalSettings,
  sha: string,
  decision: Decision,
  recorded?: { record: AuditRecordFile; deploymentId: number; path: string },
): string {
  const heading = decision.approved
    ? `### ✅ Promotion of ${short(sha)} to ${settings.environment} approved`
    : `### ❌ Promotion of ${short(sha)} to ${settings.environment} refused`;
  const sections = [heading, "", requirementsTable(settings, decision)];
  if (decision.notCounted.length) {
    sections.push(
      "**Not counted**",
      "",
      table(
        ["person", "why"],
        decision.notCounted.map((entry) => [entry.login, entry.reason]),
      ),
    );
  }
  if (recorded) sections.push("**Audit record**", "", recordTable(recorded.record, recorded.deploymentId, recorded.path));
  return sections.join("\n");
}

function requirementsTable(settings: ApprovalSettings, decision: Decision): string {
  const approvals = decision.counted.map((approver) => `${approver.login} (${channelName(approver)}, as ${approver.via})`).join(", ");
  const rows: unknown[][] = [
    [
      `approvals (${settings.requiredApprovals} needed)`,
      decision.missing ? `${approvals || "none"}; ${decision.missing.count} more needed from ${decision.missing.from}` : approvals,
      verdict(!decision.missing),
    ],
  ];
  for (const check of decision.checks)
    rows.push([
      `check ${check.name}`,
      check.url && check.ok ? `${check.conclusion} (${check.url})` : (check.problem ?? check.conclusion),
      verdict(check.ok),
    ]);
  if (decision.staging.required) {
    const found = decision.staging.found;
    rows.push([
      "staging deployment",
      decision.staging.problem ?? (found ? `deployment ${found.deploymentId}: ${found.state} at ${found.at ?? "unknown time"}` : ""),
      verdict(decision.staging.ok),
    ]);
  }
  rows.push(["change ticket", settings.changeTicket ?? "not required outside production", verdict(true)]);
  return table(["requirement", "found", "verdict"], rows);
}

export function recordTable(record: AuditRecordFile, deploymentId: number | undefined, path?: string): string {
  const approvers = (record.approvers as Array<{ login: string; channel: string; at: string }> | undefined) ?? [];
  const checks = (record.checks as Array<{ name: string; conclusion: string }> | undefined) ?? [];
  const staging = record.staging as { deploymentId: number; status: string; at: string | null } | null;
  const rows: unknown[][] = [
    ["environment", record.environment],
    ["commit", record.sha],
    ["version", record.version ?? "—"],
    ["initiator", record.initiator],
    ["recorded at", record.recordedAt],
    ["approvers", approvers.map((approver) => `${approver.login} (${approver.channel}, ${approver.at})`).join("<br>")],
    ["checks", checks.map((check) => `${check.name}: ${check.conclusion}`).join("<br>")],
    ["staging", staging ? `deployment ${staging.deploymentId} ${staging.status} at ${staging.at ?? "unknown time"}` : "not required"],
    ["change ticket", record.changeTicket ?? "—"],
    ["run", record.runUrl ?? "—"],
    ["deployment", deploymentId ?? "—"],
    ["digest (sha256)", record.digest],
  ];
  if (path) rows.push(["file", path]);
  return table(["field", "value"], rows);
}
