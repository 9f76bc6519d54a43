import { ConfigurationError, StepFailedError } from "../lib/errors.js";
import { runAction } from "../lib/run-action.js";
import { runSeed } from "../seed/seed.js";
import { readSeedSettings, SEED_INPUTS, SEED_OUTPUTS } from "../seed/settings.js";

await runAction(
  async (run) => {
    const settings = readSeedSettings(run.inputs, {
      workspace: run.context.workspace,
      actor: run.context.actor,
      sha: run.context.sha,
      runId: run.context.runId,
      runAttempt: run.env.GITHUB_RUN_ATTEMPT,
      runnerTemp: run.context.runnerTemp,
    });
    const result = await runSeed(settings, { logger: run.logger, secrets: run.secrets, env: run.env, signal: run.signal });
    run.setOutput(SEED_OUTPUTS.runId, result.runId ?? "");
    run.setOutput(SEED_OUTPUTS.inserted, result.totals.inserted);
    run.setOutput(SEED_OUTPUTS.updated, result.totals.updated);
    run.setOutput(SEED_OUTPUTS.deleted, result.totals.deleted);
    run.setOutput(SEED_OUTPUTS.unchanged, result.totals.unchanged);
    run.setOutput(SEED_OUTPUTS.drift, result.drift.length);
    run.setOutput(SEED_OUTPUTS.digest, result.digest ?? "");
    await run.writeSummary(result.summary);
    if (result.diagnostics.length)
      throw new ConfigurationError(`seed ${settings.command}: ${result.diagnostics.length} lint problems; see the annotations.`);
    if (result.drift.length)
      throw new StepFailedError(`seed verify: ${result.drift.length} rows drifted from the manifests; see the job summary.`);
  },
  { secretInputs: [SEED_INPUTS.databaseUrl, SEED_INPUTS.datadogApiKey] },
);
