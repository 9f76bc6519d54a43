import { withDeadline } from "../lib/cancel.js";
import { ConfigurationError, isUserFacing, RemoteError } from "../lib/errors.js";
import type { GitHubClient } from "../lib/github.js";
import { INPUTS } from "./settings.js";

export interface Repo {
  owner: string;
  repo: string;
}

/** A pull request that brought the commit: who wrote it, who merged it, and its final head commit. */
export interface PullInfo {
  number: number;
  author?: string;
  merger?: string;
  headSha?: string;
}

export interface ReviewInfo {
  login: string;
  state: string;
  commitId?: string;
  submittedAt?: string;
}

export interface RunApprovalInfo {
  login: string;
  environments: string[];
}

export interface CheckRunInfo {
  name: string;
  status: string;
  conclusion?: string;
  url?: string;
  at?: string;
}

export interface StagingInfo {
  deploymentId: number;
  state: string;
  at?: string;
}

export interface CreatedDeployment {
  id: number;
}

export interface StoredDeployment {
  id: number;
  sha?: string;
  environment?: string;
  description?: string;
  payload: unknown;
}

/** How long one GitHub request (with its retries) may take before the step gives up on it. */
const REQUEST_TIMEOUT_MS = 60_000;

type RequestOptions = { request: { signal: AbortSignal } };
type PageOptions = RequestOptions & { page: number; per_page: number };
const PAGE_SIZE = 100;
/** 10,000 items: far past any real list of reviews, check runs or deployments of one commit. */
const MAX_PAGES = 100;

/** Every GitHub read and the one write the approval action makes, behind one object so its errors read the same. */
export class ApprovalApi {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: Repo,
    /** The job's cancellation; each request also has its own deadline. */
    private readonly signal?: AbortSignal,
  ) {}

  /** The commit a tag points at, through annotated tag objects; a missing tag is the user's mistake. */
  async resolveTag(tag: string): Promise<string> {
    let object = await this.call(
      `read tag ${tag}`,
      async (options) => (await this.client.rest.git.getRef({ ...this.repo, ref: `tags/${tag}`, ...options })).data.object,
      () => {
        throw new ConfigurationError(`Input '${INPUTS.version}' got ${JSON.stringify(tag)}, but ${this.slug()} has no such tag.`);
      },
    );
    // Annotated tags point at a tag object; a tag of a tag nests further. Five levels is far past any real use.
    for (let depth = 0; object.type === "tag" && depth < 5; depth++) {
      const tagSha = object.sha;
      object = await this.call(
        `read tag object ${tagSha}`,
        async (options) => (await this.client.rest.git.getTag({ ...this.repo, tag_sha: tagSha, ...options })).data.object,
      );
    }
    if (object.type !== "commit") {
      throw new ConfigurationError(`Input '${INPUTS.version}' got ${JSON.stringify(tag)}, which points at a ${object.type}, not a commit.`);
    }
    return object.sha;
  }

  /** The members of a team; an unknown team is the user's mistake, told apart from a non-member by GET /teams/{slug}. */
  async teamMembers(org: string, slug: string): Promise<string[]> {
    await this.call(
      `read the team ${org}/${slug}`,
      (options) => this.client.rest.teams.getByName({ org, team_slug: slug, ...options }),
      () => {
        throw new ConfigurationError(
          `Input '${INPUTS.approvers}' names the team ${org}/${slug}, which does not exist or the token cannot see (team lookups need read:org).`,
        );
      },
    );
    const members = await this.pages(`list the members of ${org}/${slug}`, (page) =>
      this.client.rest.teams.listMembersInOrg({ org, team_slug: slug, ...page }),
    );
    return members.map((member) => member.login);
  }

  /** Membership as GitHub states it: `active` counts, `pending` (an unanswered invitation) and 404 do not. */
  async isActiveTeamMember(org: string, slug: string, login: string): Promise<boolean> {
    return this.call(
      `check ${login}'s membership of ${org}/${slug}`,
      async (options) =>
        (await this.client.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login, ...options })).data.state ===
        "active",
      () => false,
    );
  }

  /** The pull requests that brought a commit, each re-read in full: the commit's list omits who merged it. */
  async pullsOf(sha: string): Promise<PullInfo[]> {
    const pulls = await this.pages(`list the pull requests of ${sha.slice(0, 7)}`, (page) =>
      this.client.rest.repos.listPullRequestsAssociatedWithCommit({ ...this.repo, commit_sha: sha, ...page }),
    );
    const infos: PullInfo[] = [];
    for (const simple of pulls) {
      const pull = await this.call(
        `read pull request #${simple.number}`,
        async (options) => (await this.client.rest.pulls.get({ ...this.repo, pull_number: simple.number, ...options })).data,
      );
      infos.push({ number: pull.number, author: pull.user?.login, merger: pull.merged_by?.login ?? undefined, headSha: pull.head?.sha });
    }
    return infos;
  }

  async reviews(pullNumber: number): Promise<ReviewInfo[]> {
    const reviews = await this.pages(`list the reviews of #${pullNumber}`, (page) =>
      this.client.rest.pulls.listReviews({ ...this.repo, pull_number: pullNumber, ...page }),
    );
    return reviews
      .filter((review) => review.user?.login)
      .map((review) => ({
        login: review.user!.login,
        state: review.state,
        commitId: review.commit_id ?? undefined,
        submittedAt: review.submitted_at,
      }));
  }

  /** The environment reviews of a workflow run: who approved which environments. */
  async runApprovals(runId: number): Promise<RunApprovalInfo[]> {
    const approvals = await this.call(
      `read the approvals of run ${runId}`,
      async (options) => (await this.client.rest.actions.getReviewsForRun({ ...this.repo, run_id: runId, ...options })).data,
    );
    return approvals
      .filter((approval) => approval.state === "approved" && approval.user?.login)
      .map((approval) => ({
        login: approval.user.login,
        environments: approval.environments.map((environment) => environment.name ?? ""),
      }));
  }

  /** The latest check runs of that name on the commit (GitHub's default filter=latest). */
  async checkRuns(sha: string, name: string): Promise<CheckRunInfo[]> {
    const runs = await this.pages(
      `list the '${name}' check runs of ${sha.slice(0, 7)}`,
      (page) => this.client.rest.checks.listForRef({ ...this.repo, ref: sha, check_name: name, filter: "latest", ...page }),
      (data) => data.check_runs,
    );
    return runs.map((run) => ({
      name: run.name,
      status: run.status,
      conclusion: run.conclusion ?? undefined,
      url: run.html_url ?? `https://github.com/${this.slug()}/runs/${run.id}`,
      at: run.completed_at ?? run.started_at ?? undefined,
    }));
  }

  /** The commit's deployments to an environment, newest first, each with its latest status. */
  async deploymentsWithLatestStatus(sha: string, environment: string): Promise<Array<StagingInfo>> {
    const deployments = await this.pages(`list the ${environment} deployments of ${sha.slice(0, 7)}`, (page) =>
      this.client.rest.repos.listDeployments({ ...this.repo, sha, environment, ...page }),
    );
    const infos: StagingInfo[] = [];
    for (const deployment of deployments.sort((a, b) => b.id - a.id)) {
      // Statuses are listed newest first: one item is the latest.
      const statuses = await this.call(
        `read the statuses of deployment ${deployment.id}`,
        async (options) =>
          (await this.client.rest.repos.listDeploymentStatuses({ ...this.repo, deployment_id: deployment.id, per_page: 1, ...options }))
            .data,
      );
      infos.push({ deploymentId: deployment.id, state: statuses[0]?.state ?? "no status", at: statuses[0]?.created_at });
    }
    return infos;
  }

  async createDeployment(fields: {
    sha: string;
    environment: string;
    payload: Record<string, unknown>;
    description: string;
  }): Promise<CreatedDeployment> {
    const data = await this.call(
      `create the ${fields.environment} deployment`,
      async (options) =>
        (
          await this.client.rest.repos.createDeployment({
            ...this.repo,
            ref: fields.sha,
            environment: fields.environment,
            task: "deploy:promote",
            auto_merge: false,
            required_contexts: [],
            payload: fields.payload,
            description: fields.description,
            production_environment: fields.environment === "production",
            ...options,
          })
        ).data,
    );
    if (!("id" in data)) {
      throw new RemoteError(`GitHub did not create the ${fields.environment} deployment: ${data.message ?? "no id returned"}.`);
    }
    return { id: data.id };
  }

  async deployment(id: number): Promise<StoredDeployment> {
    const data = await this.call(
      `read deployment ${id}`,
      async (options) => (await this.client.rest.repos.getDeployment({ ...this.repo, deployment_id: id, ...options })).data,
    );
    return {
      id: data.id,
      sha: data.sha,
      environment: data.environment,
      description: data.description ?? undefined,
      payload: data.payload,
    };
  }

  /**
   * Every page of a list, following GitHub's Link header, each page under its own deadline. Octokit's paginate would
   * drop the abort signal after the first request, so a slow page could not be cancelled.
   */
  private async pages<Data, Item = Data extends Array<infer T> ? T : never>(
    what: string,
    fetchPage: (page: PageOptions) => Promise<{ data: Data; headers: { link?: string } }>,
    pick: (data: Data) => Item[] = (data) => data as unknown as Item[],
  ): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const response = await this.call(page === 1 ? what : `${what} (page ${page})`, (options) =>
        fetchPage({ page, per_page: PAGE_SIZE, ...options }),
      );
      items.push(...pick(response.data));
      if (!/rel="next"/.test(response.headers.link ?? "")) return items;
    }
    throw new RemoteError(`GitHub kept paging past ${MAX_PAGES * PAGE_SIZE} items to ${what}; refusing to read further.`);
  }

  private slug(): string {
    return `${this.repo.owner}/${this.repo.repo}`;
  }

  /** One request with its deadline; `on404` answers GitHub's 404 when it means something (no tag, not a member). */
  private async call<T>(what: string, work: (options: RequestOptions) => Promise<T>, on404?: () => T): Promise<T> {
    const signal = withDeadline(this.signal, REQUEST_TIMEOUT_MS, `GitHub: ${what}`);
    // Fetch gets a plain AbortError: Octokit's retry plugin retries an abort with any other reason as a 500.
    const fetchAbort = new AbortController();
    if (signal.aborted) fetchAbort.abort();
    else signal.addEventListener("abort", () => fetchAbort.abort(), { once: true });
    try {
      return await work({ request: { signal: fetchAbort.signal } });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (on404 && status(error) === 404) return on404();
      throw remote(what, error);
    }
  }
}

function status(error: unknown): number | undefined {
  return (error as { status?: number })?.status;
}

/** A sentence from GitHub's own error fields: status, message and the first validation error. */
function remote(what: string, error: unknown): Error {
  if (isUserFacing(error)) return error;
  const e = error as {
    status?: number;
    message?: string;
    response?: { data?: { message?: string; errors?: Array<{ message?: string }> } };
  };
  const data = e.response?.data;
  const detail = [data?.message ?? e.message?.split(" - ")[0], data?.errors?.[0]?.message].filter(Boolean).join(": ");
  const hint =
    e.status === 403 || e.status === 404
      ? " (check the token's permissions: deployments, checks, pull-requests, actions read; read:org for teams)"
      : "";
  return new RemoteError(`GitHub could not ${what}: ${e.status ? `HTTP ${e.status} ` : ""}${detail || "no answer"}${hint}.`, e.status);
}
