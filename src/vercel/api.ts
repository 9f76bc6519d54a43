import { errorMessage, RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import type { RetryOptions, Sleep } from "../lib/retry.js";

/** The fields of Vercel's `{error:{code, message}}` body that we turn into sentences. */
export interface VercelErrorBody {
  code?: string;
  message?: string;
  invalidToken?: boolean;
  missing?: string[];
}

export interface ApiScope {
  token: string;
  teamId?: string;
  projectId: string;
  apiUrl: string;
}

/** One sentence for a Vercel API failure, with the fix for the ones users cause (token, team, project). */
export function describeVercelError(status: number | undefined, body: VercelErrorBody | undefined, scope: ApiScope, what: string): string {
  const code = body?.code ? ` ${body.code}` : "";
  const said = body?.message ? `: ${body.message.replace(/\.$/, "")}` : "";
  const head = `Vercel refused to ${what} (HTTP ${status ?? "?"}${code}${said})`;
  const team = scope.teamId ? `team '${scope.teamId}'` : "the token's personal account (no team-id given)";
  if (status === 401 || body?.invalidToken) {
    return `${head}. The token is invalid or expired: create a new one at https://vercel.com/account/tokens and store it as a secret.`;
  }
  if (status === 403) {
    return `${head}. Check that the token belongs to ${team} and that the team owns project '${scope.projectId}' (team-id and project-id inputs).`;
  }
  if (status === 404 && /project/i.test(body?.message ?? "")) {
    return `${head}. Check project-id '${scope.projectId}' and that it belongs to ${team}.`;
  }
  return `${head}.`;
}

/** True for failures worth another try: network errors, 429 and 5xx. Never for 4xx auth or validation errors. */
export function isTransientStatus(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

export class VercelApiError extends RemoteError {
  constructor(
    message: string,
    status: number | undefined,
    code: string | undefined,
    readonly transient: boolean,
    /** From a 429's retry-after header: how long Vercel asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message, status, code);
  }
}

/** The account's file-upload quota (`api-upload-free`, `api-upload-pro`…) is used up: no upload succeeds until it resets. */
export class UploadQuotaError extends VercelApiError {
  constructor(
    readonly quota: string,
    readonly vercelMessage: string,
    readonly resetAt?: Date,
  ) {
    super(`Vercel's file-upload quota ${quota} is used up: ${vercelMessage}`, 429, "rate_limited", false);
  }
}

/** The quota a 429 `rate_limited` names when it is an upload quota (`code: "api-upload-free"` in its message), else undefined. */
export function uploadQuotaName(body: { code?: string; message?: string } | undefined): string | undefined {
  if (body?.code !== "rate_limited") return undefined;
  const named = /code: \\?"(api-upload-[a-z0-9-]+)\\?"/.exec(body.message ?? "")?.[1];
  return named;
}

/** `limit.reset` of a rate-limit body (epoch seconds or milliseconds) as a date. */
export function limitReset(body: { limit?: { reset?: unknown } } | undefined): Date | undefined {
  const reset = Number(body?.limit?.reset);
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return new Date(reset < 1e12 ? reset * 1000 : reset);
}

/** A retry-after header (seconds or an HTTP date) in milliseconds, capped at `maxMs`. */
export function retryAfterMs(header: string | string[] | null | undefined, now = Date.now(), maxMs = 60_000): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(maxMs, Math.max(0, ms)) : undefined;
}

/** retry() options for Vercel calls: only transient failures are retried, each retry logged as "<label>: <why>". */
export function vercelRetry(
  label: string,
  options: { attempts: number; baseMs: number; maxMs: number; logger: Logger; signal?: AbortSignal; sleep?: Sleep },
): RetryOptions {
  const { logger, ...rest } = options;
  return {
    ...rest,
    retryable: (error) => error instanceof VercelApiError && error.transient,
    onRetry: (error, attempt, delay) =>
      logger.warning(`${label}, attempt ${attempt} failed: ${errorMessage(error)} Retrying in ${(delay / 1000).toFixed(1)}s.`),
  };
}

/** The few endpoints we call ourselves (aliases, projects, promote, rollback, inspect); uploads go through @vercel/client. */
export class VercelApi {
  constructor(
    private readonly scope: ApiScope,
    private readonly signal?: AbortSignal,
  ) {}

  async request<T>(method: string, path: string, what: string, body?: unknown): Promise<T> {
    const url = new URL(`${this.scope.apiUrl}${path}`);
    if (this.scope.teamId) url.searchParams.set("teamId", this.scope.teamId);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.scope.token}`,
          accept: "application/json",
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.signal,
      });
    } catch (error) {
      if (this.signal?.aborted) throw this.signal.reason;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new VercelApiError(
        `Could not reach Vercel to ${what} (${cause?.code ?? cause?.message ?? (error as Error).message}).`,
        undefined,
        undefined,
        true,
      );
    }
    const text = await response.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (!response.ok || parsed?.error) {
      const message = describeVercelError(response.status, parsed?.error, this.scope, what);
      throw new VercelApiError(message, response.status, parsed?.error?.code, isTransientStatus(response.status));
    }
    return parsed as T;
  }

  /** GET /v13/deployments/{idOrUrl}: accepts an id (dpl_…) or a URL, with or without scheme. */
  inspect(idOrUrl: string): Promise<VercelDeploymentView> {
    const key = idOrUrl.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    return this.request("GET", `/v13/deployments/${encodeURIComponent(key)}`, `find deployment ${key}`);
  }

  assignAlias(deploymentId: string, alias: string): Promise<{ alias: string }> {
    return this.request("POST", `/v2/deployments/${encodeURIComponent(deploymentId)}/aliases`, `assign alias ${alias}`, { alias });
  }

  project(): Promise<VercelProjectView> {
    return this.request("GET", `/v9/projects/${encodeURIComponent(this.scope.projectId)}`, `read project ${this.scope.projectId}`);
  }

  promote(deploymentId: string): Promise<unknown> {
    return this.request(
      "POST",
      `/v10/projects/${encodeURIComponent(this.scope.projectId)}/promote/${encodeURIComponent(deploymentId)}`,
      `promote ${deploymentId}`,
    );
  }

  rollback(deploymentId: string): Promise<unknown> {
    return this.request(
      "POST",
      `/v1/projects/${encodeURIComponent(this.scope.projectId)}/rollback/${encodeURIComponent(deploymentId)}`,
      `roll back to ${deploymentId}`,
    );
  }
}

export interface VercelDeploymentView {
  id: string;
  url: string;
  name?: string;
  readyState?: string;
  inspectorUrl?: string;
  target?: string | null;
  aliasAssigned?: unknown;
}

export interface VercelProjectView {
  id: string;
  name: string;
  targets?: { production?: { id: string; url?: string } };
  lastAliasRequest?: { fromDeploymentId?: string | null; toDeploymentId: string; jobStatus: string; type?: string } | null;
}
