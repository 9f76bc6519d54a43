import { GetDeploymentGroupCommand } from "@aws-sdk/client-codedeploy";
import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { ConfigurationError, RemoteError } from "../lib/errors.js";
import { inputLabel, quoteValue } from "../lib/inputs.js";
import { awsErrorCode, call, type EcsClients } from "./aws.js";
import { ECS_INPUTS } from "./input-names.js";
import { revisionName, type TaskDefinition } from "./task-definition.js";

export const NATIVE_STRATEGIES = ["BLUE_GREEN", "LINEAR", "CANARY"];

/** How the service deploys: through CodeDeploy, or ECS's own blue/green strategies. */
export type Controller = "codedeploy" | "native";

export async function describeService(
  clients: EcsClients,
  cluster: string,
  name: string,
  signal?: AbortSignal,
): Promise<Record<string, any>> {
  let described: DescribeServicesCommandOutput;
  try {
    described = await call(clients.ecs, new DescribeServicesCommand({ cluster, services: [name] }), signal);
  } catch (error) {
    if (awsErrorCode(error) === "ClusterNotFoundException")
      throw new ConfigurationError(
        `${inputLabel(ECS_INPUTS.cluster)}: ECS cluster ${quoteValue(cluster)} does not exist in this account and region.`,
      );
    throw error;
  }
  const service = described.services?.[0];
  if (!service) {
    const reason = described.failures?.[0]?.reason ?? "MISSING";
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.service)}: ECS service ${quoteValue(name)} was not found in cluster ${quoteValue(cluster)} (${reason}).`,
    );
  }
  if (service.status !== "ACTIVE") throw new RemoteError(`ECS service '${name}' is ${service.status}, not ACTIVE; it cannot be deployed.`);
  return service;
}

/** Refuses services neither CodeDeploy nor ECS-native blue/green drive, saying what the service uses instead. */
export function controllerOf(service: Record<string, any>): Controller {
  const type = service.deploymentController?.type ?? "ECS";
  if (type === "CODE_DEPLOY") return "codedeploy";
  const strategy = service.deploymentConfiguration?.strategy ?? "ROLLING";
  if (type === "ECS" && NATIVE_STRATEGIES.includes(strategy)) return "native";
  const uses = type === "ECS" ? `the ECS deployment controller with the ${strategy} strategy` : `the ${type} deployment controller`;
  throw new ConfigurationError(
    `ECS service '${service.serviceName}' uses ${uses}; ecs-blue-green needs a CODE_DEPLOY controller, or the ECS controller with deploymentConfiguration.strategy ${NATIVE_STRATEGIES.join(", ")}.`,
  );
}

/** The task definition the service runs now: for CodeDeploy services, the PRIMARY task set's. */
export function currentTaskDefinitionArn(service: Record<string, any>): string {
  const primary = (service.taskSets ?? []).find((set: any) => set.status === "PRIMARY")?.taskDefinition;
  return primary ?? service.taskDefinition;
}

export async function describeTaskDefinition(clients: EcsClients, reference: string, signal?: AbortSignal): Promise<TaskDefinition> {
  const described = await call(clients.ecs, new DescribeTaskDefinitionCommand({ taskDefinition: reference }), signal);
  if (!described.taskDefinition) throw new RemoteError(`ECS DescribeTaskDefinition returned nothing for ${reference}.`);
  return described.taskDefinition as TaskDefinition;
}

export async function registerTaskDefinition(clients: EcsClients, definition: TaskDefinition, signal?: AbortSignal): Promise<string> {
  const registered = await call(clients.ecs, new RegisterTaskDefinitionCommand(definition as any), signal);
  const arn = registered.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new RemoteError("ECS RegisterTaskDefinition returned no ARN.");
  return arn;
}

/** The newest ACTIVE revision of the same family below the one running now: what `command: rollback` redeploys. */
export async function previousRevision(clients: EcsClients, currentArn: string, signal?: AbortSignal): Promise<string> {
  const [family, revision] = revisionName(currentArn).split(":");
  const listed = await call(clients.ecs, new ListTaskDefinitionsCommand({ familyPrefix: family, status: "ACTIVE", sort: "DESC" }), signal);
  const previous = (listed.taskDefinitionArns ?? []).find((arn) => {
    const [otherFamily, other] = revisionName(arn).split(":");
    return otherFamily === family && Number(other) < Number(revision);
  });
  if (!previous)
    throw new RemoteError(`There is no ACTIVE revision of task definition family ${family} before revision ${revision} to roll back to.`);
  return previous;
}

export interface GroupConfig {
  /** The group waits at Ready for ContinueDeployment (deploymentReadyOption.actionOnTimeout STOP_DEPLOYMENT). */
  readyWait: boolean;
  waitTimeInMinutes?: number;
  autoRollback: boolean;
  deploymentConfigName?: string;
}

export async function readDeploymentGroup(
  clients: EcsClients,
  application: string,
  group: string,
  signal?: AbortSignal,
): Promise<GroupConfig> {
  try {
    const got = await call(
      clients.codedeploy,
      new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
      signal,
    );
    const info = got.deploymentGroupInfo ?? {};
    const ready = info.blueGreenDeploymentConfiguration?.deploymentReadyOption;
    return {
      readyWait: ready?.actionOnTimeout === "STOP_DEPLOYMENT",
      waitTimeInMinutes: ready?.waitTimeInMinutes,
      autoRollback: Boolean(info.autoRollbackConfiguration?.enabled),
      deploymentConfigName: info.deploymentConfigName,
    };
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === "ApplicationDoesNotExistException")
      throw new ConfigurationError(
        `${inputLabel(ECS_INPUTS.codedeployApplication)}: CodeDeploy application ${quoteValue(application)} does not exist.`,
      );
    if (code === "DeploymentGroupDoesNotExistException") {
      throw new ConfigurationError(
        `${inputLabel(ECS_INPUTS.codedeployDeploymentGroup)}: deployment group ${quoteValue(group)} does not exist in CodeDeploy application ${quoteValue(application)}.`,
      );
    }
    throw error;
  }
}
