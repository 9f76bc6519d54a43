import { join } from "node:path";
import { runGate } from "../gate/gate.js";
import { INPUTS, readGateSettings } from "../gate/settings.js";
import { StepFailedError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { runAction } from "../lib/run-action.js";

await runAction(
  async (run) => {
    const settings = readGateSettings(run.inputs, { workspace: run.context.workspace });
    const token = run.inputs.optional(INPUTS.githubToken);
    const repository = run.context.repository;
    const headSha = run.context.pullRequest?.headSha || run.context.sha;
    const result = await runGate(settings, {
      logger: run.logger,
      signal: run.signal,
      env: run.env,
      github: token ? createGitHubClient({ token, logger: run.logger, env: run.env }) : undefined,
      target: repository && headSha ? { ...repository, headSha } : undefined,
      reportDir: join(run.context.runnerTemp, "launchpad-gate"),
      redact: (text) => run.secrets.redact(text),
    });
    for (const [name, value] of Object.entries(result.outputs)) run.setOutput(name, value);
    await run.writeSummary(result.summary);
    if (!result.passed) throw new StepFailedError(`Quality gate failed: ${result.headline}.`);
  },
  { secretInputs: [INPUTS.githubToken] },
);
