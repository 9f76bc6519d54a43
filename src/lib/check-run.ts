import type { GitHubClient } from "./github.js";
import { isPermissionDenied } from "./github.js";
import type { Logger } from "./logger.js";
import { chunk, LIMITS, truncate } from "./summary.js";

/** An annotation in the Checks API's shape; also written as a workflow command when the check run cannot be. */
export interface CheckAnnotation {
  path: string;
  startLine: number;
  level: "failure" | "warning" | "notice";
  title: string;
  message: string;
  details?: string;
}

/** Caps the check run at 20 requests, so a run with thousands of failures stays far inside the 1,000 requests/hour budget. */
export const MAX_CHECK_ANNOTATIONS = 1_000;

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
}

export interface CheckRunContent {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  text: string;
  /** Failures first: the Checks UI shows the first ones it receives. */
  annotations: readonly CheckAnnotation[];
}

export interface PublishResult {
  published: boolean;
  id?: number;
  url?: string;
  annotationsSent: number;
  /** Why it was not (fully) published, for the job summary. */
  note?: string;
}

/**
 * Creates one completed check run on the head SHA with the first 50 annotations, then appends the rest 50 per
 * PATCH (the API's per-request limit). A read-only token (fork PRs) gets a warning and a note, never a crash.
 */
export async function publishCheckRun(
  github: GitHubClient,
  target: CheckRunTarget,
  content: CheckRunContent,
  logger: Logger,
  maxAnnotations = MAX_CHECK_ANNOTATIONS,
): Promise<PublishResult> {
  const batches = chunk(content.annotations.slice(0, maxAnnotations).map(toApi), LIMITS.annotationsPerRequest);
  const output = {
    title: truncate(content.title, 255),
    summary: truncate(content.summary, LIMITS.checkRunText),
    text: truncate(content.text, LIMITS.checkRunText),
  };
  const { owner, repo } = target;
  let id: number | undefined;
  let url: string | undefined;
  let sent = 0;
  try {
    const created = await github.rest.checks.create({
      owner,
      repo,
      name: target.name,
      head_sha: target.headSha,
      status: "completed",
      conclusion: content.conclusion,
      completed_at: new Date().toISOString(),
      output: { ...output, annotations: batches[0] ?? [] },
    });
    id = created.data.id;
    url = created.data.html_url ?? undefined;
    sent += batches[0]?.length ?? 0;
    for (const batch of batches.slice(1)) {
      await github.rest.checks.update({ owner, repo, check_run_id: id, output: { ...output, annotations: batch } });
      sent += batch.length;
    }
  } catch (error) {
    const why = describe(error);
    const note = isPermissionDenied(error)
      ? `Could not publish the '${target.name}' check run (${why}): the token cannot write checks, as on pull requests from forks. Results are in this summary and the step's annotations; grant \`checks: write\` to publish them on the PR.`
      : `Publishing the '${target.name}' check run failed after ${sent} annotations (${why}). Results are in this summary and the step's annotations.`;
    logger.warning(note);
    return { published: false, id, url, annotationsSent: sent, note };
  }
  const skipped = content.annotations.length - sent;
  const note = skipped > 0 ? `The check run shows the first ${sent} of ${content.annotations.length} annotations.` : undefined;
  logger.info(`Published check run '${target.name}' on ${target.headSha.slice(0, 7)} with ${sent} annotations${url ? `: ${url}` : ""}.`);
  return { published: true, id, url, annotationsSent: sent, note };
}

function toApi(annotation: CheckAnnotation) {
  return {
    path: annotation.path,
    start_line: annotation.startLine,
    end_line: annotation.startLine,
    annotation_level: annotation.level,
    title: truncate(annotation.title, 255),
    message: truncate(annotation.message, 64 * 1024 - 1),
    ...(annotation.details ? { raw_details: truncate(annotation.details, 64 * 1024 - 1) } : {}),
  };
}

/** One sentence from GitHub's own error fields. */
function describe(error: unknown): string {
  const failure = error as {
    status?: number;
    message?: string;
    response?: { data?: { message?: string; errors?: Array<{ message?: string } | string> } };
  };
  const data = failure.response?.data;
  const details = (data?.errors ?? []).map((item) => (typeof item === "string" ? item : item.message)).filter(Boolean);
  const message = [data?.message ?? failure.message, ...details].filter(Boolean).join(": ");
  return failure.status ? `HTTP ${failure.status}: ${message}` : message || "unknown error";
}
