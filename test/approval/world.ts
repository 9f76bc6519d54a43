import { GitHubFake } from "../fakes/github.js";
import { type RunOptions, runStep, type StepResult } from "../harness/run-bundle.js";

/** A token no real account has; every run checks it is masked and shown nowhere. */
export const TOKEN = "ghs_planted_Approval_5e6f7a8b9c";
export const REPO = "blockbuilders/platform";
export const SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
/** The final head commit of pull request #40, which brought SHA by squash merge. */
export const HEAD_SHA = "feedbeef00112233445566778899aabbccddeeff";
export const RUN_ID = 4242;

/**
 * The world of a promotion that would pass: #40 by bob, merged by carol, brought SHA; both required checks green;
 * a successful staging deployment; the release-managers team of dave and erin. Tests take pieces away.
 */
export async function startWorld(): Promise<GitHubFake> {
  const github = await new GitHubFake().start();
  github.commitPulls.set(SHA, [{ number: 40, state: "closed", user: { login: "bob" } }]);
  github.pulls.set(40, { number: 40, state: "closed", user: { login: "bob" }, merged_by: { login: "carol" }, head: { sha: HEAD_SHA } });
  github.reviews.set(40, []);
  for (const name of ["quality-gate", "compliance"]) {
    github.checkRuns.push({
      id: github.checkRuns.length + 1,
      name,
      head_sha: SHA,
      status: "completed",
      conclusion: "success",
      annotations: [],
    });
  }
  github.deployments.push({
    id: 500,
    ref: SHA,
    sha: SHA,
    environment: "staging",
    statuses: [
      { id: 501, state: "in_progress", created_at: "2026-11-30T10:00:00Z" },
      { id: 502, state: "success", created_at: "2026-11-30T10:04:00Z" },
    ],
    payload: {},
  });
  github.teams.set("blockbuilders/release-managers", ["dave", "erin"]);
  return github;
}

export function review(id: number, login: string, state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED", commit = HEAD_SHA) {
  return { id, user: { login }, state, commit_id: commit, submitted_at: `2026-11-30T09:${String(id % 60).padStart(2, "0")}:00Z` };
}

export function environmentApproval(login: string, environment = "production") {
  return { state: "approved" as const, comment: "ship it", user: { login }, environments: [{ id: 1, name: environment }] };
}

/** Runs the approval bundle, dispatched by `actor`, against the fake. */
export function approvalStep(github: GitHubFake, inputs: Record<string, string>, options: RunOptions = {}): Promise<StepResult> {
  return runStep("approval", {
    eventName: "workflow_dispatch",
    actor: "frank",
    sha: SHA,
    repository: REPO,
    githubToken: TOKEN,
    timeoutMs: 30_000,
    ...options,
    inputs: { "change-ticket": "CHG-2041", ...inputs },
    env: { GITHUB_API_URL: github.url, ...options.env },
  });
}

export function errorLine(result: StepResult): string | undefined {
  return result.annotations.find((annotation) => annotation.level === "error")?.message;
}

/** Requests that change something; a refusal or a bad input must send none. */
export function writes(github: GitHubFake) {
  return github.requests.filter((request) => request.method !== "GET");
}
