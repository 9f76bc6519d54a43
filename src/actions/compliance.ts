import { join } from "node:path";
import { runCompliance } from "../compliance/compliance.js";
import { INPUTS, readComplianceSettings } from "../compliance/settings.js";
import { ConfigurationError, StepFailedError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { runAction } from "../lib/run-action.js";

await runAction(
  async (run) => {
    const settings = readComplianceSettings(run.inputs, { workspace: run.context.workspace });
    const { repository, pullRequest } = run.context;
    if (!repository || !pullRequest)
      throw new ConfigurationError(
        `compliance checks a pull request, but this run is a '${run.context.eventName || "unknown"}' event; run it on pull_request or pull_request_target.`,
      );
    const token = run.inputs.required(INPUTS.githubToken);
    const result = await runCompliance(settings, {
      source: {
        kind: "github",
        // A cancel stops the reads and the publishing alike: nothing of a cancelled run is worth writing.
        github: createGitHubClient({ token, logger: run.logger, env: run.env, signal: run.signal }),
        pull: { ...repository, number: pullRequest.number },
        payloadHeadSha: pullRequest.headSha,
      },
      logger: run.logger,
      reportDir: join(run.context.runnerTemp, "launchpad-compliance"),
      redact: (text) => run.secrets.redact(text),
    });
    for (const [name, value] of Object.entries(result.outputs)) run.setOutput(name, value);
    await run.writeSummary(result.summary);
    if (!result.passed) throw new StepFailedError(`Compliance failed: ${result.headline}.`);
  },
  { secretInputs: [INPUTS.githubToken] },
);
