import { errorMessage, RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { retry, type Sleep } from "../lib/retry.js";

export const SUCCESS_METRIC = "seed.last_success_timestamp";
/** Datadog's metric type for a gauge in the v2 series API. */
const GAUGE = 3;
const ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;

export interface GaugeTarget {
  apiKey: string;
  /** `https://api.<site>`, or a loopback URL. */
  apiUrl: string;
}

export interface GaugeDeps {
  logger: Logger;
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => Date;
}

/**
 * Submits `seed.last_success_timestamp` (the time of this success, in epoch seconds) through Datadog's v2 series
 * API, so the runbook's monitor sees each good run. Transient failures are retried a few times; a failure in the end
 * is a warning, never a failed seed. Returns whether Datadog accepted it.
 */
export async function submitSuccessGauge(target: GaugeTarget, tags: Record<string, string>, deps: GaugeDeps): Promise<boolean> {
  const seconds = Math.floor((deps.now?.() ?? new Date()).getTime() / 1000);
  const body = {
    series: [
      {
        metric: SUCCESS_METRIC,
        type: GAUGE,
        points: [{ timestamp: seconds, value: seconds }],
        tags: Object.entries(tags).map(([name, value]) => `${name}:${value}`),
      },
    ],
  };
  try {
    await retry(() => post(target, body, deps.signal), {
      attempts: ATTEMPTS,
      baseMs: 500,
      maxMs: 4_000,
      sleep: deps.sleep,
      signal: deps.signal,
      retryable: (error) => !(error instanceof RemoteError) || error.status === undefined || error.status === 429 || error.status >= 500,
    });
    deps.logger.info(`Submitted ${SUCCESS_METRIC} to Datadog.`);
    return true;
  } catch (error) {
    if (deps.signal?.aborted) throw error;
    deps.logger.warning(`Could not submit ${SUCCESS_METRIC} to Datadog: ${errorMessage(error)} The seed itself succeeded.`);
    return false;
  }
}

async function post(target: GaugeTarget, body: unknown, signal?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`${target.apiUrl}/api/v2/series`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "DD-API-KEY": target.apiKey },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = timeout.aborted ? `no answer within ${TIMEOUT_MS / 1000}s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new Error(`could not reach ${new URL(target.apiUrl).host} (${why}).`);
  }
  const text = await response.text();
  if (response.status === 202 || response.ok) return;
  let errors: unknown;
  try {
    errors = JSON.parse(text)?.errors;
  } catch {
    errors = undefined;
  }
  const detail = Array.isArray(errors) && errors.length ? errors.map(String).join("; ") : response.statusText;
  throw new RemoteError(`Datadog answered ${response.status}: ${detail}.`, response.status);
}
