/** What both sources (git and the GraphQL API) produce: the changes of a range, one shape for the renderer. */

export interface Person {
  /** A GitHub login when known (API source, or a `[bot]` name); otherwise the git author name. */
  name: string;
  bot: boolean;
  /** True when `name` is a GitHub login (shown as @name). */
  login?: boolean;
}

export interface CommitInfo {
  sha: string;
  subject: string;
  body: string;
  author: Person;
  /** Paths the commit changed (against its first parent); empty when the source did not read them. */
  files: string[];
}

export interface PullRequestInfo {
  number: number;
  title: string;
  body: string;
  url?: string;
  labels: string[];
  author: Person;
  files: string[];
  /** The commits of the range this pull request brought in. */
  commits: CommitInfo[];
  /** What was read only in part (one page of 100), e.g. "changed files: 100 of 340"; undefined when nothing. */
  capped?: string;
}

export interface RangeChanges {
  pullRequests: PullRequestInfo[];
  /** Commits that no pull request brought in, newest first. */
  loneCommits: CommitInfo[];
  /** Every commit in the range, including those inside pull requests. */
  commitCount: number;
  /** One line on how the changes were read, for the log and the summary. */
  readBy?: string;
}

/** The two ends of the range, resolved. */
export interface ResolvedRange {
  /** The tag the range starts after; undefined when there is no earlier tag (all history). */
  fromTag?: string;
  fromSha?: string;
  toSha: string;
}

export function isBotName(name: string): boolean {
  return name.endsWith("[bot]");
}
