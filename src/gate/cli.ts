import { resolve } from "node:path";
import type { Command } from "commander";
import { addInputOptions, cliAction } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { runGate } from "./gate.js";
import { INPUTS, readGateSettings } from "./settings.js";

/** The CLI's own flag: the action writes its report under RUNNER_TEMP. */
export const REPORT_DIR_FLAG = "report-dir";

/** `launchpad gate`: the gate action's core from a terminal; flags are named like the action's inputs. */
export function registerGate(program: Command): void {
  const command = program
    .command("gate")
    .description("Run lint/test commands and check tests, coverage, audit and bundle budgets; print the report");
  addInputOptions(command, "gate", {
    commands: "<line...>",
    "working-directory": "<dir>",
    junit: "<glob...>",
    "allow-no-tests": "<boolean>",
    coverage: "<glob...>",
    "min-coverage": "<percent>",
    audit: "<mode>",
    "max-vulnerabilities": "<limits>",
    bundle: "<glob...>",
    "bundle-budget": "<size>",
    "github-token": "<token>",
    "check-name": "<name>",
    "fail-on": "<gates>",
  });
  command.option(`--${REPORT_DIR_FLAG} <dir>`, "where the markdown report is written", ".launchpad").action(
    cliAction(async (run) => {
      const workspace = resolve(run.env.GITHUB_WORKSPACE || ".");
      const settings = readGateSettings(run.inputs, { workspace });
      const token = run.inputs.optional(INPUTS.githubToken) || run.env.GITHUB_TOKEN || "";
      run.secrets.add(token);
      const context = readRunContext(run.env);
      const headSha = context.pullRequest?.headSha || context.sha;
      const result = await runGate(settings, {
        logger: run.logger,
        signal: run.signal,
        env: run.env,
        github: token ? createGitHubClient({ token, logger: run.logger, env: run.env }) : undefined,
        target: context.repository && headSha ? { ...context.repository, headSha } : undefined,
        reportDir: resolve(workspace, run.inputs.optional(REPORT_DIR_FLAG, ".launchpad")),
        redact: (text) => run.secrets.redact(text),
      });
      run.print(result.summary);
      run.print(`Report written to ${result.reportPath}`);
      return result.passed ? 0 : 1;
    }),
  );
}
