import { resolve } from "node:path";
import type { Command } from "commander";
import { addInputOptions, addSummaryOption, cliAction, SUMMARY_FLAG } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { runGate } from "./gate.js";
import { INPUTS, readGateSettings } from "./settings.js";

/** Where the CLI's report goes in the workspace (the action writes its own under RUNNER_TEMP). */
const REPORT_DIR = ".launchpad";

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
  addSummaryOption(command).action(
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
        reportDir: resolve(workspace, REPORT_DIR),
        redact: (text) => run.secrets.redact(text),
      });
      run.saveReport(run.inputs.optional(SUMMARY_FLAG), result.summary);
      run.print(result.summary);
      run.print(`Report written to ${result.reportPath}`);
      return result.passed ? 0 : 1;
    }),
  );
}
