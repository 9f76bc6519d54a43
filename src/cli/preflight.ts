import { resolve } from "node:path";
import type { Command } from "commander";
import { formatDuration } from "../lib/duration.js";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import type { Secrets } from "../lib/secrets.js";
import { table, verdict } from "../lib/summary.js";
import { PREFLIGHT_STEPS } from "./preflight-steps.js";
import { cliAction } from "./program.js";

export interface PreflightContext {
  /** The consumer repo being checked, absolute. */
  root: string;
  logger: Logger;
  secrets: Secrets;
  signal: AbortSignal;
  /** The environment the steps' commands and secrets come from. */
  env: NodeJS.ProcessEnv;
}

export interface PreflightOutcome {
  ok: boolean;
  /** One line for the overview table. */
  headline: string;
  /** The section this step adds to the report: the same markdown its action writes to the job summary. */
  markdown: string;
}

/** One pipeline step that can run locally without cloud credentials. */
export interface PreflightStep {
  name: string;
  run(context: PreflightContext): Promise<PreflightOutcome>;
}

export interface PreflightReport {
  ok: boolean;
  markdown: string;
}

export async function runPreflight(context: PreflightContext, steps: readonly PreflightStep[] = PREFLIGHT_STEPS): Promise<PreflightReport> {
  const rows: unknown[][] = [];
  const sections: string[] = [];
  let ok = true;
  for (const step of steps) {
    const started = Date.now();
    let outcome: PreflightOutcome;
    try {
      outcome = await context.logger.group(`preflight: ${step.name}`, () => step.run(context));
    } catch (error) {
      outcome = { ok: false, headline: errorMessage(error), markdown: `> ${errorMessage(error)}\n` };
    }
    ok &&= outcome.ok;
    rows.push([step.name, verdict(outcome.ok), outcome.headline, formatDuration(Date.now() - started)]);
    sections.push(`## ${step.name}\n\n${outcome.markdown}`);
  }
  const markdown = `# Launchpad preflight\n\n${table(["step", "verdict", "result", "took"], rows)}\n${sections.join("\n")}`;
  return { ok, markdown: context.secrets.redact(markdown) };
}

export function registerPreflight(program: Command): void {
  program
    .command("preflight")
    .description("Run every pipeline step that works locally without cloud credentials, and print one report")
    .argument("[root]", "the consumer repository", ".")
    .option("--summary <file>", "where to write the markdown report (default <root>/.launchpad/preflight.md)")
    .action(
      cliAction(async (run, command) => {
        const root = resolve(command.args[0] ?? ".");
        const report = await runPreflight({ root, logger: run.logger, secrets: run.secrets, signal: run.signal, env: run.env });
        const summaryPath = resolve(run.inputs.optional("summary", resolve(root, ".launchpad/preflight.md")));
        run.saveReport(summaryPath, report.markdown);
        run.print(report.markdown);
        run.print(`Report written to ${summaryPath}`);
        return report.ok ? 0 : 1;
      }),
    );
}
