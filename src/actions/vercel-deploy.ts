import { RemoteError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { runAction } from "../lib/run-action.js";
import { createVercelClient, exitIfClientHung } from "../vercel/client.js";
import { runVercel } from "../vercel/run.js";
import { INPUTS, readVercelSettings } from "../vercel/settings.js";

await runAction(
  async (run) => {
    const settings = readVercelSettings(run.inputs, run.context.workspace, run.env);
    const github = settings.githubToken ? createGitHubClient({ token: settings.githubToken, logger: run.logger, env: run.env }) : undefined;
    const client = createVercelClient(run.env);
    const result = await runVercel(settings, { logger: run.logger, signal: run.signal, context: run.context, github, client });
    for (const [name, value] of Object.entries(result.outputs)) run.setOutput(name, value ?? "");
    await run.writeSummary(result.summary);
    if (!result.ok) throw new RemoteError(result.error ?? "The Vercel step failed.");
  },
  { secretInputs: [INPUTS.token, INPUTS.githubToken] },
);

exitIfClientHung();
