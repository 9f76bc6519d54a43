import { stopLeftover } from "../ecs/backstop.js";
import { withEcsClients } from "../ecs/run.js";
import { ECS_SECRET_ENV, ECS_STATE } from "../ecs/settings.js";
import { runAction } from "../lib/run-action.js";

await runAction(
  async (run) => {
    if (run.getState(ECS_STATE.finished) === "true") return;
    const started = {
      deploymentId: run.getState(ECS_STATE.deploymentId) || undefined,
      serviceDeploymentArn: run.getState(ECS_STATE.serviceDeployment) || undefined,
    };
    if (!started.deploymentId && !started.serviceDeploymentArn) return;
    run.logger.info(await withEcsClients({}, (clients) => stopLeftover(started, { clients, logger: run.logger })));
  },
  { secretEnv: ECS_SECRET_ENV },
);
