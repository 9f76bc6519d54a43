import { ConfigurationError, RemoteError } from "../lib/errors.js";
import type { GitHubClient } from "../lib/github.js";
import { quoteValue } from "../lib/inputs.js";
import {
  COMMIT_FIELDS,
  type CommitFields,
  graphqlPages,
  PAGE,
  type PageInfo,
  type PullFields,
  pullFields,
  toCommit,
  toPullRequest,
} from "./api-nodes.js";
import { latestVersionTag } from "./git-source.js";
import { readMergedPullRequests } from "./merged-pulls.js";
import type { CommitInfo, PullRequestInfo, RangeChanges, ResolvedRange } from "./model.js";
import { INPUTS } from "./settings.js";

export interface Repository {
  owner: string;
  repo: string;
}

/** How many of the highest SemVer tags are tried as the default `from` before giving up. */
const TAG_CANDIDATES = 5;

interface GitObjectNode {
  __typename: string;
  oid: string;
  target?: { oid: string };
}

const RANGE_QUERY = `query($owner: String!, $name: String!, $to: String!, $from: String!, $hasFrom: Boolean!, $after: String) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    to: object(expression: $to) { __typename oid ... on Tag { target { oid } } }
    from: ref(qualifiedName: $from) @include(if: $hasFrom) { name target { __typename oid ... on Tag { target { oid } } } }
    refs(refPrefix: "refs/tags/", first: ${PAGE}, after: $after, orderBy: {field: TAG_COMMIT_DATE, direction: DESC}) @skip(if: $hasFrom) {
      pageInfo { hasNextPage endCursor }
      nodes { name target { __typename oid ... on Tag { target { oid } } } }
    }
  }
}`;

interface RangeAnswer {
  repository: {
    defaultBranchRef: { name: string } | null;
    to: GitObjectNode | null;
    from?: { name: string; target: GitObjectNode } | null;
    refs?: { pageInfo: PageInfo; nodes: Array<{ name: string; target: GitObjectNode }> };
  } | null;
}

const commitOf = (object: GitObjectNode) => (object.__typename === "Tag" ? (object.target?.oid ?? object.oid) : object.oid);

/** The range as the API source resolves it: with the compare API's commit count and the repository's default branch. */
export type ApiRange = ResolvedRange & { commitsInRange?: number; defaultBranch?: string };

/** Resolves `to`, and `from` or the latest SemVer tag that is an ancestor of `to`, through GraphQL and the compare API. */
export async function resolveApiRange(
  client: GitHubClient,
  repository: Repository,
  options: { from?: string; to: string; tagPrefix: string },
): Promise<ApiRange> {
  const variables = {
    owner: repository.owner,
    name: repository.repo,
    to: options.to,
    from: `refs/tags/${options.from ?? ""}`,
    hasFrom: Boolean(options.from),
  };
  let answer = await client.graphql<RangeAnswer>(RANGE_QUERY, { ...variables, after: null });
  if (!answer.repository) throw new RemoteError(`GitHub has no repository ${repository.owner}/${repository.repo} this token can read.`);
  const to = answer.repository.to;
  if (!to || (to.__typename !== "Commit" && to.__typename !== "Tag"))
    throw new ConfigurationError(
      `Input '${INPUTS.to}' got ${quoteValue(options.to)}, which names no commit or tag in ${repository.owner}/${repository.repo}.`,
    );
  const toSha = commitOf(to);
  const defaultBranch = answer.repository.defaultBranchRef?.name;
  if (options.from) {
    const from = answer.repository.from;
    if (!from)
      throw new ConfigurationError(
        `Input '${INPUTS.from}' got ${quoteValue(options.from)}; there is no such tag in ${repository.owner}/${repository.repo}.`,
      );
    const fromSha = commitOf(from.target);
    const comparison = await compare(client, repository, fromSha, toSha);
    if (comparison.status !== "ahead" && comparison.status !== "identical") {
      throw new ConfigurationError(
        `Input '${INPUTS.from}': tag '${options.from}' (${fromSha.slice(0, 7)}) is not an ancestor of '${options.to}' (${toSha.slice(0, 7)}).`,
      );
    }
    return { fromTag: options.from, fromSha, toSha, commitsInRange: comparison.total, defaultBranch };
  }
  const tags: Array<{ name: string; sha: string }> = [];
  for (;;) {
    const refs = answer.repository?.refs;
    for (const node of refs?.nodes ?? []) tags.push({ name: node.name, sha: commitOf(node.target) });
    if (!refs?.pageInfo.hasNextPage) break;
    answer = await client.graphql<RangeAnswer>(RANGE_QUERY, { ...variables, after: refs.pageInfo.endCursor });
  }
  let candidates = tags;
  for (let attempt = 0; attempt < TAG_CANDIDATES; attempt++) {
    const latest = latestVersionTag(candidates, toSha, options.tagPrefix);
    if (!latest) return { toSha, defaultBranch };
    const comparison = await compare(client, repository, latest.sha, toSha);
    if (comparison.status === "ahead")
      return { fromTag: latest.name, fromSha: latest.sha, toSha, commitsInRange: comparison.total, defaultBranch };
    candidates = candidates.filter((tag) => tag.name !== latest.name);
  }
  throw new ConfigurationError(
    `None of the ${TAG_CANDIDATES} highest '${options.tagPrefix}' tags is an ancestor of '${options.to}'; set '${INPUTS.from}' to the tag of the previous release.`,
  );
}

async function compare(
  client: GitHubClient,
  repository: Repository,
  base: string,
  head: string,
): Promise<{ status: string; total: number }> {
  const { data } = await client.rest.repos.compareCommitsWithBasehead({ ...repository, basehead: `${base}...${head}`, per_page: 1 });
  return { status: data.status, total: data.total_commits };
}

interface PullNode extends PullFields {
  mergeCommit: { oid: string } | null;
}

interface CommitNode extends CommitFields {
  parents: { nodes: Array<{ oid: string }> };
  associatedPullRequests: { nodes: PullNode[] };
}

interface HistoryAnswer {
  repository: { object: { history: { pageInfo: PageInfo; nodes: CommitNode[] } } | null } | null;
}

function historyQuery(withFiles: boolean): string {
  return `query($owner: String!, $name: String!, $oid: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    object(oid: $oid) {
      ... on Commit {
        history(first: ${PAGE}, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes {
            ${COMMIT_FIELDS}
            parents(first: 2) { nodes { oid } }
            associatedPullRequests(first: 5) {
              nodes {
                ${pullFields(withFiles)}
                mergeCommit { oid }
              }
            }
          }
        }
      }
    }
  }
}`;
}

/**
 * The changes of the range in ⌈PRs/100⌉ + a few requests when the pull requests merged into the base branch provably
 * account for every commit of it (merged-pulls.ts); otherwise, and for a range without `from`, the history walk.
 */
export async function readApiChanges(
  client: GitHubClient,
  repository: Repository,
  range: ApiRange,
  options: { withFiles: boolean; signal?: AbortSignal; baseBranch?: string },
): Promise<RangeChanges> {
  const base = options.baseBranch || range.defaultBranch;
  let why = "no earlier tag, so the whole history is read";
  if (range.fromSha && range.commitsInRange !== undefined && !base) why = "no base branch is known";
  else if (range.fromSha && range.commitsInRange !== undefined && base) {
    const { fromSha, toSha, commitsInRange } = range;
    const fast = await readMergedPullRequests(client, repository, { fromSha, toSha, commitsInRange }, { ...options, base });
    if (fast.proven) return { ...fast.changes, readBy: `merged pull requests: ${fast.how}` };
    why = fast.why;
  }
  return { ...(await walkHistory(client, repository, range, options)), readBy: `history walk: ${why}` };
}

/**
 * Walks the history of `to`, 100 commits per request, until it has every commit of the range: the compare API's
 * count says how many there are, and ancestors of `from` are recognised from their parents (history lists children
 * before parents). Each commit brings its merged pull request along, so squash, merge and rebase styles all count.
 */
async function walkHistory(
  client: GitHubClient,
  repository: Repository,
  range: ApiRange,
  options: { withFiles: boolean; signal?: AbortSignal },
): Promise<RangeChanges> {
  const excluded = new Set(range.fromSha ? [range.fromSha] : []);
  const included: CommitNode[] = [];
  const variables = { owner: repository.owner, name: repository.repo, oid: range.toSha };
  const historyOf = (answer: HistoryAnswer) => answer.repository?.object?.history;
  const pages = graphqlPages(
    client,
    historyQuery(options.withFiles),
    variables,
    (answer: HistoryAnswer) => historyOf(answer)?.pageInfo,
    options.signal,
  );
  for await (const answer of pages) {
    const history = historyOf(answer);
    if (!history)
      throw new RemoteError(`GitHub returned no history for ${range.toSha.slice(0, 7)} in ${repository.owner}/${repository.repo}.`);
    for (const node of history.nodes) {
      if (excluded.has(node.oid)) for (const parent of node.parents.nodes) excluded.add(parent.oid);
      else included.push(node);
    }
    if (range.commitsInRange !== undefined && included.length >= range.commitsInRange) break;
  }
  return groupByPullRequest(included);
}

function groupByPullRequest(commits: CommitNode[]): RangeChanges {
  const inRange = new Set(commits.map((commit) => commit.oid));
  const pulls = new Map<number, PullRequestInfo>();
  const loneCommits: CommitInfo[] = [];
  for (const node of commits) {
    const commit = toCommit(node);
    const merged = node.associatedPullRequests.nodes.filter((pull) => pull.merged);
    const pull = merged.find((candidate) => candidate.mergeCommit && inRange.has(candidate.mergeCommit.oid)) ?? merged[0];
    if (!pull) {
      loneCommits.push(commit);
      continue;
    }
    const known = pulls.get(pull.number) ?? toPullRequest(pull);
    known.commits.push(commit);
    pulls.set(pull.number, known);
  }
  return { pullRequests: [...pulls.values()], loneCommits, commitCount: commits.length };
}
