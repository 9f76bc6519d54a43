import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { addInputOptions, addSummaryOption, cliAction, NOT_A_FLAG, SUMMARY_FLAG } from "../cli/program.js";
import { ConfigurationError } from "../lib/errors.js";
import { resolveWorkspacePath } from "../lib/workspace-path.js";
import { runCompliance } from "./compliance.js";
import { localPullRequestFacts } from "./local-source.js";
import { LOCAL_FLAGS, readComplianceSettings } from "./settings.js";

/** `launchpad compliance`: local mode, no API: the body from a file, the changes from `git diff` against a base. */
export function registerCompliance(program: Command): void {
  const command = program
    .command("compliance")
    .description("Check a PR body and the working tree's changes against .github/compliance.yml, without the GitHub API")
    .requiredOption(`--${LOCAL_FLAGS.bodyFile} <file>`, "the PR description, as markdown")
    .option(`--${LOCAL_FLAGS.base} <ref>`, "branch or commit the PR would merge into", "main");
  // Local mode reads no API and posts nothing: no token, no sticky comment.
  addInputOptions(command, "compliance", { config: "<file>", "check-name": "<name>", "github-token": NOT_A_FLAG, comment: NOT_A_FLAG });
  addSummaryOption(command).action(
    cliAction(async (run) => {
      const workspace = resolve(run.env.GITHUB_WORKSPACE || ".");
      const settings = { ...readComplianceSettings(run.inputs, { workspace }), comment: false };
      const bodyFile = run.inputs.required(LOCAL_FLAGS.bodyFile);
      const body = readBody(resolveWorkspacePath(workspace, LOCAL_FLAGS.bodyFile, bodyFile, "file"), bodyFile);
      const base = run.inputs.optional(LOCAL_FLAGS.base, "main");
      const result = await runCompliance(settings, {
        source: { kind: "local", facts: () => localPullRequestFacts(workspace, base, body) },
        logger: run.logger,
        reportDir: resolve(workspace, ".launchpad"),
        redact: (text) => run.secrets.redact(text),
      });
      run.saveReport(run.inputs.optional(SUMMARY_FLAG), result.summary);
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
