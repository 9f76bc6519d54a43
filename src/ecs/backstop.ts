import { GetDeploymentCommand, StopDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { DescribeServiceDeploymentsCommand, StopServiceDeploymentCommand } from "@aws-sdk/client-ecs";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { call, type EcsClients } from "./aws.js";
import { TERMINAL } from "./codedeploy.js";

const NATIVE_TERMINAL = new Set([
  "SUCCESSFUL",
  "STOPPED",
  "ROLLBACK_SUCCESSFUL",
  "ROLLBACK_FAILED",
  "ROLLBACK_REQUESTED",
  "ROLLBACK_IN_PROGRESS",
  "STOP_REQUESTED",
]);

/**
 * The post step's backstop: when the main step ended (killed, crashed) while a deployment it started was still
 * running, stop that deployment with rollback. It only warns: cleanup must not fail the job a second time.
 */
export async function stopLeftover(
  started: { deploymentId?: string; serviceDeploymentArn?: string },
  deps: { clients: EcsClients; logger: Logger },
): Promise<string> {
  const signal = AbortSignal.timeout(20_000);
  try {
    if (started.deploymentId) {
      const id = started.deploymentId;
      const info = (await call(deps.clients.codedeploy, new GetDeploymentCommand({ deploymentId: id }), signal)).deploymentInfo;
      if (TERMINAL.has(info?.status ?? "")) return `Deployment ${id} already ended ${info?.status}; nothing to stop.`;
      await call(deps.clients.codedeploy, new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }), signal);
      deps.logger.warning(`The main step ended while CodeDeploy deployment ${id} was ${info?.status}; stopped it with automatic rollback.`);
      return `stopped ${id}`;
    }
    if (started.serviceDeploymentArn) {
      const arn = started.serviceDeploymentArn;
      const described = await call(deps.clients.ecs, new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), signal);
      const status = described.serviceDeployments?.[0]?.status ?? "";
      if (NATIVE_TERMINAL.has(status)) return `Service deployment ${arn} is ${status}; nothing to stop.`;
      await call(deps.clients.ecs, new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }), signal);
      deps.logger.warning(`The main step ended while ECS service deployment ${arn} was ${status}; stopped it with a rollback.`);
      return `stopped ${arn}`;
    }
    return "nothing started";
  } catch (error) {
    deps.logger.warning(`Could not check or stop the deployment the main step started: ${errorMessage(error)}`);
    return "failed";
  }
}
