import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AuditRecordFile, recordDigest } from "../lib/audit-record.js";
import type { CountedApprover, Decision } from "./evaluate.js";
import type { ApprovalSettings } from "./settings.js";

export const RECORD_SCHEMA = "launchpad/approval-record@1";

export interface RecordContext {
  repository: string;
  sha: string;
  initiator: string;
  recordedAt: string;
  runUrl?: string;
}

/** The audit record: what was promoted, by whom, on whose approval, with which evidence; `digest` seals the rest. */
export function buildRecord(settings: ApprovalSettings, decision: Decision, context: RecordContext): AuditRecordFile {
  const fields = {
    schema: RECORD_SCHEMA,
    repository: context.repository,
    environment: settings.environment,
    sha: context.sha,
    version: settings.version ?? null,
    initiator: context.initiator,
    recordedAt: context.recordedAt,
    requiredApprovals: settings.requiredApprovals,
    approvers: decision.counted.map(recordApprover),
    checks: decision.checks.map((check) => ({
      name: check.name,
      conclusion: check.conclusion,
      url: check.url ?? null,
      at: check.at ?? null,
    })),
    staging: decision.staging.found
      ? { deploymentId: decision.staging.found.deploymentId, status: decision.staging.found.state, at: decision.staging.found.at ?? null }
      : null,
    changeTicket: settings.changeTicket ?? null,
    runUrl: context.runUrl ?? null,
  };
  return { ...fields, digest: recordDigest(fields) };
}

function recordApprover(approver: CountedApprover): Record<string, unknown> {
  return { login: approver.login, channel: approver.channel, at: approver.at, via: approver.via, pull: approver.pull ?? null };
}

/** Writes the record as pretty JSON (the digest is over the canonical form, so layout does not matter). */
export function writeRecordFile(dir: string, record: AuditRecordFile): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `approval-record-${record.environment}-${record.sha.slice(0, 12)}.json`);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** The deployment description: short (GitHub shows it in one line) and carrying the digest. */
export function recordDescription(digest: string): string {
  return `launchpad approval record sha256:${digest}`;
}

export function digestFromDescription(description: string | undefined): string | undefined {
  return /sha256:([0-9a-f]{64})/.exec(description ?? "")?.[1];
}
