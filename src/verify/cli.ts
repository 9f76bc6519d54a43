import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { DEFAULT_CHECKS, readVerifySettings } from "./settings.js";
import { runVerify } from "./verify.js";

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("Run post-deploy health checks, smoke tests and the TLS expiry check against a URL")
    .requiredOption("--url <url>", "base URL of the deployment")
    .option("--checks <line...>", "checks, one per argument, e.g. 'GET /health 200'", [DEFAULT_CHECKS])
    .option("--tls-min-days <days>", "fail when the certificate expires sooner", "30")
    .option("--attempts <n>", "tries per check", "3")
    .option("--timeout <duration>", "per-request timeout", "10s")
    .option("--retry-delay <duration>", "base backoff between tries", "1s")
    .option("--report <file>", "also write the markdown report to this file")
    .action(
      cliAction(async (run) => {
        const settings = readVerifySettings(run.inputs);
        const result = await runVerify(settings, { logger: run.logger, signal: run.signal });
        run.saveReport(run.inputs.optional("report"), result.markdown);
        run.print(result.markdown);
        return result.passed ? 0 : 1;
      }),
    );
}
