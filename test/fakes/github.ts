import { HttpFake, type RecordedRequest, type Reply } from "./http-fake.js";

export interface FakeComment {
  id: number;
  issue_number: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status?: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
  /** Every annotation sent, across the create and all updates (GitHub appends them). */
  annotations: unknown[];
}

/** A pull request review, as GET /pulls/{n}/reviews lists it (oldest first). */
export interface FakeReview {
  id: number;
  user: { login: string; type?: string };
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commit_id: string;
  submitted_at: string;
  body?: string;
}

/** A changed file of a pull request, as GET /pulls/{n}/files lists it. */
export interface FakePullFile {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed" | "copied" | "changed" | "unchanged";
  additions?: number;
  deletions?: number;
  changes?: number;
  /** The unified diff hunk text; GitHub leaves it out for binary and very large diffs. */
  patch?: string;
  previous_filename?: string;
}

export interface FakeDeployment {
  id: number;
  ref: string;
  environment: string;
  statuses: Array<{ state: string; environment_url?: string; log_url?: string; description?: string; id?: number; created_at?: string }>;
  payload?: unknown;
  /** The commit the ref resolved to (GitHub resolves at creation); a SHA ref is its own. */
  sha?: string;
  description?: string | null;
  task?: string;
  created_at?: string;
}

/** One environment review of a workflow run, as GET /actions/runs/{id}/approvals lists it. */
export interface FakeRunApproval {
  state: "approved" | "rejected";
  comment: string;
  user: { login: string; type?: string };
  environments: Array<{ id?: number; name: string }>;
}

/** What a git ref or tag object points at. */
export interface FakeGitObject {
  type: "commit" | "tag";
  sha: string;
}

/**
 * The subset of GitHub's REST API the suite uses: check runs, issue comments (paginated, as the real API is),
 * deployments and their statuses, pull requests. `readOnly` answers writes with 403, as a fork PR's token gets.
 */
export class GitHubFake extends HttpFake {
  readOnly = false;
  /** The login our token acts as; comments it wrote are "ours". */
  botLogin = "github-actions[bot]";
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];
  readonly deployments: FakeDeployment[] = [];
  readonly pulls = new Map<number, Record<string, unknown>>();
  /** Reviews per pull request number, oldest first. */
  readonly reviews = new Map<number, FakeReview[]>();
  /** Changed files per pull request number. */
  readonly pullFiles = new Map<number, FakePullFile[]>();
  /** Pull requests associated with a commit (GET /commits/{sha}/pulls), by SHA. */
  readonly commitPulls = new Map<string, Array<Record<string, unknown>>>();
  /** Team members by "org/slug"; a team missing here answers 404, as an unknown team does. */
  readonly teams = new Map<string, string[]>();
  /** Environment reviews per workflow run id. */
  readonly runApprovals = new Map<number, FakeRunApproval[]>();
  /** Tags by name → a commit (lightweight) or a tag object (annotated, see tagObjects). */
  readonly tags = new Map<string, FakeGitObject>();
  /** Annotated tag objects by their SHA → what they point at. */
  readonly tagObjects = new Map<string, FakeGitObject>();
  private nextId = 1000;
  /** Answers GraphQL queries; tests replace it with the shapes they need. */
  graphql: (query: string, variables: Record<string, unknown>) => unknown = (query) =>
    /viewer\s*\{\s*login/.test(query)
      ? { data: { viewer: { login: this.botLogin } } }
      : { errors: [{ message: "the fake has no answer for this query" }] };

  constructor() {
    super();
    const repo = "/repos/:owner/:repo";
    this.route("POST", `${repo}/check-runs`, (request) => this.write(() => this.createCheckRun(request)));
    this.route("PATCH", `${repo}/check-runs/:id`, (request, { id }) => this.write(() => this.updateCheckRun(Number(id), request)));
    this.route("GET", `${repo}/issues/:number/comments`, (request, { number }) =>
      paginate(
        request,
        this.comments.filter((comment) => comment.issue_number === Number(number)),
      ),
    );
    this.route("POST", `${repo}/issues/:number/comments`, (request, { number }) =>
      this.write(() => {
        const invalid = invalidCommentBody(request.json?.body);
        if (invalid) return invalid;
        const comment = {
          id: this.nextId++,
          issue_number: Number(number),
          body: request.json.body,
          user: { login: this.botLogin, type: "Bot" },
        };
        this.comments.push(comment);
        return { status: 201, body: comment };
      }),
    );
    this.route("PATCH", `${repo}/issues/comments/:id`, (request, { id }) =>
      this.write(() => {
        const comment = this.comments.find((candidate) => candidate.id === Number(id));
        if (!comment) return { status: 404, body: { message: "Not Found" } };
        const invalid = invalidCommentBody(request.json?.body);
        if (invalid) return invalid;
        comment.body = request.json.body;
        return { body: comment };
      }),
    );
    this.route("POST", `${repo}/deployments`, (request) =>
      this.write(() => {
        const deployment: FakeDeployment = {
          id: this.nextId++,
          ref: request.json.ref,
          environment: request.json.environment ?? "production",
          statuses: [],
          payload: request.json.payload,
          sha: this.resolveCommit(request.json.ref),
          description: request.json.description ?? null,
          task: request.json.task ?? "deploy",
          created_at: new Date().toISOString(),
        };
        this.deployments.push(deployment);
        return { status: 201, body: deployment };
      }),
    );
    this.route("POST", `${repo}/deployments/:id/statuses`, (request, { id }) =>
      this.write(() => {
        const deployment = this.deployments.find((candidate) => candidate.id === Number(id));
        if (!deployment) return { status: 404, body: { message: "Not Found" } };
        const status = { id: this.nextId++, created_at: new Date().toISOString(), ...request.json };
        deployment.statuses.push(status);
        return { status: 201, body: status };
      }),
    );
    this.route("GET", `${repo}/deployments/:id/statuses`, (request, { id }) =>
      // Newest first, as GitHub lists them.
      paginate(request, [...(this.deployments.find((candidate) => candidate.id === Number(id))?.statuses ?? [])].reverse()),
    );
    this.route("GET", `${repo}/pulls/:number`, (_request, { number }) => {
      const pull = this.pulls.get(Number(number));
      return pull ? { body: pull } : { status: 404, body: { message: "Not Found" } };
    });
    this.registerPullRequestRoutes();
    this.registerApprovalRoutes();
    this.route("GET", "/user", () => ({ body: { login: this.botLogin } }));
    this.route("POST", "/graphql", (request) => ({ body: this.graphql(request.json?.query ?? "", request.json?.variables ?? {}) }));
  }

  /** Reviews, changed files, associated pulls, team members and check runs of a commit: what compliance and approval read. */
  private registerPullRequestRoutes(): void {
    const repo = "/repos/:owner/:repo";
    this.route("GET", `${repo}/pulls/:number/reviews`, (request, { number }) => paginate(request, this.reviews.get(Number(number)) ?? []));
    // GitHub lists at most 3,000 files of a pull request.
    this.route("GET", `${repo}/pulls/:number/files`, (request, { number }) =>
      paginate(request, (this.pullFiles.get(Number(number)) ?? []).slice(0, 3000)),
    );
    this.route("GET", `${repo}/commits/:sha/pulls`, (request, { sha }) => paginate(request, this.commitPulls.get(sha) ?? []));
    this.route("GET", `${repo}/commits/:ref/check-runs`, (request, { ref }) => {
      const name = request.query.get("check_name");
      const runs = this.checkRuns.filter((run) => run.head_sha === ref && (!name || run.name === name));
      const page = paginate(request, runs);
      return { ...page, body: { total_count: runs.length, check_runs: page.body } };
    });
    this.route("GET", "/orgs/:org/teams/:slug/members", (request, { org, slug }) => {
      const members = this.teams.get(`${org}/${slug}`);
      if (!members) return { status: 404, body: { message: "Not Found" } };
      return paginate(
        request,
        members.map((login) => ({ login, type: "User" })),
      );
    });
    this.route("GET", "/orgs/:org/teams/:slug/memberships/:user", (_request, { org, slug, user }) => {
      const members = this.teams.get(`${org}/${slug}`);
      if (!members?.includes(user)) return { status: 404, body: { message: "Not Found" } };
      return { body: { state: "active", role: "member", url: `https://api.github.com/orgs/${org}/teams/${slug}/memberships/${user}` } };
    });
  }

  /** Run approvals, deployment reads, tags and teams: what the approval action reads besides pulls and checks. */
  private registerApprovalRoutes(): void {
    const repo = "/repos/:owner/:repo";
    const notFound: Reply = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
    this.route("GET", `${repo}/actions/runs/:runId/approvals`, (_request, { runId }) => ({
      body: this.runApprovals.get(Number(runId)) ?? [],
    }));
    // Newest first, filtered by sha, ref and environment, as GitHub lists them.
    this.route("GET", `${repo}/deployments`, (request) => {
      const sha = request.query.get("sha");
      const ref = request.query.get("ref");
      const environment = request.query.get("environment");
      const matching = this.deployments.filter(
        (deployment) =>
          (!sha || (deployment.sha ?? deployment.ref) === sha) &&
          (!ref || deployment.ref === ref) &&
          (!environment || deployment.environment === environment),
      );
      return paginate(
        request,
        [...matching].sort((a, b) => b.id - a.id).map(({ statuses: _statuses, ...deployment }) => deployment),
      );
    });
    this.route("GET", `${repo}/deployments/:id`, (_request, { id }) => {
      const found = this.deployments.find((candidate) => candidate.id === Number(id));
      if (!found) return notFound;
      const { statuses: _statuses, ...deployment } = found;
      return { body: { ...deployment, sha: deployment.sha ?? deployment.ref } };
    });
    // Octokit sends the ref URL-encoded (tags%2Fv1.2.0); the router decodes it.
    this.route("GET", `${repo}/git/ref/:ref`, (_request, { ref }) => {
      const object = ref.startsWith("tags/") ? this.tags.get(ref.slice("tags/".length)) : undefined;
      return object ? { body: { ref: `refs/${ref}`, object } } : notFound;
    });
    this.route("GET", `${repo}/git/tags/:sha`, (_request, { sha }) => {
      const object = this.tagObjects.get(sha);
      return object ? { body: { sha, tag: "annotated", object } } : notFound;
    });
    // An unknown team is a 404 here; GET …/memberships/{user} answers 404 for a non-member of a known team too.
    this.route("GET", "/orgs/:org/teams/:slug", (_request, { org, slug }) =>
      this.teams.has(`${org}/${slug}`) ? { body: { id: 1, slug, name: slug, organization: { login: org } } } : notFound,
    );
  }

  /** What a deployment ref names: a SHA is itself, a tag resolves through annotated tag objects. */
  private resolveCommit(ref: string): string {
    let object = this.tags.get(ref.replace(/^refs\/tags\//, ""));
    for (let depth = 0; object?.type === "tag" && depth < 5; depth++) object = this.tagObjects.get(object.sha);
    return object?.type === "commit" ? object.sha : ref;
  }

  /** Writes fail with 403 on a read-only token, as on fork PRs. */
  private write(work: () => Reply): Reply {
    if (this.readOnly)
      return {
        status: 403,
        body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" },
      };
    return work();
  }

  private createCheckRun(request: RecordedRequest): Reply {
    const body = request.json;
    if (!body?.name || !body?.head_sha) return unprocessable("name and head_sha are required");
    const invalidState = checkRunState(body);
    if (invalidState) return invalidState;
    const run: FakeCheckRun = {
      id: this.nextId++,
      name: body.name,
      head_sha: body.head_sha,
      status: body.status,
      conclusion: body.conclusion,
      output: body.output,
      annotations: [],
    };
    const invalid = this.appendAnnotations(run, body.output);
    if (invalid) return invalid;
    this.checkRuns.push(run);
    return { status: 201, body: { id: run.id, name: run.name, head_sha: run.head_sha, html_url: `https://github.com/checks/${run.id}` } };
  }

  private updateCheckRun(id: number, request: RecordedRequest): Reply {
    const run = this.checkRuns.find((candidate) => candidate.id === id);
    if (!run) return { status: 404, body: { message: "Not Found" } };
    const body = request.json;
    const invalidState = checkRunState(body);
    if (invalidState) return invalidState;
    const invalid = this.appendAnnotations(run, body.output);
    if (invalid) return invalid;
    Object.assign(run, {
      status: body.status ?? run.status,
      conclusion: body.conclusion ?? run.conclusion,
      output: { ...run.output, ...body.output },
    });
    return { body: { id: run.id } };
  }

  /** Enforces the Checks API limits the real service enforces. */
  private appendAnnotations(run: FakeCheckRun, output?: FakeCheckRun["output"]): Reply | undefined {
    if (!output) return undefined;
    if (!output.title || !output.summary) return unprocessable("output.title and output.summary are required");
    if ((output.annotations?.length ?? 0) > 50) return unprocessable("Only 50 annotations are allowed per request");
    const badAnnotation = (output.annotations ?? []).find((annotation) => !isValidAnnotation(annotation));
    if (badAnnotation) return unprocessable(`invalid annotation ${JSON.stringify(badAnnotation).slice(0, 200)}`);
    if ((output.summary?.length ?? 0) > 65_535 || (output.text?.length ?? 0) > 65_535)
      return unprocessable("output is too long (maximum is 65535 characters)");
    run.annotations.push(...(output.annotations ?? []));
    return undefined;
  }
}

const ANNOTATION_LEVELS = ["notice", "warning", "failure"];

/** What the Checks API requires of each annotation. */
function isValidAnnotation(annotation: any): boolean {
  return (
    typeof annotation?.path === "string" &&
    annotation.path.length > 0 &&
    Number.isInteger(annotation.start_line) &&
    Number.isInteger(annotation.end_line) &&
    annotation.end_line >= annotation.start_line &&
    ANNOTATION_LEVELS.includes(annotation.annotation_level) &&
    typeof annotation.message === "string" &&
    annotation.message.length > 0
  );
}

/** A completed check run needs a conclusion, and a conclusion means completed. */
function checkRunState(body: { status?: string; conclusion?: string }): Reply | undefined {
  if (body.status === "completed" && !body.conclusion) return unprocessable("conclusion is required when status is completed");
  if (body.conclusion && body.status && body.status !== "completed") return unprocessable("a conclusion requires status completed");
  return undefined;
}

/** Issue comment bodies: required, at most 65,536 characters. */
function invalidCommentBody(body: unknown): Reply | undefined {
  if (typeof body !== "string" || body.length === 0) return unprocessable("body is required");
  if (body.length > 65_536) return unprocessable("body is too long (maximum is 65536 characters)");
  return undefined;
}

function unprocessable(message: string): Reply {
  return { status: 422, body: { message: "Validation Failed", errors: [{ message }] } };
}

/** Serves a list page by page with a Link header, as GitHub does (per_page defaults to 30). */
function paginate(request: RecordedRequest, items: unknown[]): Reply {
  const perPage = Math.min(100, Number(request.query.get("per_page") ?? 30));
  const page = Number(request.query.get("page") ?? 1);
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const headers: Record<string, string> = {};
  if (page < pages) {
    const next = new URL(`http://127.0.0.1${request.path}?${request.query}`);
    next.searchParams.set("page", String(page + 1));
    next.searchParams.set("per_page", String(perPage));
    headers.link = `<${request.headers.host ? `http://${request.headers.host}` : ""}${next.pathname}${next.search}>; rel="next"`;
  }
  return { body: items.slice((page - 1) * perPage, page * perPage), headers };
}
