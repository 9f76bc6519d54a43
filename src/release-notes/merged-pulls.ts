/**
 * The fast path of the API source: the pull requests merged into the base branch, newest update first, 100 a page,
 * kept only when they provably account for every commit of the range.
 *
 * The proof walks the first-parent line down from `to`. Each step must land on the merge commit of a listed pull
 * request, found by oid: a merge commit (two parents) steps to its first parent, a squash commit to its one parent.
 * A rebase merge (the PR's last commit replayed, same message and author date) steps to the pull request merged
 * just before it. The walk must end at `from`, and the compare API's `total_commits` must equal what the visited pull
 * requests put on the base: a merge its commits plus the merge commit, a squash one, a rebase its commits. A commit
 * pushed directly, a pull request merged elsewhere or a wrong base branch breaks the walk or the count, and the
 * caller then walks the history instead, which is complete by construction.
 *
 * What the proof takes from GitHub rather than checks by oid: a merge commit's PR commit count is the number of
 * commits its second parent brought in, and a rebase put exactly its PR's commits between the PR merged before it and
 * its merge commit. If either were wrong by as much as a direct push elsewhere in the range, the count would match
 * by coincidence; every squash and merge-commit step, and both ends, are checked by oid.
 */
import type { GitHubClient } from "../lib/github.js";
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
import type { Repository } from "./api-source.js";
import type { PullRequestInfo, RangeChanges } from "./model.js";

/** A PR is updated when it merges, at about its merge commit's date; this much clock skew is tolerated. */
const SKEW_MS = 10 * 60_000;

type Style = "merge" | "squash" | "rebase";

interface MergeCommitNode extends CommitFields {
  message: string;
  authoredDate: string;
  parents: { totalCount: number; nodes: Array<{ oid: string; committedDate: string }> };
}

interface MergedPullNode extends PullFields {
  mergedAt: string | null;
  updatedAt: string;
  mergeCommit: MergeCommitNode | null;
  commits: { totalCount: number; nodes: Array<{ commit: CommitFields & { message: string; authoredDate: string } }> };
}

interface PullsAnswer {
  repository: {
    from: { committedDate?: string } | null;
    to: { committedDate?: string } | null;
    pullRequests: { pageInfo: PageInfo; nodes: MergedPullNode[] };
  } | null;
}

function pullsQuery(withFiles: boolean): string {
  const commit = `${COMMIT_FIELDS} message authoredDate`;
  return `query($owner: String!, $name: String!, $base: String!, $from: GitObjectID!, $to: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    from: object(oid: $from) { ... on Commit { committedDate } }
    to: object(oid: $to) { ... on Commit { committedDate } }
    pullRequests(baseRefName: $base, states: [MERGED], orderBy: {field: UPDATED_AT, direction: DESC}, first: ${PAGE}, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ${pullFields(withFiles)}
        mergedAt updatedAt
        mergeCommit { ${commit} parents(first: 2) { totalCount nodes { oid committedDate } } }
        commits(first: ${PAGE}) { totalCount nodes { commit { ${commit} } } }
      }
    }
  }
}`;
}

export interface MergedPullsRange {
  fromSha: string;
  toSha: string;
  /** The compare API's count of commits in from...to. */
  commitsInRange: number;
}

export type MergedPullsAnswer = { proven: true; changes: RangeChanges; how: string } | { proven: false; why: string };

/** Lists the merged pull requests of `base` page by page, until the walk proves the range complete or cannot. */
export async function readMergedPullRequests(
  client: GitHubClient,
  repository: Repository,
  range: MergedPullsRange,
  options: { base: string; withFiles: boolean; signal?: AbortSignal },
): Promise<MergedPullsAnswer> {
  const variables = { owner: repository.owner, name: repository.repo, base: options.base, from: range.fromSha, to: range.toSha };
  const pages = graphqlPages<PullsAnswer>(
    client,
    pullsQuery(options.withFiles),
    variables,
    (answer) => answer.repository?.pullRequests.pageInfo,
    options.signal,
  );
  let walk: ChainWalk | undefined;
  for await (const answer of pages) {
    const found = answer.repository;
    if (!found?.from?.committedDate || !found.to?.committedDate)
      return { proven: false, why: "GitHub gave no commit dates for the ends of the range" };
    walk ??= new ChainWalk(range, options.base, Date.parse(found.from.committedDate), Date.parse(found.to.committedDate));
    const page = found.pullRequests;
    walk.add(page.nodes, !page.pageInfo.hasNextPage);
    const outcome = walk.advance();
    if (outcome) return outcome;
  }
  return { proven: false, why: `the pull requests merged into ${options.base} ran out` };
}

/** The walk down the first-parent line of `to`, fed one page of pull requests at a time. */
class ChainWalk {
  private readonly byMergeCommit = new Map<string, MergedPullNode>();
  /** By number: a PR updated while the list is paged can come up twice. */
  private readonly unvisited = new Map<number, MergedPullNode>();
  private readonly visited = new Set<number>();
  private readonly pulls: PullRequestInfo[] = [];
  private readonly styles: Record<Style, number> = { merge: 0, squash: 0, rebase: 0 };
  /** The next commit down the first-parent line; undefined after a rebase merge, whose first commit is not listed. */
  private cursor: { oid: string; date: number } | undefined;
  private lastMergedAt = Number.POSITIVE_INFINITY;
  private claimed = 0;
  /** Every pull request not yet listed was updated at or before this time. */
  private listedDownTo = Number.POSITIVE_INFINITY;
  private exhausted = false;

  constructor(
    private readonly range: MergedPullsRange,
    private readonly base: string,
    private readonly fromDate: number,
    toDate: number,
  ) {
    this.cursor = { oid: range.toSha, date: toDate };
  }

  add(nodes: MergedPullNode[], last: boolean): void {
    for (const node of nodes) {
      this.listedDownTo = Math.min(this.listedDownTo, Date.parse(node.updatedAt));
      if (!node.mergeCommit || !node.mergedAt || this.visited.has(node.number)) continue;
      this.byMergeCommit.set(node.mergeCommit.oid, node);
      this.unvisited.set(node.number, node);
    }
    // Ordered by last update, newest first: once past `from`'s date, no pull request left can have merged after it.
    this.exhausted = last || this.listedDownTo < this.fromDate - SKEW_MS;
  }

  /** Walks as far as the pull requests listed so far allow: an answer when done or broken, undefined to read on. */
  advance(): MergedPullsAnswer | undefined {
    for (;;) {
      if (this.cursor?.oid === this.range.fromSha) return this.finish();
      const next = this.cursor ? this.byMergeCommit.get(this.cursor.oid) : this.mergedBefore();
      if (next === "wait") return undefined;
      if (!next) return this.unlisted();
      if (this.visited.has(next.number)) return { proven: false, why: `pull request #${next.number} came up twice on the walk` };
      if (next.mergeCommit?.oid === this.range.fromSha) return this.finish();
      const broken = this.visit(next);
      if (broken) return { proven: false, why: broken };
    }
  }

  /** The cursor's commit, or the next rebase, came through no listed pull request (yet). */
  private unlisted(): MergedPullsAnswer | undefined {
    if (!this.cursor && this.claimed === this.range.commitsInRange) return this.finish();
    const waiting = this.cursor ? this.listedDownTo >= this.cursor.date - SKEW_MS : true;
    if (!this.exhausted && waiting) return undefined;
    if (this.cursor) return { proven: false, why: `commit ${this.cursor.oid.slice(0, 7)} was merged by no pull request into ${this.base}` };
    return { proven: false, why: this.countMismatch() };
  }

  /** After a rebase merge: the pull request merged latest before the last one, once no unlisted one can be later. */
  private mergedBefore(): MergedPullNode | "wait" | undefined {
    if (this.claimed === this.range.commitsInRange) return undefined;
    let best: MergedPullNode | undefined;
    for (const node of this.unvisited.values()) {
      const at = Date.parse(node.mergedAt as string);
      if (at <= this.lastMergedAt && at >= this.fromDate - SKEW_MS && (!best || at > Date.parse(best.mergedAt as string))) best = node;
    }
    if (!this.exhausted && (!best || Date.parse(best.mergedAt as string) <= this.listedDownTo)) return "wait";
    return best;
  }

  /** Takes the pull request in and steps down; a reason when it cannot be part of a proof. */
  private visit(node: MergedPullNode): string | undefined {
    const merge = node.mergeCommit as MergeCommitNode;
    const commits = node.commits;
    if (commits.totalCount > commits.nodes.length)
      return `pull request #${node.number} has ${commits.totalCount} commits, more than one page of ${PAGE}`;
    const style = styleOf(node);
    const put = style === "merge" ? commits.totalCount + 1 : style === "rebase" ? commits.totalCount : 1;
    this.unvisited.delete(node.number);
    this.visited.add(node.number);
    this.styles[style]++;
    this.claimed += put;
    this.lastMergedAt = Date.parse(node.mergedAt as string);
    const pull = toPullRequest(node);
    const branch = commits.nodes.map((entry) => toCommit(entry.commit));
    pull.commits = style === "merge" ? [...branch, toCommit(merge)] : style === "rebase" ? branch : [toCommit(merge)];
    this.pulls.push(pull);
    if (this.claimed > this.range.commitsInRange) return this.countMismatch();
    const parent = merge.parents.nodes[0];
    if (style === "rebase") this.cursor = undefined;
    else if (!parent) return `pull request #${node.number} merged a root commit, below the start of the range`;
    else this.cursor = { oid: parent.oid, date: Date.parse(parent.committedDate) };
    return undefined;
  }

  private finish(): MergedPullsAnswer {
    if (this.claimed !== this.range.commitsInRange) return { proven: false, why: this.countMismatch() };
    const styles = (Object.entries(this.styles) as Array<[Style, number]>)
      .filter(([, count]) => count > 0)
      .map(([style, count]) => `${count.toLocaleString("en-US")} ${style}`)
      .join(", ");
    return {
      proven: true,
      changes: { pullRequests: this.pulls, loneCommits: [], commitCount: this.range.commitsInRange },
      how: `the ${this.pulls.length.toLocaleString("en-US")} pull requests merged into ${this.base} (${styles || "none"}) account for all ${this.range.commitsInRange.toLocaleString("en-US")} commits of the range`,
    };
  }

  private countMismatch(): string {
    return `the range has ${this.range.commitsInRange.toLocaleString("en-US")} commits but the pull requests merged into ${this.base} account for ${this.claimed.toLocaleString("en-US")}`;
  }
}

/**
 * Two parents: a merge commit. One parent and several PR commits: a rebase when the merge commit is the PR's last
 * commit replayed (same message, same author date, which a rebase keeps and a squash sets anew), else a squash.
 * One parent and one PR commit: squash and rebase both put exactly that one commit on the base.
 */
function styleOf(node: MergedPullNode): Style {
  const merge = node.mergeCommit as MergeCommitNode;
  if (merge.parents.totalCount > 1) return "merge";
  const last = node.commits.nodes[node.commits.nodes.length - 1]?.commit;
  const replayed = last && last.message === merge.message && last.authoredDate === merge.authoredDate;
  return node.commits.totalCount > 1 && replayed ? "rebase" : "squash";
}
