import { readFileSync } from "node:fs";

/** What the runner tells an action about the run, read once from its environment variables. */
export interface RunContext {
  repository?: { owner: string; repo: string };
  eventName: string;
  event: Record<string, any>;
  sha: string;
  ref: string;
  /** Branch or tag name: the PR head branch on pull requests. */
  refName: string;
  actor: string;
  runId: string;
  serverUrl: string;
  workspace: string;
  runnerTemp: string;
  pullRequest?: { number: number; headSha: string; headRef: string; fork: boolean };
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const pr = event.pull_request;
  const ref = env.GITHUB_REF ?? "";
  return {
    repository: owner && repo ? { owner, repo } : undefined,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    event,
    sha: env.GITHUB_SHA ?? "",
    ref,
    refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, ""),
    actor: env.GITHUB_ACTOR ?? "",
    runId: env.GITHUB_RUN_ID ?? "",
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com",
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || process.cwd(),
    pullRequest: pr
      ? {
          number: pr.number,
          headSha: pr.head?.sha ?? env.GITHUB_SHA ?? "",
          headRef: pr.head?.ref ?? "",
          fork: Boolean(pr.head?.repo && pr.base?.repo && pr.head.repo.full_name !== pr.base.repo.full_name),
        }
      : undefined,
  };
}

function readEvent(path: string | undefined): Record<string, any> {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

/** The link to this run's log page, for audit records and summaries. */
export function runUrl(context: RunContext): string | undefined {
  if (!context.repository || !context.runId) return undefined;
  return `${context.serverUrl}/${context.repository.owner}/${context.repository.repo}/actions/runs/${context.runId}`;
}
