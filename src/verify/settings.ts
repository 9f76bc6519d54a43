import { ConfigurationError } from "../lib/errors.js";
import type { Inputs } from "../lib/inputs.js";
import { parseChecks } from "./checks.js";
import type { VerifySettings } from "./verify.js";

/** Input and output names of the verify action, defined once. */
export const VERIFY_INPUTS = {
  url: "url",
  checks: "checks",
  tlsMinDays: "tls-min-days",
  attempts: "attempts",
  timeout: "timeout",
  retryDelay: "retry-delay",
} as const;

export const VERIFY_OUTPUTS = { passed: "passed", failed: "failed", report: "report" } as const;

export const DEFAULT_CHECKS = "GET /health 200";

export function readVerifySettings(inputs: Inputs): VerifySettings {
  const url = inputs.required(VERIFY_INPUTS.url);
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
    throw new ConfigurationError(`Input '${VERIFY_INPUTS.url}' got ${JSON.stringify(url)}; expected an http:// or https:// URL.`);
  }
  const checkLines = inputs.lines(VERIFY_INPUTS.checks);
  return {
    url,
    checks: parseChecks(checkLines.length ? checkLines : [{ line: 1, text: DEFAULT_CHECKS }], VERIFY_INPUTS.checks),
    tlsMinDays: inputs.integer(VERIFY_INPUTS.tlsMinDays, 30, { min: 0, max: 3650 }),
    attempts: inputs.integer(VERIFY_INPUTS.attempts, 3, { min: 1, max: 20 }),
    timeoutMs: inputs.duration(VERIFY_INPUTS.timeout, "10s"),
    retryDelayMs: inputs.duration(VERIFY_INPUTS.retryDelay, "1s"),
  };
}
