import type { InputName } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import type { Secrets } from "../lib/secrets.js";
import { parseChecks } from "./checks.js";
import type { VerifySettings } from "./verify.js";

/** Input and output names of the verify action, defined once (the names themselves come from its action.yml). */
export const VERIFY_INPUTS = {
  url: "url",
  checks: "checks",
  tlsMinDays: "tls-min-days",
  attempts: "attempts",
  timeout: "timeout",
  retryDelay: "retry-delay",
} as const satisfies Record<string, InputName<"verify">>;

export const VERIFY_OUTPUTS = { passed: "passed", failed: "failed", report: "report" } as const;

export const DEFAULT_CHECKS = "GET /health 200";

/**
 * Reads and checks every input. Credentials in the URL (`https://user:password@host`) are registered with `secrets`
 * before anything can print them, and every place that shows the URL shows it without them.
 */
export function readVerifySettings(inputs: Inputs, secrets?: Secrets): VerifySettings {
  const url = inputs.required(VERIFY_INPUTS.url);
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed) registerCredentials(parsed, secrets);
  if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname) {
    // An unparsable URL may still carry credentials that could not be registered: then it is not echoed.
    const shown = url.includes("@") ? "a value with '@' in it" : quoteValue(url);
    throw new ConfigurationError(`${inputLabel(VERIFY_INPUTS.url)} got ${shown}; expected an http:// or https:// URL.`);
  }
  const checkLines = inputs.lines(VERIFY_INPUTS.checks);
  return {
    url,
    shownUrl: parsed.username || parsed.password ? withoutCredentials(parsed) : url,
    checks: parseChecks(checkLines.length ? checkLines : [{ line: 1, text: DEFAULT_CHECKS }], VERIFY_INPUTS.checks),
    tlsMinDays: inputs.integer(VERIFY_INPUTS.tlsMinDays, 30, { min: 0, max: 3650 }),
    attempts: inputs.integer(VERIFY_INPUTS.attempts, 3, { min: 1, max: 20 }),
    timeoutMs: inputs.duration(VERIFY_INPUTS.timeout, "10s", { min: "100ms", max: "10m" }),
    retryDelayMs: inputs.duration(VERIFY_INPUTS.retryDelay, "1s", { min: "0s", max: "5m" }),
  };
}

/** The password (or, for `https://TOKEN@host`, the user name alone, which is then the token) becomes a secret. */
function registerCredentials(url: URL, secrets: Secrets | undefined): void {
  const secret = url.password ? [url.password, `${url.username}:${url.password}`] : [url.username];
  for (const value of secret) {
    secrets?.add(value);
    secrets?.add(decoded(value));
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withoutCredentials(url: URL): string {
  const shown = new URL(url.href);
  shown.username = "";
  shown.password = "";
  return shown.href;
}
