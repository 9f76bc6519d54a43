import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { planDeploy, planMarkdown } from "./plan.js";
import { formatBytes } from "./progress.js";

/** The deploy plan of the example's .vercel/output: what vercel-deploy would upload, without credentials. */
export const vercelPreflight: PreflightStep = {
  name: "vercel-deploy",
  async run({ root }) {
    const plan = await planDeploy(root, join(root, ".vercel/output"));
    const headline = `deploy plan: ${plan.files} files, ${formatBytes(plan.totalBytes)} (${formatBytes(plan.uniqueBytes)} unique), ${plan.functions} function${plan.functions === 1 ? "" : "s"}`;
    return { ok: plan.files > 0, headline, markdown: planMarkdown(plan) };
  },
};
