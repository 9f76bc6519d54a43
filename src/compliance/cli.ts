import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { ConfigurationError } from "../lib/errors.js";
import { runCompliance } from "./compliance.js";
import { localPullRequestFacts } from "./local-source.js";
import { DEFAULT_CHECK_NAME, DEFAULT_CONFIG, INPUTS, LOCAL_FLAGS, readComplianceSettings } from "./settings.js";

/** `launchpad compliance`: local mode, no API: the body from a file, the changes from `git diff` against a base. */
export function registerCompliance(program: Command): void {
  program
    .command("compliance")
    .description("Check a PR body and the working tree's changes against .github/compliance.yml, without the GitHub API")
    .requiredOption(`--${LOCAL_FLAGS.bodyFile} <file>`, "the PR description, as markdown")
    .option(`--${LOCAL_FLAGS.base} <ref>`, "branch or commit the PR would merge into", "main")
    .option(`--${INPUTS.config} <file>`, "the compliance rules", DEFAULT_CONFIG)
    .option(`--${INPUTS.checkName} <name>`, "name shown in the report", DEFAULT_CHECK_NAME)
    .option("--report-dir <dir>", "where the markdown report is written", ".launchpad")
    .action(
      cliAction(async (run) => {
        const workspace = resolve(run.env.GITHUB_WORKSPACE || ".");
        const settings = { ...readComplianceSettings(run.inputs, { workspace }), comment: false };
        const bodyFile = run.inputs.required(LOCAL_FLAGS.bodyFile);
        const body = readBody(resolve(bodyFile), bodyFile);
        const base = run.inputs.optional(LOCAL_FLAGS.base, "main");
        const result = await runCompliance(settings, {
          source: { kind: "local", facts: () => localPullRequestFacts(workspace, base, body) },
          logger: run.logger,
          reportDir: resolve(workspace, run.inputs.optional("report-dir", ".launchpad")),
          redact: (text) => run.secrets.redact(text),
        });
        run.print(result.summary);
        run.print(`Report written to ${result.reportPath}`);
        return result.passed ? 0 : 1;
      }),
    );
}

export function readBody(path: string, shownAs: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new ConfigurationError(`--${LOCAL_FLAGS.bodyFile}: cannot read ${shownAs}; give the path of the PR description.`);
  }
}
