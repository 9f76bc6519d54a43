import type { Command } from "commander";
import { addInputOptions, addSummaryOption, cliAction, SUMMARY_FLAG } from "../cli/program.js";
import { readVerifySettings } from "./settings.js";
import { runVerify } from "./verify.js";

export function registerVerify(program: Command): void {
  const command = program
    .command("verify")
    .description("Run post-deploy health checks, smoke tests and the TLS expiry check against a URL");
  addInputOptions(command, "verify", {
    url: "<url>",
    checks: "<line...>",
    "tls-min-days": "<days>",
    attempts: "<n>",
    timeout: "<duration>",
    "retry-delay": "<duration>",
  });
  addSummaryOption(command).action(
    cliAction(async (run) => {
      const settings = readVerifySettings(run.inputs, run.secrets);
      const result = await runVerify(settings, { logger: run.logger, signal: run.signal });
      run.saveReport(run.inputs.optional(SUMMARY_FLAG), result.markdown);
      run.print(result.markdown);
      return result.passed ? 0 : 1;
    }),
  );
}
