import { resolve } from "node:path";
import type { Command } from "commander";
import { ConfigurationError } from "../lib/errors.js";
import { gitOutput, parseInputFlags, repositoryOf, resolveSuiteWorkflow } from "../plan/cli.js";
import { PLAN_EVENTS, type PlanEventName } from "../plan/types.js";
import { readSecretsFile } from "../preflight/local-context.js";
import { runPreflight } from "../preflight/run.js";
import { PREFLIGHT_STEPS } from "./preflight-steps.js";
import { cliAction } from "./program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface PreflightOptions {
  event: string;
  ref?: string;
  input: string[];
  secretsFile?: string;
  summary?: string;
  runSteps?: boolean;
}

/** A pull request targets main unless told; a push or dispatch runs on the checked-out branch. */
function defaultRef(root: string, event: PlanEventName): string {
  if (event === "pull_request") return "main";
  const branch = gitOutput(root, ["rev-parse", "--abbrev-ref", "HEAD"]);
  return branch && branch !== "HEAD" ? branch : "main";
}

export function registerPreflight(program: Command): void {
  program
    .command("preflight")
    .description(
      "Run the jobs an event would run from the repo's own workflows, each Launchpad step in its local mode, and print one report",
    )
    .argument("[root]", "the consumer repository", ".")
    .option("--event <event>", `the event: ${PLAN_EVENTS.join(", ")}`, "pull_request")
    .option(
      "--ref <ref>",
      "push/workflow_dispatch: the branch (default the checked-out one) or refs/tags/<tag>; pull_request: the base branch (default main)",
    )
    .option("--input <key=value>", "a workflow_dispatch input (repeatable)", collect, [])
    .option("--secrets-file <file>", "KEY=value lines that secrets.* and vars.* read before the environment")
    .option("--summary <file>", "where to write the markdown report (default <root>/.launchpad/preflight.md)")
    .option("--run-steps", "also run the jobs' `run:` steps in the root (default: listed as skipped)")
    .action(
      cliAction(async (run, command) => {
        const options = command.opts<PreflightOptions>();
        if (!(PLAN_EVENTS as readonly string[]).includes(options.event))
          throw new ConfigurationError(`--event ${options.event}: expected one of ${PLAN_EVENTS.join(", ")}.`);
        const event = options.event as PlanEventName;
        const root = resolve(command.args[0] ?? ".");
        const secretsFile = options.secretsFile ? readSecretsFile(resolve(options.secretsFile), "--secrets-file", run.secrets) : {};
        const report = await runPreflight(
          {
            root,
            event,
            ref: options.ref ?? defaultRef(root, event),
            inputs: parseInputFlags(options.input),
            secretsFile,
            runSteps: Boolean(options.runSteps),
            repository: repositoryOf(root),
            sha: gitOutput(root, ["rev-parse", "HEAD"]),
            actor: run.env.GITHUB_ACTOR || undefined,
            resolveRemote: (reference) => resolveSuiteWorkflow(reference),
          },
          { logger: run.logger, secrets: run.secrets, signal: run.signal, env: run.env, modes: PREFLIGHT_STEPS },
        );
        const summaryPath = resolve(options.summary ?? resolve(root, ".launchpad/preflight.md"));
        run.saveReport(summaryPath, report.markdown);
        run.print(report.markdown);
        run.print(`Report written to ${summaryPath}`);
        return report.ok ? 0 : 1;
      }),
    );
}
