import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { boundedRequestOptions, unwrapStopped } from "./github-fetch.js";
import type { Logger } from "./logger.js";

/** The client `@actions/github` hands out: REST methods and pagination, plus our retry and throttling plugins. */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** Defaults to GITHUB_API_URL, then api.github.com: GHES and the test fakes set it. */
  baseUrl?: string;
  logger?: Logger;
  /** Retries for secondary-limit and abuse responses; tests lower it. */
  maxRateLimitRetries?: number;
  env?: NodeJS.ProcessEnv;
  /** Each attempt of each request (body included) ends after this long with a RemoteError; default one minute. */
  requestTimeoutMs?: number;
  /** Stops every request, pages and retries included, with the signal's reason (a CancelledError from lib/cancel). */
  signal?: AbortSignal;
}

/** Far above GitHub's own ten seconds per REST or GraphQL request, so only a hung connection reaches it. */
export const GITHUB_REQUEST_TIMEOUT_MS = 60_000;

export function githubApiUrls(env: NodeJS.ProcessEnv = process.env): { rest: string; graphql: string } {
  const rest = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, "");
  return { rest, graphql: (env.GITHUB_GRAPHQL_URL || `${rest}/graphql`).replace(/\/$/, "") };
}

/**
 * The one Octokit factory, built on `@actions/github`'s getOctokit so the runner's proxy settings (HTTPS_PROXY,
 * NO_PROXY, read by @actions/http-client when the module loads) apply as in every GitHub-made action; adds retry on
 * 5xx and throttling per GitHub's rate-limit headers. `request` carries @actions/github's own proxy fetch, wrapped
 * with a deadline and the cancellation signal (src/lib/github-fetch.ts), so pagination and retries are bounded too.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const maxRetries = options.maxRateLimitRetries ?? 2;
  const log = options.logger;
  const urls = githubApiUrls(options.env);
  const client = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl ?? urls.rest,
      userAgent: "launchpad-actions",
      request: boundedRequestOptions(options.requestTimeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS, options.signal),
      log: {
        debug: (message: string) => log?.debug(message),
        info: (message: string) => log?.debug(message),
        warn: (message: string) => log?.debug(message),
        error: (message: string) => log?.debug(message),
      },
      throttle: {
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log?.warning(`GitHub rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfter}s.`);
          return retryCount < maxRetries;
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log?.warning(`GitHub secondary rate limit on ${request.method} ${request.url}; retrying in ${retryAfter}s.`);
          return retryCount < maxRetries;
        },
      },
    },
    retry,
    throttling,
  );
  client.hook.wrap("request", unwrapStopped);
  // Octokit derives GraphQL's URL from the REST base (rewriting a GHES /api/v3); GITHUB_GRAPHQL_URL is the runner's word for it.
  const graphqlUrl = options.baseUrl ? `${options.baseUrl.replace(/\/$/, "")}/graphql` : urls.graphql;
  client.graphql = client.graphql.defaults({ baseUrl: new URL(graphqlUrl).origin, url: graphqlUrl });
  return client;
}

/** True for the 403/404 a read-only token (fork PRs) gets on writes, so callers can degrade instead of crash. */
export function isPermissionDenied(error: unknown): boolean {
  const status = (error as { status?: number })?.status;
  return status === 403 || status === 404;
}
