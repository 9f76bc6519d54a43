import { RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { sleep as defaultSleep, type Sleep } from "../lib/retry.js";
import type { VercelApi } from "./api.js";

export interface PromoteResult {
  command: "promote" | "rollback";
  deploymentId: string;
  url: string;
  inspectorUrl?: string;
  /** The production deployment before the switch; undefined when the project had none. */
  previousDeploymentId?: string;
  /** True when the target was already live: nothing was requested. */
  alreadyLive: boolean;
}

/**
 * Points production at an existing deployment: `promote` (POST /v10/projects/{p}/promote/{d}) or instant
 * `rollback` (POST /v1/projects/{p}/rollback/{d}), then polls the project until its alias request for that
 * deployment succeeded. The deadline lives in `signal`.
 */
export async function switchProduction(
  command: "promote" | "rollback",
  api: VercelApi,
  deployment: string,
  deps: { logger: Logger; signal: AbortSignal; sleep?: Sleep; pollMs?: number },
): Promise<PromoteResult> {
  const wait = deps.sleep ?? defaultSleep;
  const target = await api.inspect(deployment);
  const result: PromoteResult = {
    command,
    deploymentId: target.id,
    url: `https://${target.url}`,
    inspectorUrl: target.inspectorUrl,
    alreadyLive: false,
  };
  if (target.readyState && target.readyState !== "READY") {
    throw new RemoteError(
      `Deployment ${target.id} is ${target.readyState}; only a READY deployment can be ${command === "promote" ? "promoted" : "rolled back to"}.`,
    );
  }
  const before = await api.project();
  result.previousDeploymentId = before.targets?.production?.id;
  if (result.previousDeploymentId === target.id) {
    deps.logger.info(`${target.id} is already the production deployment; nothing to do.`);
    result.alreadyLive = true;
    return result;
  }
  deps.logger.info(
    `${command === "promote" ? "Promoting" : "Rolling back to"} ${target.id} (live now: ${result.previousDeploymentId ?? "none"}).`,
  );
  await (command === "promote" ? api.promote(target.id) : api.rollback(target.id));

  for (;;) {
    await wait(deps.pollMs ?? 1_000, deps.signal);
    const project = await api.project();
    const request = project.lastAliasRequest;
    if (request?.toDeploymentId === target.id && request.jobStatus === "failed") {
      throw new RemoteError(
        `Vercel reported the ${command} of ${target.id} as failed; production still points at ${project.targets?.production?.id ?? "the previous deployment"}.`,
      );
    }
    const done = request?.toDeploymentId === target.id ? request.jobStatus === "succeeded" : project.targets?.production?.id === target.id;
    if (done) {
      if (request?.fromDeploymentId) result.previousDeploymentId = request.fromDeploymentId;
      deps.logger.info(`Production now points at ${target.id} (${result.url}).`);
      return result;
    }
    deps.logger.info(`Waiting for the ${command} to finish (${request?.jobStatus ?? "pending"})…`);
  }
}
