import type { CheckRunInfo, PullInfo, ReviewInfo, RunApprovalInfo, StagingInfo } from "./github.js";
import { type ApprovalSettings, type ApproverRule, describeRule } from "./settings.js";

export type Channel = "dispatch" | "environment-review" | "pull-request-review";

/** Someone who said yes through one channel, before the rules decide whether they count. */
export interface Candidate {
  login: string;
  channel: Channel;
  /** When they approved; for the dispatch and environment reviews (which GitHub does not time), when we read it. */
  at: string;
  /** The pull request a review was on. */
  pull?: number;
}

/** A person who counted: the channel they approved through and the approver rule that matched them. */
export interface CountedApprover extends Candidate {
  via: string;
}

export interface NotCounted {
  login: string;
  reason: string;
}

export interface CheckVerdict {
  name: string;
  ok: boolean;
  conclusion: string;
  url?: string;
  at?: string;
  /** Why it is not green, in words. */
  problem?: string;
}

export interface StagingVerdict {
  required: boolean;
  ok: boolean;
  found?: StagingInfo;
  problem?: string;
}

/** What was read from GitHub, for one commit. */
export interface Facts {
  sha: string;
  actor: string;
  dispatched: boolean;
  now: string;
  pulls: PullInfo[];
  reviews: Map<number, ReviewInfo[]>;
  runApprovals: RunApprovalInfo[];
  checks: Map<string, CheckRunInfo[]>;
  staging: StagingInfo[];
  /** Whether a login is an active member of a team rule (the memberships API, asked once per pair). */
  membership: (login: string, rule: Extract<ApproverRule, { kind: "team" }>) => Promise<boolean>;
  /** Everyone the approver rules name, lower-case: the users and the teams' members. */
  pool: Map<string, string>;
}

export interface Decision {
  approved: boolean;
  counted: CountedApprover[];
  notCounted: NotCounted[];
  /** Approvals still needed, and from whom they may come. */
  missing?: { count: number; from: string };
  checks: CheckVerdict[];
  staging: StagingVerdict;
  /** Each reason for refusal, as a readable sentence. */
  problems: string[];
}

/** The candidates of the three channels, in that order; a person's first channel is the one that is recorded. */
export function collectCandidates(settings: ApprovalSettings, facts: Facts): { candidates: Candidate[]; stale: NotCounted[] } {
  const candidates: Candidate[] = [];
  if (facts.dispatched && facts.actor) candidates.push({ login: facts.actor, channel: "dispatch", at: facts.now });
  for (const approval of facts.runApprovals) {
    if (approval.environments.includes(settings.environment))
      candidates.push({ login: approval.login, channel: "environment-review", at: facts.now });
  }
  const stale: NotCounted[] = [];
  for (const pull of facts.pulls) {
    for (const review of latestReviewPerPerson(facts.reviews.get(pull.number) ?? [])) {
      if (review.state !== "APPROVED") continue;
      const onCommit = review.commitId === facts.sha || (pull.headSha !== undefined && review.commitId === pull.headSha);
      if (onCommit)
        candidates.push({ login: review.login, channel: "pull-request-review", at: review.submittedAt ?? facts.now, pull: pull.number });
      else
        stale.push({
          login: review.login,
          reason: `${review.login} approved #${pull.number} at ${short(review.commitId)}, not at its final commit ${short(pull.headSha ?? facts.sha)}`,
        });
    }
  }
  return { candidates, stale };
}

/** GitHub's rule: a person's latest approving, change-requesting or dismissed review stands; comments do not replace it. */
function latestReviewPerPerson(reviews: ReviewInfo[]): ReviewInfo[] {
  const latest = new Map<string, ReviewInfo>();
  for (const review of reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.login.toLowerCase(), review);
  }
  return [...latest.values()];
}

/** Decides whether the promotion may go ahead; every refusal is a sentence a person can act on. */
export async function decide(settings: ApprovalSettings, facts: Facts): Promise<Decision> {
  const { candidates, stale } = collectCandidates(settings, facts);
  const excluded = settings.allowSelfApproval ? new Map<string, string>() : authorsAndMergers(facts.pulls);
  const counted: CountedApprover[] = [];
  const notCounted: NotCounted[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const key = candidate.login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const exclusion = excluded.get(key);
    if (exclusion) {
      notCounted.push({ login: candidate.login, reason: exclusion });
      continue;
    }
    const via = await matchingRule(settings.approvers, candidate.login, facts);
    if (via) counted.push({ ...candidate, via });
    else
      notCounted.push({
        login: candidate.login,
        reason: `${candidate.login} approved (${channelName(candidate)}) but is not among the approvers`,
      });
  }
  for (const entry of stale) if (!seen.has(entry.login.toLowerCase())) notCounted.push(entry);

  const problems: string[] = [];
  let missing: Decision["missing"];
  if (counted.length < settings.requiredApprovals) {
    const count = settings.requiredApprovals - counted.length;
    missing = { count, from: whoElse(settings, facts.pool, excluded, seen) };
    problems.push(
      `needs ${count} more approval${count === 1 ? "" : "s"} (${counted.length} of ${settings.requiredApprovals} so far) from ${missing.from}`,
    );
  }
  for (const refusal of notCounted) if (excluded.has(refusal.login.toLowerCase())) problems.push(refusal.reason);
  const checks = settings.requiredChecks.map((name) => checkVerdict(name, facts.checks.get(name) ?? [], facts.sha));
  for (const check of checks) if (check.problem) problems.push(check.problem);
  const staging = stagingVerdict(settings, facts);
  if (staging.problem) problems.push(staging.problem);
  return { approved: problems.length === 0, counted, notCounted, missing, checks, staging, problems };
}

/** Lower-case login → why they cannot approve: they wrote or merged a pull request that brought the commit. */
function authorsAndMergers(pulls: PullInfo[]): Map<string, string> {
  const excluded = new Map<string, string>();
  for (const pull of pulls) {
    if (pull.author && !excluded.has(pull.author.toLowerCase()))
      excluded.set(pull.author.toLowerCase(), `${pull.author} authored #${pull.number} and cannot approve it`);
    if (pull.merger && !excluded.has(pull.merger.toLowerCase()))
      excluded.set(pull.merger.toLowerCase(), `${pull.merger} merged #${pull.number} and cannot approve it`);
  }
  return excluded;
}

async function matchingRule(rules: ApproverRule[], login: string, facts: Facts): Promise<string | undefined> {
  const user = rules.find((rule) => rule.kind === "user" && rule.login.toLowerCase() === login.toLowerCase());
  if (user) return describeRule(user);
  for (const rule of rules) {
    if (rule.kind === "team" && (await facts.membership(login, rule))) return describeRule(rule);
  }
  return undefined;
}

/** The people who could still approve: named or team members, neither excluded nor already heard from. */
function whoElse(settings: ApprovalSettings, pool: Map<string, string>, excluded: Map<string, string>, seen: Set<string>): string {
  const people = [...pool.entries()].filter(([key]) => !excluded.has(key) && !seen.has(key)).map(([, login]) => login);
  if (people.length === 0) return "nobody else: every approver has approved or is excluded";
  const shown = people.slice(0, 10);
  const more = people.length - shown.length;
  const teams = settings.approvers.filter((rule) => rule.kind === "team").map(describeRule);
  const list = `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
  return teams.length ? `${list} (members of ${teams.join(", ")} included)` : list;
}

function checkVerdict(name: string, runs: CheckRunInfo[], sha: string): CheckVerdict {
  if (runs.length === 0) return { name, ok: false, conclusion: "never ran", problem: `check '${name}' never ran on ${short(sha)}` };
  // The latest run of that name decides: a re-run replaces an older result.
  const run = [...runs].sort((a, b) => (b.at ?? "").localeCompare(a.at ?? ""))[0];
  const conclusion = run.status === "completed" ? (run.conclusion ?? "none") : run.status;
  const ok = run.status === "completed" && run.conclusion === "success";
  const problem = ok
    ? undefined
    : run.status === "completed"
      ? `check '${name}' concluded ${conclusion} on ${short(sha)}`
      : `check '${name}' is still ${run.status} on ${short(sha)}`;
  return { name, ok, conclusion, url: run.url, at: run.at, problem };
}

function stagingVerdict(settings: ApprovalSettings, facts: Facts): StagingVerdict {
  if (!settings.requireStaging) return { required: false, ok: true };
  const found = facts.staging.find((deployment) => deployment.state === "success");
  if (found) return { required: true, ok: true, found };
  if (facts.staging.length === 0) return { required: true, ok: false, problem: `no staging deployment exists for ${short(facts.sha)}` };
  const latest = facts.staging[0];
  return {
    required: true,
    ok: false,
    found: latest,
    problem: `the staging deployment ${latest.deploymentId} of ${short(facts.sha)} has latest status ${latest.state}, not success`,
  };
}

export function channelName(candidate: Candidate): string {
  if (candidate.channel === "dispatch") return "dispatched the run";
  if (candidate.channel === "environment-review") return "environment review of this run";
  return `review of #${candidate.pull}`;
}

export function short(sha: string | undefined): string {
  return (sha ?? "unknown").slice(0, 7);
}
