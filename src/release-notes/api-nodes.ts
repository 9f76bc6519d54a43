/** The GraphQL node shapes both API readers select, their conversion into the model, and the cursor paging. */
import type { GitHubClient } from "../lib/github.js";
import { type CommitInfo, isBotName, type PullRequestInfo } from "./model.js";

/** GitHub's largest page for every connection. */
export const PAGE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Sends `query` once per page, passing the previous page's end cursor as `$after`, and yields each answer; it ends
 * when `pageOf` finds no next page (or no page). Callers stop early by leaving the loop.
 */
export async function* graphqlPages<Answer>(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
  pageOf: (answer: Answer) => PageInfo | undefined,
  signal?: AbortSignal,
): AsyncGenerator<Answer> {
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const answer: Answer = await client.graphql<Answer>(query, { ...variables, after });
    yield answer;
    const page = pageOf(answer);
    if (!page?.hasNextPage) return;
    after = page.endCursor;
  }
}

/** The fields of a commit the notes need. */
export const COMMIT_FIELDS = "oid messageHeadline messageBody author { name user { login } }";

export interface CommitFields {
  oid: string;
  messageHeadline: string;
  messageBody: string;
  author: { name: string | null; user: { login: string } | null } | null;
}

/** The fields of a pull request the notes need; files only when a category matches by path. */
export function pullFields(withFiles: boolean): string {
  const files = withFiles ? `files(first: ${PAGE}) { totalCount nodes { path } }` : "";
  return `number title body url merged
    author { __typename login }
    labels(first: ${PAGE}) { totalCount nodes { name } }
    ${files}`;
}

export interface PullFields {
  number: number;
  title: string;
  body: string;
  url: string;
  merged: boolean;
  author: { __typename: string; login: string } | null;
  labels: { totalCount?: number; nodes: Array<{ name: string }> };
  files?: { totalCount?: number; nodes: Array<{ path: string }> };
}

export function toCommit(node: CommitFields): CommitInfo {
  const name = node.author?.user?.login ?? node.author?.name ?? "unknown";
  return {
    sha: node.oid,
    subject: node.messageHeadline,
    body: node.messageBody,
    author: { name, bot: isBotName(name), login: Boolean(node.author?.user?.login) },
    files: [],
  };
}

export function toPullRequest(node: PullFields): PullRequestInfo {
  const bot = node.author?.__typename === "Bot";
  // GraphQL names a bot `dependabot`; REST, commit authors and configs call it `dependabot[bot]`.
  const login = bot && node.author && !isBotName(node.author.login) ? `${node.author.login}[bot]` : (node.author?.login ?? "ghost");
  return {
    number: node.number,
    title: node.title,
    body: node.body ?? "",
    url: node.url,
    labels: node.labels.nodes.map((label) => label.name),
    author: { name: login, bot: bot || isBotName(login), login: true },
    files: node.files?.nodes.map((file) => file.path) ?? [],
    commits: [],
    capped: [cap("labels", node.labels), cap("changed files", node.files)].filter(Boolean).join(", ") || undefined,
  };
}

/** "changed files: 100 of 340" when a connection had more than the one page read. */
function cap(name: string, connection?: { totalCount?: number; nodes: unknown[] }): string {
  const total = connection?.totalCount ?? 0;
  return connection && total > connection.nodes.length ? `${name}: ${connection.nodes.length} of ${total}` : "";
}
