import { resolve } from "node:path";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { runGate } from "./gate.js";
import { INPUTS, readGateSettings } from "./settings.js";

/** `launchpad gate`: the gate action's core from a terminal; flags are named like the action's inputs. */
export function registerGate(program: Command): void {
  program
    .command("gate")
    .description("Run lint/test commands and check tests, coverage, audit and bundle budgets; print the report")
    .option(`--${INPUTS.commands} <line...>`, "gates as 'name: command', one per argument")
    .option(`--${INPUTS.workingDirectory} <dir>`, "where commands run and relative globs resolve", ".")
    .option(`--${INPUTS.junit} <glob...>`, "JUnit XML reports")
    .option(`--${INPUTS.allowNoTests} [bool]`, "pass the tests gate when the reports hold no test that ran", "false")
    .option(`--${INPUTS.coverage} <glob...>`, "coverage reports: coverage-summary.json, lcov or cobertura XML")
    .option(`--${INPUTS.minCoverage} <percent>`, "minimum percent of lines covered", "80")
    .option(`--${INPUTS.audit} <mode>`, "npm, pnpm, none, or a path to audit JSON", "none")
    .option(`--${INPUTS.maxVulnerabilities} <limits>`, "allowed count per severity", "critical=0,high=0")
    .option(`--${INPUTS.bundle} <glob...>`, "built assets to measure")
    .option(`--${INPUTS.bundleBudget} <size>`, "largest total gzip size, e.g. 250KB (1000 bytes) or 244KiB (1024 bytes)")
    .option(
      `--${INPUTS.githubToken} <token>`,
      "token to create the check run (default $GITHUB_TOKEN; needs GITHUB_REPOSITORY and GITHUB_SHA)",
    )
    .option(`--${INPUTS.checkName} <name>`, "check run name", "quality-gate")
    .option(`--${INPUTS.failOn} <gates>`, "any, none, or a list of commands, tests, coverage, audit, bundle and command names", "any")
    .option("--report-dir <dir>", "where the markdown report is written", ".launchpad")
    .action(
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
          reportDir: resolve(workspace, run.inputs.optional("report-dir", ".launchpad")),
          redact: (text) => run.secrets.redact(text),
        });
        run.print(result.summary);
        run.print(`Report written to ${result.reportPath}`);
        return result.passed ? 0 : 1;
      }),
    );
}
