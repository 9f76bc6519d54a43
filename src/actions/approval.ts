import { join } from "node:path";
import { runApproval } from "../approval/approval.js";
import { ApprovalApi } from "../approval/github.js";
import { INPUTS, readApprovalSettings } from "../approval/settings.js";
import { runUrl } from "../lib/context.js";
import { ConfigurationError, StepFailedError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { runAction } from "../lib/run-action.js";

await runAction(
  async (run) => {
    const settings = readApprovalSettings(run.inputs, run.context.sha);
    const token = run.inputs.required(INPUTS.githubToken);
    const repo = run.context.repository;
    if (!repo) throw new ConfigurationError("GITHUB_REPOSITORY is not set; the approval action runs inside a workflow.");
    const client = createGitHubClient({ token, logger: run.logger, env: run.env });
    const result = await runApproval(settings, {
      api: new ApprovalApi(client, repo, run.signal),
      context: {
        repo,
        actor: run.context.actor,
        eventName: run.context.eventName,
        runId: run.context.runId ? Number(run.context.runId) : undefined,
        runUrl: runUrl(run.context),
      },
      logger: run.logger,
      recordDir: join(run.context.runnerTemp, "launchpad-approval"),
    });
    for (const [name, value] of Object.entries(result.outputs)) run.setOutput(name, value);
    await run.writeSummary(result.summary);
    if (!result.approved) throw new StepFailedError(result.message);
    run.logger.info(result.message);
  },
  { secretInputs: [INPUTS.githubToken] },
);
