import { type AuditRecordFile, hasValidDigest, recordDigest } from "../lib/audit-record.js";
import type { ApprovalApi } from "./github.js";
import { digestFromDescription, RECORD_SCHEMA } from "./record.js";
import { recordTable } from "./summary.js";

export interface RecordVerification {
  ok: boolean;
  deploymentId: number;
  /** Every way the stored record fails to hold, as sentences; empty when it verifies. */
  problems: string[];
  record?: AuditRecordFile;
  markdown: string;
}

/** Re-reads a deployment's payload and checks it against its digest, its description and the deployment itself. */
export async function verifyDeploymentRecord(api: ApprovalApi, deploymentId: number): Promise<RecordVerification> {
  const deployment = await api.deployment(deploymentId);
  const record = asRecord(deployment.payload);
  if (!record) {
    const problems = [`deployment ${deploymentId} carries no approval record in its payload`];
    return { ok: false, deploymentId, problems, markdown: `> ${problems[0]}.\n` };
  }
  const problems: string[] = [];
  if (record.schema !== RECORD_SCHEMA) problems.push(`the payload's schema is ${JSON.stringify(record.schema)}, not ${RECORD_SCHEMA}`);
  if (!hasValidDigest(record)) {
    problems.push(
      `the payload's digest ${String(record.digest).slice(0, 12)}… does not match its content (sha256 ${recordDigest(record).slice(0, 12)}…): the record was edited`,
    );
  }
  const described = digestFromDescription(deployment.description);
  if (described !== record.digest) problems.push(`the deployment description carries digest ${described ?? "none"}, not the payload's`);
  if (deployment.sha && record.sha !== deployment.sha)
    problems.push(`the record names commit ${record.sha}, but the deployment is of ${deployment.sha}`);
  if (deployment.environment && record.environment !== deployment.environment) {
    problems.push(`the record names environment ${record.environment}, but the deployment is to ${deployment.environment}`);
  }
  const ok = problems.length === 0;
  const verdictLine = ok
    ? `✅ The record of deployment ${deploymentId} verifies: sha256:${record.digest}.`
    : `❌ The record of deployment ${deploymentId} does not verify: ${problems.join("; ")}.`;
  return { ok, deploymentId, problems, record, markdown: `${verdictLine}\n\n${recordTable(record, deploymentId)}` };
}

/** A payload is stored as given: an object, or a JSON string of one. */
function asRecord(payload: unknown): AuditRecordFile | undefined {
  let value = payload;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  return typeof record.sha === "string" && typeof record.environment === "string" && "digest" in record
    ? (record as AuditRecordFile)
    : undefined;
}
