import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { planFor } from "./cli.js";
import { INPUTS } from "./settings.js";

/**
 * What the step's promotion would require of the local commit (or its `version` tag): approvers, checks and the
 * staging deployment, as a table. Local checks only: nothing is read from or written to GitHub.
 */
export const approvalPreflight: PreflightStep = {
  action: "approval",
  async run({ root, with: inputs }) {
    // Approvers usually come from a repository variable the local context does not have: listed, not failed.
    if (!inputs[INPUTS.approvers]?.trim()) {
      return { ok: true, skipped: true, headline: `'${INPUTS.approvers}' evaluates to empty here`, markdown: "" };
    }
    const plan = await planFor(new Inputs(mapInputSource({ ...inputs })), root);
    return { ok: plan.ok, headline: plan.headline, markdown: plan.markdown };
  },
};
