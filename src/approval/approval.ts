import type { AuditRecordFile } from "../lib/audit-record.js";
import { ConfigurationError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { type Decision, decide, type Facts, short } from "./evaluate.js";
import type { ApprovalApi, Repo } from "./github.js";
import { buildRecord, recordDescription, writeRecordFile } from "./record.js";
import { type ApprovalSettings, type ApproverRule, describeRule, INPUTS, OUTPUTS, STAGING_ENVIRONMENT } from "./settings.js";
import { approvalSummary } from "./summary.js";

export interface ApprovalRunContext {
  repo: Repo;
  actor: string;
  eventName: string;
  runId?: number;
  runUrl?: string;
}

export interface ApprovalDeps {
  api: ApprovalApi;
  context: ApprovalRunContext;
  logger: Logger;
  /** Where the record file is written. */
  recordDir: string;
  now?: () => Date;
}

export interface ApprovalResult {
  approved: boolean;
  sha: string;
  decision: Decision;
  record?: AuditRecordFile;
  recordPath?: string;
  deploymentId?: number;
  /** One sentence: what was recorded, or everything that is missing. */
  message: string;
  summary: string;
  outputs: Record<string, string>;
}

/**
 * The promotion gate: resolves the commit, checks the approver rules against GitHub (all before any write), reads
 * the approvals, checks and staging deployment that already exist, and records the promotion only when all hold.
 */
export async function runApproval(settings: ApprovalSettings, deps: ApprovalDeps): Promise<ApprovalResult> {
  const { api, logger } = deps;
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const sha = await resolveCommit(settings, api);
  logger.info(`Promoting ${sha} to ${settings.environment}${settings.version ? ` (${settings.version})` : ""}.`);
  const pool = await approverPool(settings, api);
  const facts = await gatherFacts(settings, deps, sha, pool, now);
  const decision = await decide(settings, facts);

  if (!decision.approved) {
    const message = `Promotion of ${short(sha)} to ${settings.environment} refused: ${decision.problems.join("; ")}.`;
    return {
      approved: false,
      sha,
      decision,
      message,
      summary: approvalSummary(settings, sha, decision),
      outputs: { [OUTPUTS.approved]: "false", [OUTPUTS.approvers]: decision.counted.map((a) => a.login).join(",") },
    };
  }
  const record = buildRecord(settings, decision, {
    repository: `${deps.context.repo.owner}/${deps.context.repo.repo}`,
    sha,
    initiator: deps.context.actor,
    recordedAt: now,
    runUrl: deps.context.runUrl,
  });
  const { id } = await api.createDeployment({
    sha,
    environment: settings.environment,
    payload: record,
    description: recordDescription(record.digest),
  });
  const recordPath = writeRecordFile(deps.recordDir, record);
  const logins = decision.counted.map((approver) => approver.login);
  logger.info(`Recorded deployment ${id} with audit record sha256:${record.digest}.`);
  return {
    approved: true,
    sha,
    decision,
    record,
    recordPath,
    deploymentId: id,
    message: `Promotion of ${short(sha)} to ${settings.environment} approved by ${logins.join(", ")}; deployment ${id}.`,
    summary: approvalSummary(settings, sha, decision, { record, deploymentId: id, path: recordPath }),
    outputs: {
      [OUTPUTS.approved]: "true",
      [OUTPUTS.approvers]: logins.join(","),
      [OUTPUTS.deploymentId]: String(id),
      [OUTPUTS.record]: recordPath,
      [OUTPUTS.recordDigest]: record.digest,
    },
  };
}

/** The tag's commit, which must agree with an explicit `sha`; otherwise the given commit. */
async function resolveCommit(settings: ApprovalSettings, api: ApprovalApi): Promise<string> {
  if (!settings.version) return settings.sha!;
  const tagged = (await api.resolveTag(settings.version)).toLowerCase();
  if (settings.sha && settings.sha !== tagged) {
    throw new ConfigurationError(
      `Input '${INPUTS.sha}' is ${settings.sha}, but '${INPUTS.version}' ${settings.version} points at ${tagged}; give one of them, or two that agree.`,
    );
  }
  return tagged;
}

/** Everyone the rules name (lower-case login → login), reading each team; more required approvals than people is a mistake. */
async function approverPool(settings: ApprovalSettings, api: ApprovalApi): Promise<Map<string, string>> {
  const pool = new Map<string, string>();
  for (const rule of settings.approvers) {
    const logins = rule.kind === "user" ? [rule.login] : await api.teamMembers(rule.org, rule.slug);
    for (const login of logins) if (!pool.has(login.toLowerCase())) pool.set(login.toLowerCase(), login);
  }
  if (settings.requiredApprovals > pool.size) {
    throw new ConfigurationError(
      `Input '${INPUTS.requiredApprovals}' is ${settings.requiredApprovals}, but '${INPUTS.approvers}' (${settings.approvers.map(describeRule).join(", ")}) names only ${pool.size} ${pool.size === 1 ? "person" : "people"}; lower it or add approvers.`,
    );
  }
  return pool;
}

async function gatherFacts(
  settings: ApprovalSettings,
  deps: ApprovalDeps,
  sha: string,
  pool: Map<string, string>,
  now: string,
): Promise<Facts> {
  const { api, context } = deps;
  const pulls = await api.pullsOf(sha);
  const reviews = new Map(await Promise.all(pulls.map(async (pull) => [pull.number, await api.reviews(pull.number)] as const)));
  const runApprovals = context.runId ? await api.runApprovals(context.runId) : [];
  const checks = new Map(await Promise.all(settings.requiredChecks.map(async (name) => [name, await api.checkRuns(sha, name)] as const)));
  const staging = settings.requireStaging ? await api.deploymentsWithLatestStatus(sha, STAGING_ENVIRONMENT) : [];
  const memberships = new Map<string, Promise<boolean>>();
  return {
    sha,
    actor: context.actor,
    dispatched: context.eventName === "workflow_dispatch",
    now,
    pulls,
    reviews,
    runApprovals,
    checks,
    staging,
    pool,
    membership(login: string, rule: Extract<ApproverRule, { kind: "team" }>) {
      const key = `${rule.org}/${rule.slug}/${login}`.toLowerCase();
      if (!memberships.has(key)) memberships.set(key, api.isActiveTeamMember(rule.org, rule.slug, login));
      return memberships.get(key)!;
    },
  };
}
