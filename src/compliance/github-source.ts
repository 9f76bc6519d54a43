import { CancelledError, errorMessage, RemoteError } from "../lib/errors.js";
import type { GitHubClient } from "../lib/github.js";
import type { TeamMembers } from "./evaluate.js";
import type { ChangedFile, PullRequestFacts } from "./model.js";
import { addedLines } from "./patch.js";

export interface PullTarget {
  owner: string;
  repo: string;
  number: number;
}

const PAGE = { per_page: 100 } as const;

/**
 * Everything about the PR, re-read from the API: a re-run replays the old event payload, so nothing in it is
 * trusted. Every list is paginated to the end (files up to the API's 3,000).
 */
export async function fetchPullRequestFacts(github: GitHubClient, target: PullTarget, waiveLabel?: string): Promise<PullRequestFacts> {
  try {
    return await readFacts(github, target, waiveLabel);
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    throw new RemoteError(
      `Could not read pull request #${target.number} of ${target.owner}/${target.repo} from GitHub: ${describeFailure(error)}`,
    );
  }
}

/** GitHub's own message, or the network's reason (undici hides it in `cause`). */
function describeFailure(error: unknown): string {
  const failure = error as { status?: number; message?: string; cause?: { message?: string; cause?: { message?: string } } };
  const cause = failure.cause?.cause?.message ?? failure.cause?.message;
  const message = [failure.message, cause].filter(Boolean).join(": ");
  return failure.status && failure.status < 500 ? `HTTP ${failure.status}: ${message}` : message || "unknown error";
}

async function readFacts(github: GitHubClient, target: PullTarget, waiveLabel?: string): Promise<PullRequestFacts> {
  const { owner, repo, number } = target;
  const [pull, files, reviews] = await Promise.all([
    github.rest.pulls.get({ owner, repo, pull_number: number }),
    github.paginate(github.rest.pulls.listFiles, { owner, repo, pull_number: number, ...PAGE }),
    github.paginate(github.rest.pulls.listReviews, { owner, repo, pull_number: number, ...PAGE }),
  ]);
  // The PR object carries its labels (GitHub allows at most 100 per issue), so no separate list is needed.
  const labels = (pull.data.labels ?? []).map((label) => label.name);
  const waiveLabelActor = waiveLabel && labels.includes(waiveLabel) ? await lastLabeler(github, target, waiveLabel) : undefined;
  return {
    body: pull.data.body ?? "",
    headSha: pull.data.head.sha,
    author: pull.data.user?.login ?? "",
    files: files.map(
      (file): ChangedFile => ({
        path: file.filename,
        previousPath: file.previous_filename,
        status: file.status,
        addedLines: file.patch === undefined ? undefined : addedLines(file.patch),
      }),
    ),
    reviews: reviews.map((review) => ({ login: review.user?.login ?? "", state: review.state, commitId: review.commit_id ?? "" })),
    labels,
    changedFiles: pull.data.changed_files,
    waiveLabelActor,
  };
}

/** Who applied `label` last, from the issue's events (paged through to the end: the latest is last). */
async function lastLabeler(github: GitHubClient, target: PullTarget, label: string): Promise<string | undefined> {
  const events = await github.paginate(github.rest.issues.listEvents, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.number,
    ...PAGE,
  });
  const labeled = events.filter((event) => event.event === "labeled" && (event as { label?: { name?: string } }).label?.name === label);
  return labeled.at(-1)?.actor?.login;
}

/** Team members per "org/slug"; a team the token cannot see becomes an error entry, never a crash. */
export async function fetchTeams(github: GitHubClient, teams: readonly string[]): Promise<TeamMembers> {
  const found: TeamMembers = new Map();
  await Promise.all(
    [...new Set(teams)].map(async (team) => {
      const [org, slug] = team.split("/");
      try {
        const members = await github.paginate(github.rest.teams.listMembersInOrg, { org, team_slug: slug, ...PAGE });
        found.set(team, { members: members.map((member) => member.login) });
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        const status = (error as { status?: number }).status;
        const why =
          status === 404 || status === 403
            ? `HTTP ${status}: the token cannot read this team; the default GITHUB_TOKEN has no organization members permission, use an app or a token with read:org`
            : errorMessage(error);
        found.set(team, { error: why });
      }
    }),
  );
  return found;
}
