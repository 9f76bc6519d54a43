import { join } from "node:path";
import { createGitHubClient } from "../lib/github.js";
import { runAction } from "../lib/run-action.js";
import { runReleaseNotes } from "../release-notes/release-notes.js";
import { INPUTS, readReleaseNotesSettings } from "../release-notes/settings.js";

await runAction(
  async (run) => {
    const settings = readReleaseNotesSettings(run.inputs, {
      workspace: run.context.workspace,
      actor: run.context.actor,
      sha: run.context.sha,
      ref: run.context.ref,
    });
    const token = run.inputs.optional(INPUTS.githubToken);
    const result = await runReleaseNotes(settings, {
      logger: run.logger,
      signal: run.signal,
      github: token ? createGitHubClient({ token, logger: run.logger, env: run.env }) : undefined,
      repository: run.context.repository,
      serverUrl: run.context.serverUrl,
      outputDir: join(run.context.runnerTemp, "launchpad-release-notes"),
    });
    for (const [name, value] of Object.entries(result.outputs)) run.setOutput(name, value);
    await run.writeSummary(result.summary);
  },
  { secretInputs: [INPUTS.githubToken] },
);
