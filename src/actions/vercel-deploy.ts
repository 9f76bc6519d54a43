import { RemoteError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { runAction } from "../lib/run-action.js";
import { runVercel } from "../vercel/run.js";
import { dropClientTeamEnv, INPUTS, readVercelSettings } from "../vercel/settings.js";

let abandoned = false;

await runAction(
  async (run) => {
    const settings = readVercelSettings(run.inputs, run.context.workspace, run.env);
    dropClientTeamEnv(run.env);
    const github = settings.githubToken ? createGitHubClient({ token: settings.githubToken, logger: run.logger, env: run.env }) : undefined;
    const result = await runVercel(settings, { logger: run.logger, signal: run.signal, context: run.context, github });
    for (const [name, value] of Object.entries(result.outputs)) run.setOutput(name, value ?? "");
    await run.writeSummary(result.summary);
    abandoned = result.abandoned;
    if (!result.ok) throw new RemoteError(result.error ?? "The Vercel step failed.");
  },
  { secretInputs: [INPUTS.token, INPUTS.githubToken] },
);

// A request the Vercel client could not be made to drop (a hung upload) must not keep the job step alive.
if (abandoned) process.exit();
