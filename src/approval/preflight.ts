import type { PreflightStep } from "../cli/preflight.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import { planFor } from "./cli.js";

/** The example's promotion job: two of the release managers and SRE, the gate and compliance checks, staging first. */
const EXAMPLE_INPUTS = {
  environment: "production",
  approvers: "blockbuilders/release-managers\nblockbuilders/sre",
  "required-approvals": "2",
  "required-checks": "quality-gate,compliance",
  "change-ticket": "given at dispatch",
};

export const approvalPreflight: PreflightStep = {
  name: "approval",
  async run({ root }) {
    return planFor(new Inputs(mapInputSource(EXAMPLE_INPUTS)), root);
  },
};
