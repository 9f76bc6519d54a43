import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PreflightStep } from "../lib/preflight.js";
import { serveStatic } from "../verify/static-server.js";
import { planDeploy, planMarkdown } from "./plan.js";
import { formatBytes } from "./progress.js";
import { INPUTS, OUTPUTS } from "./settings.js";

/**
 * The deploy plan of the step's Build Output (what vercel-deploy would upload), sent nowhere. Its `url` output is a
 * local static server of that output's `static/`, so a verify step after it checks what would have been deployed.
 */
export const vercelPreflight: PreflightStep = {
  action: "vercel-deploy",
  async run({ root, with: inputs, onJobEnd }) {
    const project = resolve(root, inputs[INPUTS.path] || ".");
    const outputDir = join(project, inputs[INPUTS.outputDir] || ".vercel/output");
    const plan = await planDeploy(project, outputDir);
    const headline = `deploy plan: ${plan.files} files, ${formatBytes(plan.totalBytes)} (${formatBytes(plan.uniqueBytes)} unique), ${plan.functions} function${plan.functions === 1 ? "" : "s"}`;
    const staticDir = join(outputDir, "static");
    if (plan.files === 0 || !existsSync(staticDir)) return { ok: plan.files > 0, headline, markdown: planMarkdown(plan) };
    const server = await serveStatic(staticDir);
    onJobEnd(() => server.close());
    return { ok: true, headline, markdown: planMarkdown(plan), outputs: { [OUTPUTS.url]: server.url } };
  },
};
