import type { EventsConfig } from "@actions/workflow-parser/model/workflow-template";
import picomatch from "picomatch";

/** GitHub's filter patterns: globs where `*` stops at `/`, and a `!` line excludes what earlier lines matched. */
function matchesFilter(value: string, patterns: string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) {
      if (picomatch.isMatch(value, pattern.slice(1), { dot: true })) matched = false;
    } else if (picomatch.isMatch(value, pattern, { dot: true })) matched = true;
  }
  return matched;
}

/** `branches` / `branches-ignore` (or tags) of one event, against one name; no filter means every name. */
function passes(name: string, include: string[] | undefined, ignore: string[] | undefined): boolean {
  if (include) return matchesFilter(name, include);
  if (ignore) return !matchesFilter(name, ignore);
  return true;
}

export interface GitRef {
  /** `refs/heads/main`, `refs/tags/v1.2.0`. */
  full: string;
  kind: "branch" | "tag";
  name: string;
}

/** `main` and `refs/heads/main` are branches, `refs/tags/v1` is a tag. */
export function parseRef(ref: string): GitRef {
  if (ref.startsWith("refs/tags/")) return { full: ref, kind: "tag", name: ref.slice("refs/tags/".length) };
  const name = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
  return { full: `refs/heads/${name}`, kind: "branch", name };
}

/** Why a workflow does not start on a push of `ref`, or undefined when it does. Path filters are not evaluated. */
export function pushMismatch(events: EventsConfig, ref: GitRef): string | undefined {
  const push = events.push;
  if (!push) return "no push trigger";
  const branchFilter = push.branches !== undefined || push["branches-ignore"] !== undefined;
  const tagFilter = push.tags !== undefined || push["tags-ignore"] !== undefined;
  if (ref.kind === "branch") {
    if (!branchFilter && tagFilter) return "push runs on tags only";
    if (!passes(ref.name, push.branches, push["branches-ignore"])) return `push branches do not match ${ref.name}`;
  } else {
    if (!tagFilter && branchFilter) return "push runs on branches only";
    if (!passes(ref.name, push.tags, push["tags-ignore"])) return `push tags do not match ${ref.name}`;
  }
  return undefined;
}

const DEFAULT_PR_TYPES = ["opened", "synchronize", "reopened"];

/** Why a workflow does not start on a pull request into `base` with this activity type. */
export function pullRequestMismatch(events: EventsConfig, base: string, action: string): string | undefined {
  const pr = events.pull_request;
  if (!pr) return "no pull_request trigger";
  if (!(pr.types ?? DEFAULT_PR_TYPES).includes(action)) return `pull_request types do not include ${action}`;
  if (!passes(base, pr.branches, pr["branches-ignore"])) return `pull_request branches do not match ${base}`;
  return undefined;
}

/** Why a workflow does not start when the run of workflow `name` on `branch` completes. */
export function workflowRunMismatch(events: EventsConfig, name: string, branch: string): string | undefined {
  const run = events.workflow_run;
  if (!run) return "no workflow_run trigger";
  if (!(run.workflows ?? []).includes(name)) return `workflow_run does not follow ${name}`;
  if (!(run.types ?? ["completed", "requested"]).includes("completed")) return "workflow_run does not follow completed runs";
  if (!passes(branch, run.branches, run["branches-ignore"])) return `workflow_run branches do not match ${branch}`;
  return undefined;
}
