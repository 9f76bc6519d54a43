import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { readVerifySettings, VERIFY_INPUTS } from "./settings.js";
import { runVerify } from "./verify.js";

/**
 * The step's own checks against its `url`: a deploy step earlier in the job hands it a local static server of its
 * Build Output; a URL that evaluates to empty locally (an unset `vars.*`) means there is nothing to check.
 */
export const verifyPreflight: PreflightStep = {
  action: "verify",
  async run({ with: inputs, logger, secrets, signal }) {
    if (!inputs[VERIFY_INPUTS.url]?.trim())
      return { ok: true, skipped: true, headline: `\`${VERIFY_INPUTS.url}\` evaluates to empty locally: nothing to check`, markdown: "" };
    // One attempt and no certificate floor: a local server answers at once and has no TLS.
    const settings = { ...readVerifySettings(new Inputs(mapInputSource(inputs)), secrets), attempts: 1, tlsMinDays: 0 };
    const result = await runVerify(settings, { logger, signal });
    const checks = settings.checks.length;
    const headline = result.passed ? `${checks} smoke checks passed` : `${result.failed} of ${checks} smoke checks failed`;
    return { ok: result.passed, headline, markdown: result.markdown };
  },
};
