import { quoteValue } from "../lib/inputs.js";
import type { Logger } from "../lib/logger.js";
import { retry, type Sleep } from "../lib/retry.js";
import { type CheckSpec, statusMatches } from "./checks.js";
import { describeNetworkError, probe, readCertificate } from "./probe.js";
import { renderVerifyReport } from "./report.js";

export interface VerifySettings {
  /** Base URL the check paths are appended to. */
  url: string;
  /** The URL as reports and messages show it: without credentials. Defaults to `url`. */
  shownUrl?: string;
  checks: CheckSpec[];
  /** Fail when an https certificate expires within this many days; 0 turns the check off. */
  tlsMinDays: number;
  /** Tries per check, the first included. */
  attempts: number;
  timeoutMs: number;
  /** Base of the full-jitter backoff between tries. */
  retryDelayMs: number;
}

export interface VerifyDeps {
  logger: Logger;
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => Date;
}

export interface CheckResult {
  check: CheckSpec;
  passed: boolean;
  status?: number;
  latencyMs?: number;
  attempts: number;
  /** Why it failed, in words. */
  reason?: string;
}

export interface TlsResult {
  passed: boolean;
  daysLeft?: number;
  validTo?: string;
  reason?: string;
}

export interface VerifyResult {
  passed: boolean;
  failed: number;
  checks: CheckResult[];
  tls?: TlsResult;
  markdown: string;
}

class CheckFailed extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly latencyMs?: number,
  ) {
    super(message);
  }
}

/** Runs every check (all of them, collecting every failure) and the TLS expiry check for https URLs. */
export async function runVerify(settings: VerifySettings, deps: VerifyDeps): Promise<VerifyResult> {
  const base = new URL(settings.url);
  const results: CheckResult[] = [];
  for (const check of settings.checks) {
    deps.signal?.throwIfAborted();
    const result = await runCheck(base, check, settings, deps);
    const line = `${check.method} ${check.path} → ${result.status ?? "no response"} in ${result.latencyMs ?? "—"}ms`;
    if (result.passed) deps.logger.info(`✓ ${line}`);
    else deps.logger.error(`${line}: ${result.reason}`, { title: `verify: ${check.method} ${check.path}` });
    results.push(result);
  }
  const tls = base.protocol === "https:" && settings.tlsMinDays > 0 ? await checkTls(base, settings, deps) : undefined;
  const failed = results.filter((result) => !result.passed).length + (tls && !tls.passed ? 1 : 0);
  const partial = { passed: failed === 0, failed, checks: results, tls };
  return { ...partial, markdown: renderVerifyReport(settings.shownUrl ?? settings.url, partial) };
}

async function runCheck(base: URL, check: CheckSpec, settings: VerifySettings, deps: VerifyDeps): Promise<CheckResult> {
  const url = new URL(check.path.replace(/^\//, ""), base.href.endsWith("/") ? base : `${base.href}/`);
  let attempts = 0;
  try {
    const response = await retry(
      async () => {
        attempts++;
        const response = await probe(url, check.method, settings.timeoutMs, deps.signal).catch((error: unknown) => {
          throw new CheckFailed(describeNetworkError(error));
        });
        const problem = judge(check, response);
        if (problem) throw new CheckFailed(problem, response.status, response.latencyMs);
        return response;
      },
      {
        attempts: settings.attempts,
        baseMs: settings.retryDelayMs,
        maxMs: settings.retryDelayMs * 8,
        sleep: deps.sleep,
        signal: deps.signal,
        onRetry: (error, attempt, delay) =>
          deps.logger.info(`${check.method} ${check.path}: ${(error as Error).message}; try ${attempt + 1} in ${delay}ms`),
      },
    );
    return { check, passed: true, status: response.status, latencyMs: response.latencyMs, attempts };
  } catch (error) {
    if (deps.signal?.aborted) throw deps.signal.reason;
    const failure = error instanceof CheckFailed ? error : new CheckFailed(describeNetworkError(error));
    return { check, passed: false, status: failure.status, latencyMs: failure.latencyMs, attempts, reason: failure.message };
  }
}

function judge(check: CheckSpec, response: { status: number; body: string; latencyMs: number }): string | undefined {
  if (!statusMatches(check.statuses, response.status)) return `expected status ${check.statuses.join(" or ")}, got ${response.status}`;
  if (check.maxMs !== undefined && response.latencyMs > check.maxMs) return `took ${response.latencyMs}ms, over max-ms=${check.maxMs}`;
  if (check.contains !== undefined && !response.body.includes(check.contains)) return `body does not contain ${quoteValue(check.contains)}`;
  return undefined;
}

const DAY_MS = 86_400_000;

async function checkTls(base: URL, settings: VerifySettings, deps: VerifyDeps): Promise<TlsResult> {
  try {
    const certificate = await readCertificate(base, settings.timeoutMs);
    const daysLeft = Math.floor((certificate.validTo.getTime() - (deps.now?.() ?? new Date()).getTime()) / DAY_MS);
    const validTo = certificate.validTo.toISOString().slice(0, 10);
    if (daysLeft < settings.tlsMinDays) {
      const reason = `certificate for ${base.hostname} expires in ${daysLeft} days (${validTo}), under tls-min-days=${settings.tlsMinDays}`;
      deps.logger.error(reason, { title: "verify: TLS certificate" });
      return { passed: false, daysLeft, validTo, reason };
    }
    deps.logger.info(`✓ TLS certificate for ${base.hostname} valid for ${daysLeft} more days (${validTo})`);
    return { passed: true, daysLeft, validTo };
  } catch (error) {
    const reason = `TLS handshake with ${base.host} failed: ${describeNetworkError(error)}`;
    deps.logger.error(reason, { title: "verify: TLS certificate" });
    return { passed: false, reason };
  }
}
