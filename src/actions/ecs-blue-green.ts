import { resolve } from "node:path";
import { createEcsClients, destroyClients } from "../ecs/aws.js";
import { deployEcs } from "../ecs/deploy.js";
import { parseImage } from "../ecs/image.js";
import { ECS_OUTPUTS, ECS_STATE, readEcsSettings } from "../ecs/settings.js";
import { renderRunError } from "../ecs/summary.js";
import { CancelledError, errorMessage, RemoteError } from "../lib/errors.js";
import { runAction } from "../lib/run-action.js";

await runAction(
  async (run) => {
    const workspace = run.context.workspace;
    const settings = readEcsSettings(run.inputs, (path) => resolve(workspace, path));
    const clients = createEcsClients({ ecrRegion: settings.image ? parseImage(settings.image)?.ecr?.region : undefined });
    let started: string | undefined;
    try {
      // A run that throws (a config or remote error) still leaves its message in the job summary.
      const result = await deployEcs(settings, {
        clients,
        logger: run.logger,
        signal: run.signal,
        root: workspace,
        onStarted: ({ deploymentId, serviceDeploymentArn }) => {
          started = deploymentId ?? serviceDeploymentArn;
          if (deploymentId) run.saveState(ECS_STATE.deploymentId, deploymentId);
          if (serviceDeploymentArn) run.saveState(ECS_STATE.serviceDeployment, serviceDeploymentArn);
        },
      }).catch(async (error: unknown) => {
        await run.writeSummary(renderRunError(settings, errorMessage(error), started));
        throw error;
      });
      run.setOutput(ECS_OUTPUTS.taskDefinitionArn, result.taskDefinitionArn);
      run.setOutput(ECS_OUTPUTS.deploymentId, result.deploymentId ?? "");
      run.setOutput(ECS_OUTPUTS.imageDigest, result.imageDigest ?? "");
      run.setOutput(ECS_OUTPUTS.status, result.status);
      run.setOutput(ECS_OUTPUTS.rolledBack, result.rolledBack);
      // The post step's backstop stays armed only when a stop could not be confirmed.
      if (!/^unknown$/i.test(result.status)) run.saveState(ECS_STATE.finished, "true");
      await run.writeSummary(result.summary);
      if (result.failure) throw result.cancelled ? new CancelledError(result.failure) : new RemoteError(result.failure);
    } finally {
      destroyClients(clients);
    }
  },
  { secretEnv: ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] },
);
