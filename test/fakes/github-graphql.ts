import { createHash } from "node:crypto";
import {
  buildSchema,
  type DocumentNode,
  executeSync,
  type FieldNode,
  GraphQLError,
  Kind,
  parse,
  type SelectionSetNode,
  type ValueNode,
  validate,
} from "graphql";

/**
 * A model of one GitHub repository's commits, tags and pull requests, served through GitHub's GraphQL shapes by a
 * real GraphQL executor (graphql-js) over the subset of GitHub's schema the suite queries. Connections paginate by
 * opaque cursors with pageInfo, `first` is required and at most 100 (answered with GitHub's own errors), and the
 * whole query is held to GitHub's 500,000-node limit. Plug it in with `github.graphql = model.handler`.
 */

export interface ModelCommit {
  oid: string;
  message: string;
  parents: string[];
  authorName: string;
  /** The GitHub user the commit author's email maps to; absent for unknown emails and bots. */
  authorLogin?: string;
  committedDate: string;
  /** Kept by a rebase, which makes new commits with the original author date. */
  authoredDate: string;
}

export interface ModelPull {
  number: number;
  title: string;
  body: string;
  merged: boolean;
  baseRefName: string;
  mergeCommit?: string;
  author: { login: string; type: "User" | "Bot" };
  labels: string[];
  files: string[];
  /** Commits GitHub associates with the pull request (its branch commits, its merge or squash commit). */
  commits: string[];
  /** The pull request's own commits, as `PullRequest.commits` lists them: its head branch, before any squash or rebase. */
  branchCommits: string[];
  /** When it was merged: the date of its merge, squash or last rebased commit. */
  mergedAt?: string;
  /** The last activity; a merge updates it, a later comment or label moves it on. */
  updatedAt: string;
}

const SDL = `
scalar GitObjectID
scalar DateTime
scalar URI
type Query { repository(owner: String!, name: String!): Repository viewer: User! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! endCursor: String startCursor: String }
interface GitObject { oid: GitObjectID! }
interface Actor { login: String! }
type User implements Actor { login: String! }
type Bot implements Actor { login: String! }
type GitActor { name: String email: String user: User }
type Repository {
  nameWithOwner: String!
  defaultBranchRef: Ref
  pullRequests(first: Int, after: String, last: Int, before: String, baseRefName: String, headRefName: String, states: [PullRequestState!], labels: [String!], orderBy: IssueOrder): PullRequestConnection!
  object(oid: GitObjectID, expression: String): GitObject
  ref(qualifiedName: String!): Ref
  refs(refPrefix: String!, first: Int, after: String, last: Int, before: String, orderBy: RefOrder): RefConnection
}
enum RefOrderField { TAG_COMMIT_DATE ALPHABETICAL }
enum OrderDirection { ASC DESC }
input RefOrder { field: RefOrderField! direction: OrderDirection! }
enum PullRequestState { OPEN CLOSED MERGED }
enum IssueOrderField { CREATED_AT UPDATED_AT COMMENTS }
input IssueOrder { field: IssueOrderField! direction: OrderDirection! }
type Ref { name: String! prefix: String! target: GitObject }
type RefConnection { nodes: [Ref] pageInfo: PageInfo! totalCount: Int! }
type Tag implements GitObject { oid: GitObjectID! name: String! target: GitObject! }
type Commit implements GitObject {
  oid: GitObjectID!
  message: String!
  messageHeadline: String!
  messageBody: String!
  committedDate: DateTime!
  authoredDate: DateTime!
  author: GitActor
  parents(first: Int, after: String, last: Int, before: String): CommitConnection!
  history(first: Int, after: String, last: Int, before: String): CommitHistoryConnection!
  associatedPullRequests(first: Int, after: String, last: Int, before: String): PullRequestConnection
}
type CommitConnection { nodes: [Commit] pageInfo: PageInfo! totalCount: Int! }
type CommitHistoryConnection { nodes: [Commit] pageInfo: PageInfo! totalCount: Int! }
type Label { name: String! }
type LabelConnection { nodes: [Label] pageInfo: PageInfo! totalCount: Int! }
type PullRequestChangedFile { path: String! }
type PullRequestChangedFileConnection { nodes: [PullRequestChangedFile] pageInfo: PageInfo! totalCount: Int! }
type PullRequest {
  number: Int!
  title: String!
  body: String!
  url: URI!
  merged: Boolean!
  mergedAt: DateTime
  updatedAt: DateTime!
  baseRefName: String!
  mergeCommit: Commit
  commits(first: Int, after: String, last: Int, before: String): PullRequestCommitConnection!
  author: Actor
  labels(first: Int, after: String, last: Int, before: String): LabelConnection
  files(first: Int, after: String, last: Int, before: String): PullRequestChangedFileConnection
}
type PullRequestCommit { commit: Commit! }
type PullRequestCommitConnection { nodes: [PullRequestCommit] pageInfo: PageInfo! totalCount: Int! }
type PullRequestConnection { nodes: [PullRequest] pageInfo: PageInfo! totalCount: Int! }
`;

const SCHEMA = buildSchema(SDL);
const MAX_PAGE = 100;
const MAX_NODES = 500_000;

interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:${index}`).toString("base64");
function indexOf(cursor: string): number {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, "base64").toString());
  if (!match)
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: "INVALID_CURSOR_ARGUMENTS" } });
  return Number(match[1]);
}

/** One page, with GitHub's refusals for a missing or too large `first`. */
function connection<T>(name: string, items: T[], args: ConnectionArgs) {
  if (args.first === undefined || args.first === null) {
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, {
      extensions: { type: "MISSING_PAGINATION_BOUNDARIES" },
    });
  }
  if (args.first > MAX_PAGE) {
    throw new GraphQLError(
      `Requesting ${args.first} records on the \`${name}\` connection exceeds the \`first\` limit of ${MAX_PAGE} records.`,
      {
        extensions: { type: "EXCESSIVE_PAGINATION" },
      },
    );
  }
  const start = args.after ? indexOf(args.after) + 1 : 0;
  const nodes = items.slice(start, start + args.first);
  const end = start + nodes.length - 1;
  return {
    nodes,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: start + nodes.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? cursorOf(start) : null,
      endCursor: nodes.length ? cursorOf(end) : null,
    },
  };
}

export class RepositoryModel {
  readonly commits = new Map<string, ModelCommit>();
  /** Creation order, which is topological (parents first), as commits are made. */
  private readonly created: string[] = [];
  readonly pulls: ModelPull[] = [];
  readonly tags = new Map<string, { commit: string; annotated: boolean; oid: string }>();
  /** Branch heads by name; `main` is the default branch. */
  readonly heads = new Map<string, string>();
  /** Every query answered, for tests that check what was asked. */
  readonly queries: Array<{ query: string; variables: Record<string, unknown> }> = [];
  private clock = Date.parse("2026-01-05T09:00:00Z");
  private readonly ancestorCache = new Map<string, Set<string>>();

  constructor(
    readonly owner: string,
    readonly name: string,
  ) {}

  /** Makes a commit on `branch` (default main) and moves the branch. */
  commit(
    message: string,
    options: { branch?: string; parents?: string[]; author?: string; login?: string; authoredDate?: string } = {},
  ): string {
    const branch = options.branch ?? "main";
    const parents = options.parents ?? (this.heads.has(branch) ? [this.heads.get(branch) as string] : []);
    this.clock += 60_000;
    const oid = createHash("sha1")
      .update(`${this.created.length}\0${message}\0${parents.join(",")}`)
      .digest("hex");
    const author = options.author ?? "Ada Lovelace";
    this.commits.set(oid, {
      oid,
      message,
      parents,
      authorName: author,
      authorLogin:
        options.login === undefined ? (author.endsWith("[bot]") ? undefined : author.toLowerCase().replace(/\s+/g, "-")) : options.login,
      committedDate: new Date(this.clock).toISOString(),
      authoredDate: options.authoredDate ?? new Date(this.clock).toISOString(),
    });
    this.created.push(oid);
    this.heads.set(branch, oid);
    this.ancestorCache.clear();
    return oid;
  }

  head(branch = "main"): string {
    return this.heads.get(branch) as string;
  }

  tag(name: string, commit = this.head(), annotated = false): void {
    const oid = annotated ? createHash("sha1").update(`tag\0${name}`).digest("hex") : commit;
    this.tags.set(name, { commit, annotated, oid });
  }

  private addPull(
    pull: Omit<ModelPull, "merged" | "baseRefName" | "author" | "labels" | "files" | "body" | "updatedAt"> & Partial<ModelPull>,
  ): ModelPull {
    const mergedAt = pull.mergeCommit ? this.commits.get(pull.mergeCommit)?.committedDate : undefined;
    const full: ModelPull = {
      merged: true,
      baseRefName: "main",
      author: { login: "ada", type: "User" },
      labels: [],
      files: [],
      body: "",
      mergedAt,
      updatedAt: mergedAt ?? new Date(this.clock).toISOString(),
      ...pull,
    };
    this.pulls.push(full);
    return full;
  }

  /** A squash merge: the PR's `count` branch commits (default 1) squashed into one commit on main titled `title (#N)`, the PR's body as its message body. */
  squashMerge(number: number, title: string, options: Partial<ModelPull> & { count?: number } = {}): ModelPull {
    const { count = 1, ...pull } = options;
    const branchCommits = this.branch(number, title, count, pull);
    const oid = this.commit(`${title} (#${number})\n\n${options.body ?? ""}`.trim(), {
      author: options.author?.login ?? "ada",
      login: loginOf(options),
    });
    return this.addPull({ number, title, mergeCommit: oid, commits: [oid], branchCommits, ...pull });
  }

  /** `count` commits on the PR's branch `feature-N`, off the head of main; main does not move. */
  private branch(number: number, title: string, count: number, options: Partial<ModelPull>): string[] {
    const branch = `feature-${number}`;
    this.heads.set(branch, this.head());
    const commits: string[] = [];
    for (let index = 0; index < count; index++)
      commits.push(this.commit(`${title}: part ${index + 1}`, { branch, author: options.author?.login ?? "ada", login: loginOf(options) }));
    return commits;
  }

  /** A merge commit: `count` commits on a branch off main, then "Merge pull request #N from owner/branch". */
  mergeCommit(number: number, title: string, count: number, options: Partial<ModelPull> = {}): ModelPull {
    const branchCommits = this.branch(number, title, count, options);
    const merge = this.commit(`Merge pull request #${number} from ${this.owner}/feature-${number}\n\n${title}`, {
      parents: [this.head(), branchCommits[branchCommits.length - 1]],
      author: "Grace Hopper",
    });
    return this.addPull({ number, title, mergeCommit: merge, commits: [...branchCommits, merge], branchCommits, ...options });
  }

  /**
   * A rebase merge: the PR's `count` branch commits replayed onto main as new commits with the same messages, authors
   * and author dates, and no PR number in their messages; the last replayed commit is the PR's merge commit.
   */
  rebaseMerge(number: number, title: string, count: number, options: Partial<ModelPull> = {}): ModelPull {
    const branchCommits = this.branch(number, title, count, options);
    const commits = branchCommits.map((original) => {
      const { message, authorName, authorLogin, authoredDate } = this.commits.get(original) as ModelCommit;
      return this.commit(message, { author: authorName, login: authorLogin ?? "", authoredDate });
    });
    return this.addPull({ number, title, mergeCommit: commits[commits.length - 1], commits, branchCommits, ...options });
  }

  ancestors(oid: string): Set<string> {
    const cached = this.ancestorCache.get(oid);
    if (cached) return cached;
    const seen = new Set<string>();
    const pending = [oid];
    while (pending.length) {
      const next = pending.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...(this.commits.get(next)?.parents ?? []));
    }
    this.ancestorCache.set(oid, seen);
    return seen;
  }

  /** What GET /compare/{base}...{head} answers about two commits. */
  compare(
    base: string,
    head: string,
  ): { status: "ahead" | "behind" | "identical" | "diverged"; ahead_by: number; behind_by: number; total_commits: number } {
    const baseSet = this.ancestors(base);
    const headSet = this.ancestors(head);
    const ahead = [...headSet].filter((oid) => !baseSet.has(oid)).length;
    const behind = [...baseSet].filter((oid) => !headSet.has(oid)).length;
    const status = base === head ? "identical" : ahead && !behind ? "ahead" : behind && !ahead ? "behind" : "diverged";
    return { status, ahead_by: ahead, behind_by: behind, total_commits: ahead };
  }

  /** Resolves a SHA, a branch or a tag name as `object(expression:)` does. */
  resolve(expression: string): string | undefined {
    if (this.commits.has(expression)) return expression;
    if (this.heads.has(expression)) return this.heads.get(expression);
    return this.tags.get(expression)?.commit;
  }

  /** The fake's `graphql` handler: executes the query, answering as GitHub does (errors with a top-level `type`). */
  readonly handler = (query: string, variables: Record<string, unknown>): unknown => {
    this.queries.push({ query, variables });
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [{ message: (error as Error).message }] };
    }
    const invalid = validate(SCHEMA, document);
    if (invalid.length) return { errors: invalid.map((error) => ({ message: error.message, locations: error.locations })) };
    const nodes = countNodes(document, variables);
    if (nodes > MAX_NODES) {
      return {
        errors: [
          {
            type: "MAX_NODE_LIMIT_EXCEEDED",
            message: `This query requests up to ${nodes.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of 500,000.`,
          },
        ],
      };
    }
    const result = executeSync({ schema: SCHEMA, document, rootValue: this.root(), variableValues: variables });
    return {
      data: result.data ?? null,
      ...(result.errors
        ? {
            errors: result.errors.map((error) => ({
              type: error.extensions?.type,
              path: error.path,
              locations: error.locations,
              message: error.message,
            })),
          }
        : {}),
    };
  };

  private root() {
    return {
      viewer: { login: "github-actions[bot]" },
      repository: ({ owner, name }: { owner: string; name: string }) =>
        owner === this.owner && name === this.name ? this.repositoryNode() : null,
    };
  }

  private repositoryNode() {
    return {
      nameWithOwner: `${this.owner}/${this.name}`,
      defaultBranchRef: { name: "main", prefix: "refs/heads/", target: this.heads.has("main") ? this.commitNode(this.head()) : null },
      pullRequests: (args: ConnectionArgs & PullRequestFilter) => connection("pullRequests", this.pullRequests(args), args),
      object: ({ oid, expression }: { oid?: string; expression?: string }) => {
        if (expression !== undefined && this.tags.get(expression)?.annotated) return this.tagNode(expression);
        const commit = oid ?? (expression !== undefined ? this.resolve(expression) : undefined);
        return commit && this.commits.has(commit) ? this.commitNode(commit) : null;
      },
      ref: ({ qualifiedName }: { qualifiedName: string }) => {
        const name = qualifiedName.replace(/^refs\/tags\//, "");
        return qualifiedName.startsWith("refs/tags/") && this.tags.has(name) ? this.refNode(name) : null;
      },
      refs: (args: ConnectionArgs & { refPrefix: string }) => {
        if (args.refPrefix !== "refs/tags/") return connection("refs", [], args);
        const names = [...this.tags.keys()].sort(
          (a, b) => this.commitDate(this.tags.get(b)?.commit) - this.commitDate(this.tags.get(a)?.commit) || a.localeCompare(b),
        );
        return connection(
          "refs",
          names.map((name) => this.refNode(name)),
          args,
        );
      },
    };
  }

  /** `repository.pullRequests`: filtered by base branch and state, ordered by creation (the default) or last update. */
  private pullRequests(filter: PullRequestFilter) {
    const states = filter.states ?? ["OPEN", "CLOSED", "MERGED"];
    const field = filter.orderBy?.field ?? "CREATED_AT";
    const sign = filter.orderBy?.direction === "DESC" ? -1 : 1;
    const key = (pull: ModelPull) => (field === "UPDATED_AT" ? Date.parse(pull.updatedAt) : pull.number);
    return this.pulls
      .filter(
        (pull) =>
          (filter.baseRefName == null || pull.baseRefName === filter.baseRefName) && states.includes(pull.merged ? "MERGED" : "CLOSED"),
      )
      .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number))
      .map((pull) => this.pullNode(pull));
  }

  private commitDate(oid?: string): number {
    return oid ? Date.parse(this.commits.get(oid)?.committedDate ?? "") : 0;
  }

  private refNode(name: string) {
    const tag = this.tags.get(name) as { commit: string; annotated: boolean };
    return { name, prefix: "refs/tags/", target: tag.annotated ? this.tagNode(name) : this.commitNode(tag.commit) };
  }

  private tagNode(name: string) {
    const tag = this.tags.get(name) as { commit: string; oid: string };
    return { __typename: "Tag", oid: tag.oid, name, target: this.commitNode(tag.commit) };
  }

  commitNode(oid: string): Record<string, unknown> {
    const commit = this.commits.get(oid) as ModelCommit;
    const [headline, ...rest] = commit.message.split("\n");
    return {
      __typename: "Commit",
      oid,
      message: commit.message,
      messageHeadline: headline,
      messageBody: rest.join("\n").trim(),
      committedDate: commit.committedDate,
      authoredDate: commit.authoredDate,
      author: {
        name: commit.authorName,
        email: `${commit.authorName}@example.com`,
        user: commit.authorLogin ? { login: commit.authorLogin } : null,
      },
      parents: (args: ConnectionArgs) =>
        connection(
          "parents",
          commit.parents.map((parent) => this.commitNode(parent)),
          args,
        ),
      // Children before parents, newest first: the order `git log` (and GitHub's history) lists them in.
      history: (args: ConnectionArgs) => {
        const reachable = this.ancestors(oid);
        const ordered = this.created.filter((candidate) => reachable.has(candidate)).reverse();
        return connection(
          "history",
          ordered.map((candidate) => this.lazyCommit(candidate)),
          args,
        );
      },
      associatedPullRequests: (args: ConnectionArgs) =>
        connection(
          "associatedPullRequests",
          this.pulls.filter((pull) => pull.commits.includes(oid)).map((pull) => this.pullNode(pull)),
          args,
        ),
    };
  }

  /** Builds the node only when graphql-js reads it, so a page of history costs its 100 commits, not the whole list. */
  private lazyCommit(oid: string): Record<string, unknown> {
    let node: Record<string, unknown> | undefined;
    const get = () => {
      node ??= this.commitNode(oid);
      return node;
    };
    return new Proxy({}, { get: (_target, key) => get()[key as string] });
  }

  private pullNode(pull: ModelPull) {
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      url: `https://github.com/${this.owner}/${this.name}/pull/${pull.number}`,
      merged: pull.merged,
      mergedAt: pull.merged ? (pull.mergedAt ?? null) : null,
      updatedAt: pull.updatedAt,
      baseRefName: pull.baseRefName,
      mergeCommit: pull.mergeCommit ? this.commitNode(pull.mergeCommit) : null,
      commits: (args: ConnectionArgs) =>
        connection(
          "commits",
          pull.branchCommits.map((oid) => ({ commit: this.lazyCommit(oid) })),
          args,
        ),
      author: { __typename: pull.author.type, login: pull.author.login },
      labels: (args: ConnectionArgs) =>
        connection(
          "labels",
          pull.labels.map((name) => ({ name })),
          args,
        ),
      files: (args: ConnectionArgs) =>
        connection(
          "files",
          pull.files.map((path) => ({ path })),
          args,
        ),
    };
  }
}

interface PullRequestFilter {
  baseRefName?: string | null;
  states?: Array<"OPEN" | "CLOSED" | "MERGED"> | null;
  orderBy?: { field: "CREATED_AT" | "UPDATED_AT" | "COMMENTS"; direction: "ASC" | "DESC" } | null;
}

function loginOf(options: Partial<ModelPull>): string | undefined {
  return options.author?.type === "Bot" ? undefined : options.author?.login;
}

/** GitHub's node count: each connection's `first` multiplied by the `first` of the connections it sits in. */
function countNodes(document: DocumentNode, variables: Record<string, unknown>): number {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  return countIn(operation.selectionSet, 1, variables);
}

function countIn(selectionSet: SelectionSetNode | undefined, multiplier: number, variables: Record<string, unknown>): number {
  let total = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.INLINE_FRAGMENT) total += countIn(selection.selectionSet, multiplier, variables);
    if (selection.kind !== Kind.FIELD) continue;
    const first = firstArgument(selection, variables);
    if (first !== undefined) total += multiplier * first + countIn(selection.selectionSet, multiplier * first, variables);
    else total += countIn(selection.selectionSet, multiplier, variables);
  }
  return total;
}

function firstArgument(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  const argument = field.arguments?.find((candidate) => candidate.name.value === "first");
  return argument ? Number(literalValue(argument.value, variables)) : undefined;
}

function literalValue(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.INT) return Number(value.value);
  return undefined;
}

/** Plugs a model into the GitHub fake: its GraphQL answers and the compare endpoint. */
export function serveRepository(
  fake: {
    graphql: (query: string, variables: Record<string, unknown>) => unknown;
    compareCommits: (base: string, head: string) => Record<string, unknown> | undefined;
  },
  model: RepositoryModel,
): void {
  fake.graphql = model.handler;
  fake.compareCommits = (base, head) => {
    const baseOid = model.resolve(base);
    const headOid = model.resolve(head);
    return baseOid && headOid ? model.compare(baseOid, headOid) : undefined;
  };
}
