import { resolve } from "node:path";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { Inputs } from "../lib/inputs.js";
import { runReleaseNotes } from "./release-notes.js";
import { INPUTS, readReleaseNotesSettings } from "./settings.js";

/** `launchpad release-notes`: the action's core from a terminal; flags are named like the inputs. */
export function registerReleaseNotes(program: Command): void {
  program
    .command("release-notes")
    .description("Print the release notes of everything merged since the last SemVer tag, in the release template")
    .option(`--${INPUTS.from} <tag>`, "the tag the range starts after (default the latest SemVer tag reachable from --to)")
    .option(`--${INPUTS.to} <rev>`, "the commit or tag the range ends at", "HEAD")
    // `--version` is the CLI's own flag (it prints Launchpad's version), so the release version is the argument.
    .argument("[version]", "the version (default resolved from the changes)")
    .option(`--${INPUTS.config} <file>`, "categories and exclusions", ".github/release-notes.yml")
    .option(`--${INPUTS.template} <file>`, "a markdown template (default the built-in one)")
    .option(`--${INPUTS.source} <source>`, "git (local history) or api (GitHub GraphQL; needs a token)", "git")
    .option(`--${INPUTS.draftRelease} <bool>`, "create or update the draft GitHub release", "false")
    .option(`--${INPUTS.tagPrefix} <prefix>`, "the prefix of version tags", "v")
    .option(`--${INPUTS.customerCommUrl} <url>`, "link to the customer communication")
    .option(`--${INPUTS.releaseOwner} <login>`, "the release owner (default $GITHUB_ACTOR)")
    .option(`--${INPUTS.githubToken} <token>`, "token for --source api and --draft-release (default $GITHUB_TOKEN)")
    .option("--output-dir <dir>", "where the notes file is written", ".launchpad")
    .action(
      cliAction(async (run, command) => {
        const workspace = resolve(run.env.GITHUB_WORKSPACE || ".");
        const context = readRunContext(run.env);
        const inputs = new Inputs((name) => (name === INPUTS.version ? command.args[0] : run.inputs.raw(name) || undefined));
        const settings = readReleaseNotesSettings(inputs, { workspace, actor: context.actor });
        const token = run.inputs.optional(INPUTS.githubToken) || run.env.GITHUB_TOKEN || "";
        run.secrets.add(token);
        const result = await runReleaseNotes(settings, {
          logger: run.logger,
          signal: run.signal,
          github: token ? createGitHubClient({ token, logger: run.logger, env: run.env }) : undefined,
          repository: context.repository,
          serverUrl: context.serverUrl,
          outputDir: resolve(workspace, run.inputs.optional("output-dir", ".launchpad")),
        });
        run.print(result.notes.full);
        run.print(`Notes written to ${result.notesFile}`);
        return 0;
      }),
    );
}
