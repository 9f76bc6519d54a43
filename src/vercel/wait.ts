import { formatDuration } from "../lib/duration.js";
import { RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { sleep as defaultSleep, retry, type Sleep } from "../lib/retry.js";
import { type VercelApi, type VercelDeploymentView, vercelRetry } from "./api.js";

export interface WaitDependencies {
  logger: Logger;
  /** Job cancellation combined with the `timeout` deadline. */
  signal: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
  /** Called on every state change, so a timeout can report the last one. */
  onState: (state: string) => void;
}

export interface WaitOptions {
  /** Our own aliases follow at READY: no reason to wait for Vercel's. */
  aliasesRequested: boolean;
  aliasWaitMs: number;
}

export interface ReadyResult {
  /** Set when the deployment is READY but Vercel assigned no alias within the alias wait. */
  warning?: string;
}

/** The client's polling rhythm: every second for 15 s, then 5 s for a minute, 15 s for five, then 30 s. */
export function pollDelay(elapsedMs: number): number {
  if (elapsedMs <= 15_000) return 1_000;
  if (elapsedMs <= 60_000) return 5_000;
  if (elapsedMs <= 300_000) return 15_000;
  return 30_000;
}

/**
 * Polls GET /v13/deployments/{id} until the deployment is READY (and aliased, or the alias wait is over), ERROR or
 * CANCELED. Every state is terminal here; the deadline in `signal` bounds the rest.
 */
export async function waitForReady(
  api: VercelApi,
  deploymentId: string,
  options: WaitOptions,
  deps: WaitDependencies,
): Promise<ReadyResult> {
  const now = deps.now ?? Date.now;
  const wait = deps.sleep ?? defaultSleep;
  const started = now();
  let last = "";
  let readySince: number | undefined;
  for (;;) {
    const view = await retry(
      () => api.inspect(deploymentId),
      vercelRetry(`Status of ${deploymentId}`, {
        attempts: 5,
        baseMs: 1_000,
        maxMs: 10_000,
        logger: deps.logger,
        signal: deps.signal,
        sleep: deps.sleep,
      }),
    );
    const state = view.readyState ?? "QUEUED";
    if (state !== last) {
      deps.onState(state);
      if (state === "BUILDING") deps.logger.info("Building…");
      last = state;
    }
    const failure = failureOf(view, deploymentId);
    if (failure) throw new RemoteError(failure);
    if (state === "READY") {
      if (options.aliasesRequested || view.aliasAssigned) return {};
      readySince ??= now();
      const waited = now() - readySince;
      if (waited >= options.aliasWaitMs) {
        return {
          warning: `Vercel assigned no alias to ${deploymentId} within ${formatDuration(options.aliasWaitMs)} (alias-wait); it is READY at https://${view.url}.`,
        };
      }
      if (waited === 0) {
        deps.logger.info(`Ready; waiting up to ${formatDuration(options.aliasWaitMs)} for Vercel's automatic aliases…`);
      }
      await wait(Math.min(pollDelay(now() - started), options.aliasWaitMs - waited), deps.signal);
      continue;
    }
    await wait(pollDelay(now() - started), deps.signal);
  }
}

function failureOf(view: VercelDeploymentView & Record<string, any>, id: string): string | undefined {
  const state = view.readyState ?? "";
  if (state === "ERROR" || state.endsWith("_ERROR")) {
    const detail = [view.errorCode, view.errorMessage].filter(Boolean).join(": ");
    return `Vercel deployment ${id} failed${detail ? ` (${detail})` : ""}. Build logs: ${view.inspectorUrl ?? `https://${view.url}`}`;
  }
  if (state === "CANCELED") return `Vercel canceled deployment ${id} (state CANCELED).`;
  if (view.checks?.["deployment-alias"]?.state === "failed") {
    return "Vercel's deployment checks failed, so it did not assign the aliases.";
  }
  if (view.aliasError) {
    const error = view.aliasError;
    return `Vercel could not assign the aliases of ${id}: ${typeof error === "string" ? error : [error.code, error.message].filter(Boolean).join(": ")}`;
  }
  return undefined;
}
