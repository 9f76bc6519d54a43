import { CancelledError, errorMessage, RemoteError } from "../lib/errors.js";
import { createEcsClients, destroyClients, type EcsClients } from "./aws.js";
import { deployEcs, type EcsDeps, type EcsResult } from "./deploy.js";
import { parseImage } from "./image.js";
import { ECS_OUTPUTS, ECS_STATE, type EcsSettings } from "./settings.js";
import { renderRunError } from "./summary.js";

export interface EcsRunDeps extends Omit<EcsDeps, "onStarted"> {
  /** Where the post step's backstop finds a started deployment (the runner's state); absent in the CLI. */
  saveState?: (name: string, value: string) => void;
}

/** What the action entry and the CLI do with a run. */
export interface EcsRun {
  ok: boolean;
  /** Named like the action's outputs; empty when the run threw before it had a result. */
  outputs: Partial<Record<(typeof ECS_OUTPUTS)[keyof typeof ECS_OUTPUTS], string>>;
  /** Always present: the deployment's summary, or what went wrong and whether a deployment was started. */
  summary: string;
  /** What to fail with when not ok: the thrown error as it was, or the deployment's failure as Cancelled/RemoteError. */
  error?: unknown;
  result?: EcsResult;
}

/** The SDK clients for these settings (ECR in the image's own region), destroyed once `work` ends. */
export async function withEcsClients<T>(settings: Pick<EcsSettings, "image">, work: (clients: EcsClients) => Promise<T>): Promise<T> {
  const clients = createEcsClients({ ecrRegion: settings.image ? parseImage(settings.image)?.ecr?.region : undefined });
  try {
    return await work(clients);
  } finally {
    destroyClients(clients);
  }
}

/**
 * Runs a deployment and turns every ending into outputs, a summary and the error to fail with. A run that
 * throws (a config or remote error) still gets a summary saying whether a deployment was started.
 */
export async function runEcs(settings: EcsSettings, deps: EcsRunDeps): Promise<EcsRun> {
  const { saveState, ...rest } = deps;
  let started: string | undefined;
  let result: EcsResult;
  try {
    result = await deployEcs(settings, {
      ...rest,
      onStarted: ({ deploymentId, serviceDeploymentArn }) => {
        started = deploymentId ?? serviceDeploymentArn;
        if (deploymentId) saveState?.(ECS_STATE.deploymentId, deploymentId);
        if (serviceDeploymentArn) saveState?.(ECS_STATE.serviceDeployment, serviceDeploymentArn);
      },
    });
  } catch (error) {
    return { ok: false, outputs: {}, summary: renderRunError(settings, errorMessage(error), started), error };
  }
  // The post step's backstop stays armed only when a stop could not be confirmed.
  if (!/^unknown$/i.test(result.status)) saveState?.(ECS_STATE.finished, "true");
  const outputs = {
    [ECS_OUTPUTS.taskDefinitionArn]: result.taskDefinitionArn,
    [ECS_OUTPUTS.deploymentId]: result.deploymentId ?? "",
    [ECS_OUTPUTS.imageDigest]: result.imageDigest ?? "",
    [ECS_OUTPUTS.status]: result.status,
    [ECS_OUTPUTS.rolledBack]: String(result.rolledBack),
  };
  const error = result.failure ? (result.cancelled ? new CancelledError(result.failure) : new RemoteError(result.failure)) : undefined;
  return { ok: !result.failure, outputs, summary: result.summary, error, result };
}
