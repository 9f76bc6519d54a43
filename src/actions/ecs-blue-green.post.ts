import { createEcsClients, destroyClients } from "../ecs/aws.js";
import { stopLeftover } from "../ecs/backstop.js";
import { ECS_STATE } from "../ecs/settings.js";
import { runAction } from "../lib/run-action.js";

await runAction(
  async (run) => {
    if (run.getState(ECS_STATE.finished) === "true") return;
    const started = {
      deploymentId: run.getState(ECS_STATE.deploymentId) || undefined,
      serviceDeploymentArn: run.getState(ECS_STATE.serviceDeployment) || undefined,
    };
    if (!started.deploymentId && !started.serviceDeploymentArn) return;
    const clients = createEcsClients();
    try {
      run.logger.info(await stopLeftover(started, { clients, logger: run.logger }));
    } finally {
      destroyClients(clients);
    }
  },
  { secretEnv: ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] },
);
