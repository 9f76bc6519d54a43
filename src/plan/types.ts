import type { Job } from "@actions/workflow-parser/model/workflow-template";

/** The events `launchpad plan` starts from; workflow_call and workflow_run follow from them. */
export const PLAN_EVENTS = ["push", "pull_request", "workflow_dispatch"] as const;
export type PlanEventName = (typeof PLAN_EVENTS)[number];

export interface PlanRequest {
  /** A folder of workflow files, or a repository root meaning its `.github/workflows/`. */
  folder: string;
  event: PlanEventName;
  /** push and workflow_dispatch: the branch (`main`, `refs/heads/main`) or tag (`refs/tags/v1.2.0`); pull_request: the base branch. */
  ref: string;
  /** workflow_dispatch inputs, `--input k=v`. */
  inputs?: Record<string, string>;
  /** Only this workflow file (its name, e.g. `promote.yml`); default every workflow the event starts. */
  workflow?: string;
  /** The pull request's activity type; default `opened`. */
  pullRequestAction?: string;
  repository?: string;
  sha?: string;
  actor?: string;
  /** The branch workflow_run workflows run on; default `main`. */
  defaultBranch?: string;
  /** A file path for a reusable workflow in another repository (`owner/repo/.github/workflows/x.yml@ref`), if known locally. */
  resolveRemote?: (reference: string) => string | undefined;
  /** Where paths in messages are relative to. */
  cwd?: string;
}

/** One job of the plan, as `launchpad plan --json` prints it. */
export interface PlanEntry {
  /** The file name of the workflow the event (or a workflow_run chain) started. */
  workflow: string;
  /** The job id; a reusable workflow's jobs are `<calling job>/<job>`. */
  job: string;
  runs: boolean;
  needs: string[];
  /** The evaluated environment name, or null. */
  environment: string | null;
  reason: string;
}

/** A job that runs, with what a local runner needs to run its steps (preflight): the parsed job and its contexts. */
export interface PlannedJob {
  entry: PlanEntry;
  /** The file that defines the job (a called workflow's own file for `caller/job`). */
  path: string;
  /** The job as GitHub's parser converted it: steps, env, environment… */
  job: Job;
  /** `github`, `inputs` (the dispatch's, or the called workflow's), `vars` and `needs`, as the job's expressions see them. */
  context: Record<string, unknown>;
}

export interface Plan {
  entries: PlanEntry[];
  /** Workflows in the folder that the event does not start, with why. */
  untriggered: Array<{ workflow: string; reason: string }>;
  /** The jobs that run, in the order of `entries` (reusable calls expanded; calls that cannot be read left out). */
  jobs: PlannedJob[];
}
