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

/** An issue (or PR) timeline event, as GET /issues/{n}/events lists it (oldest first). */
export interface FakeIssueEvent {
  id: number;
  event: string;
  actor: { login: string };
  label?: { name: string };
  created_at: string;
}

/** A release as the REST API shows it; drafts have an `untagged-…` URL until published. */
export interface FakeRelease {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  created_at: string;
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
  /** Issue events per issue/PR number (labeled, unlabeled, …), oldest first. */
  readonly issueEvents = new Map<number, FakeIssueEvent[]>();
  /** Releases, oldest first (GET /releases lists them newest first). */
  readonly releases: FakeRelease[] = [];
  /** Answers GET /compare/{base}...{head}; the release-notes tests plug in their repository model. */
  compareCommits: (base: string, head: string) => Record<string, unknown> | undefined = () => undefined;
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

  /** With `tls`, it serves HTTPS (a test-made certificate), as the proxy test needs. */
  constructor(options: ConstructorParameters<typeof HttpFake>[0] = {}) {
    super(options);
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
    this.registerComplianceRoutes();
    this.registerReleaseRoutes();
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

  /** Issue events (who applied a label) and labelling, for compliance's waive label. */
  private registerComplianceRoutes(): void {
    const repo = "/repos/:owner/:repo";
    this.route("GET", `${repo}/issues/:number/events`, (request, { number }) =>
      paginate(request, this.issueEvents.get(Number(number)) ?? []),
    );
  }

  /** Applies a label as `login` would: on the pull request's labels, with the `labeled` event GitHub records. */
  applyLabel(number: number, name: string, login: string): void {
    const pull = this.pulls.get(number);
    if (pull) pull.labels = [...((pull.labels as Array<{ name: string }>) ?? []).filter((label) => label.name !== name), { name }];
    const events = this.issueEvents.get(number) ?? [];
    events.push({ id: this.nextId++, event: "labeled", actor: { login }, label: { name }, created_at: new Date().toISOString() });
    this.issueEvents.set(number, events);
  }

  /** Releases (list, create, update, get by id and by tag) and commit comparison: what release-notes uses. */
  private registerReleaseRoutes(): void {
    const repo = "/repos/:owner/:repo";
    const notFound: Reply = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
    this.route("GET", `${repo}/releases`, (request) => paginate(request, [...this.releases].reverse()));
    this.route("GET", `${repo}/releases/tags/:tag`, (_request, { tag }) => {
      // Drafts have no tag until published, so only published releases are found by tag.
      const release = this.releases.find((candidate) => !candidate.draft && candidate.tag_name === tag);
      return release ? { body: release } : notFound;
    });
    this.route("GET", `${repo}/releases/:id`, (_request, { id }) => {
      const release = this.releases.find((candidate) => candidate.id === Number(id));
      return release ? { body: release } : notFound;
    });
    this.route("POST", `${repo}/releases`, (request, { owner, repo: name }) =>
      this.write(() => {
        const body = request.json ?? {};
        if (typeof body.tag_name !== "string" || !body.tag_name) return unprocessable("tag_name is required");
        const invalid = invalidReleaseBody(body.body);
        if (invalid) return invalid;
        if (!body.draft && this.releases.some((release) => !release.draft && release.tag_name === body.tag_name)) {
          return {
            status: 422,
            body: { message: "Validation Failed", errors: [{ resource: "Release", code: "already_exists", field: "tag_name" }] },
          };
        }
        const id = this.nextId++;
        const release: FakeRelease = {
          id,
          tag_name: body.tag_name,
          target_commitish: body.target_commitish ?? "main",
          name: body.name ?? null,
          body: body.body ?? null,
          draft: Boolean(body.draft),
          prerelease: Boolean(body.prerelease),
          html_url: `https://github.com/${owner}/${name}/releases/${body.draft ? `tag/untagged-${id.toString(16).padStart(20, "0")}` : `tag/${body.tag_name}`}`,
          created_at: new Date().toISOString(),
        };
        this.releases.push(release);
        return { status: 201, body: release };
      }),
    );
    this.route("PATCH", `${repo}/releases/:id`, (request, { id }) =>
      this.write(() => {
        const release = this.releases.find((candidate) => candidate.id === Number(id));
        if (!release) return notFound;
        const body = request.json ?? {};
        if (body.body !== undefined) {
          const invalid = invalidReleaseBody(body.body);
          if (invalid) return invalid;
        }
        for (const field of ["tag_name", "target_commitish", "name", "body", "draft", "prerelease"] as const) {
          if (body[field] !== undefined) Object.assign(release, { [field]: body[field] });
        }
        return { body: release };
      }),
    );
    this.route("GET", `${repo}/compare/:basehead`, (_request, { basehead }) => {
      const [base, head] = basehead.split("...");
      const comparison = head ? this.compareCommits(base, head) : undefined;
      return comparison ? { body: { commits: [], files: [], ...comparison } } : { status: 404, body: { message: "Not Found" } };
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

/** GitHub's answer to a release body past 125,000 characters. */
function invalidReleaseBody(body: unknown): Reply | undefined {
  if (typeof body === "string" && body.length > 125_000) {
    return {
      status: 422,
      body: {
        message: "Validation Failed",
        errors: [{ resource: "Release", code: "custom", field: "body", message: "body is too long (maximum is 125000 characters)" }],
        documentation_url: "https://docs.github.com/rest/releases/releases#create-a-release",
      },
    };
  }
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
