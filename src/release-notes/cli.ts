import { resolve } from "node:path";
import type { Command } from "commander";
import { addInputOptions, cliAction, NOT_A_FLAG } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { Inputs } from "../lib/inputs.js";
import { runReleaseNotes } from "./release-notes.js";
import { INPUTS, readReleaseNotesSettings } from "./settings.js";

/** The CLI's own flag: the action writes the notes file under RUNNER_TEMP. */
export const OUTPUT_DIR_FLAG = "output-dir";

/** `launchpad release-notes`: the action's core from a terminal; flags are named like the inputs. */
export function registerReleaseNotes(program: Command): void {
  const command = program
    .command("release-notes")
    .description("Print the release notes of everything merged since the last SemVer tag, in the release template")
    // `--version` is the CLI's own flag (it prints Launchpad's version), so the release version is the argument.
    .argument("[version]", "the version (default resolved from the changes)");
  addInputOptions(
    command,
    "release-notes",
    {
      from: "<tag>",
      to: "<rev>",
      version: NOT_A_FLAG,
      config: "<file>",
      template: "<file>",
      source: "<source>",
      "base-branch": "<branch>",
      "draft-release": "<boolean>",
      "tag-prefix": "<prefix>",
      "customer-comm-url": "<url>",
      "release-owner": "<login>",
      "github-token": "<token>",
    },
    // A terminal has the local history but often no token: read git unless told to use the API.
    { defaults: { source: "git" } },
  );
  command.option(`--${OUTPUT_DIR_FLAG} <dir>`, "where the notes file is written", ".launchpad").action(
    cliAction(async (run, command) => {
      const workspace = resolve(run.env.GITHUB_WORKSPACE || ".");
      const context = readRunContext(run.env);
      const inputs = new Inputs((name) => (name === INPUTS.version ? command.args[0] : run.inputs.raw(name) || undefined));
      const settings = readReleaseNotesSettings(inputs, { workspace, actor: context.actor, ref: context.ref });
      const token = run.inputs.optional(INPUTS.githubToken) || run.env.GITHUB_TOKEN || "";
      run.secrets.add(token);
      const result = await runReleaseNotes(settings, {
        logger: run.logger,
        signal: run.signal,
        github: token ? createGitHubClient({ token, logger: run.logger, env: run.env }) : undefined,
        repository: context.repository,
        serverUrl: context.serverUrl,
        outputDir: resolve(workspace, run.inputs.optional(OUTPUT_DIR_FLAG, ".launchpad")),
      });
      run.print(result.notes.full);
      run.print(`Notes written to ${result.notesFile}`);
      return 0;
    }),
  );
}
