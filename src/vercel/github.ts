import { errorMessage } from "../lib/errors.js";
import { type GitHubClient, isPermissionDenied } from "../lib/github.js";
import type { Logger } from "../lib/logger.js";
import { upsertStickyComment } from "../lib/sticky-comment.js";

export interface GitHubTarget {
  owner: string;
  repo: string;
}

/**
 * GitHub's side of a deploy: one Deployment with statuses (in_progress → success/failure) and one sticky PR comment.
 * A read-only token (fork PRs) gets 403 on these writes: we warn once and carry on with the job summary only.
 */
export class GitHubReporter {
  private deploymentId?: number;
  /** Previews of different PRs share one environment: a new one must not mark the others inactive. */
  private autoInactive = true;
  private disabled = false;
  readonly warnings: string[] = [];

  constructor(
    private readonly client: GitHubClient,
    private readonly repo: GitHubTarget,
    private readonly logger: Logger,
  ) {}

  /** Creates the GitHub Deployment for `ref` in `environment` and marks it in progress. */
  async startDeployment(options: {
    ref: string;
    environment: string;
    production: boolean;
    description: string;
    logUrl?: string;
  }): Promise<void> {
    await this.guard("create a GitHub deployment", async () => {
      const { data } = await this.client.rest.repos.createDeployment({
        ...this.repo,
        ref: options.ref,
        environment: options.environment,
        description: options.description,
        auto_merge: false,
        required_contexts: [],
        transient_environment: !options.production && options.environment.toLowerCase() === "preview",
        production_environment: options.production,
      });
      if (!("id" in data)) throw new Error(`GitHub did not create the deployment: ${(data as { message?: string }).message ?? "no id"}`);
      this.deploymentId = data.id;
      this.autoInactive = options.production || options.environment.toLowerCase() !== "preview";
      await this.setStatus("in_progress", { logUrl: options.logUrl, description: "Deploying to Vercel" });
    });
  }

  /** Adds a status to our deployment; `log_url` points at the Vercel inspector. */
  async setStatus(
    state: "in_progress" | "success" | "failure" | "error",
    fields: { environmentUrl?: string; logUrl?: string; description?: string },
  ): Promise<void> {
    if (this.deploymentId === undefined) return;
    const id = this.deploymentId;
    await this.guard("update the GitHub deployment status", async () => {
      await this.client.rest.repos.createDeploymentStatus({
        ...this.repo,
        deployment_id: id,
        state,
        environment_url: fields.environmentUrl,
        log_url: fields.logUrl,
        description: fields.description?.slice(0, 140),
        auto_inactive: state === "success" && this.autoInactive,
      });
    });
  }

  /** Updates the comment carrying `marker` (searched across every page) or creates it: never a second one. */
  async upsertComment(issueNumber: number, marker: string, body: string): Promise<"created" | "updated" | "unchanged" | undefined> {
    return this.guard("write the pull request comment", async () => {
      const { action } = await upsertStickyComment(this.client, { ...this.repo, issueNumber }, marker, body);
      return action;
    });
  }

  private async guard<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.disabled) return undefined;
    try {
      return await work();
    } catch (error) {
      // GitHub bookkeeping never fails a deploy that Vercel accepted: it becomes a warning.
      const denied = isPermissionDenied(error);
      if (denied) this.disabled = true;
      const status = (error as { status?: number }).status;
      const message = denied
        ? `The GitHub token may not ${what} (${status}: ${errorMessage(error)}); this happens on pull requests from forks. The result is in the job summary only.`
        : `Could not ${what}: ${errorMessage(error)}`;
      this.warnings.push(message);
      this.logger.warning(message);
      return undefined;
    }
  }
}
