import { inputNames, outputNames } from "../lib/action-inputs.js";
import type { Inputs } from "../lib/inputs.js";
import type { Secrets } from "../lib/secrets.js";
import { parseChecks } from "./checks.js";
import { readHttpUrl } from "./url.js";
import type { VerifySettings } from "./verify.js";

/** Input and output names of the verify action, defined once (the names themselves come from its action.yml). */
export const VERIFY_INPUTS = inputNames("verify");

export const VERIFY_OUTPUTS = outputNames("verify");

export const DEFAULT_CHECKS = "GET /health 200";

/**
 * Reads and checks every input. Credentials in the URL (`https://user:password@host`) are registered with `secrets`
 * before anything can print them, and every place that shows the URL shows it without them.
 */
export function readVerifySettings(inputs: Inputs, secrets?: Secrets): VerifySettings {
  inputs.required(VERIFY_INPUTS.url);
  const { url, shownUrl } = readHttpUrl(inputs, VERIFY_INPUTS.url, secrets, "")!;
  const checkLines = inputs.lines(VERIFY_INPUTS.checks);
  return {
    url,
    shownUrl,
    checks: parseChecks(checkLines.length ? checkLines : [{ line: 1, text: DEFAULT_CHECKS }], VERIFY_INPUTS.checks),
    tlsMinDays: inputs.integer(VERIFY_INPUTS.tlsMinDays, 30, { min: 0, max: 3650 }),
    attempts: inputs.integer(VERIFY_INPUTS.attempts, 3, { min: 1, max: 20 }),
    timeoutMs: inputs.duration(VERIFY_INPUTS.timeout, "10s", { min: "100ms", max: "10m" }),
    retryDelayMs: inputs.duration(VERIFY_INPUTS.retryDelay, "1s", { min: "0s", max: "5m" }),
  };
}
