import {
  type CodeDeployClient,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  type DeploymentInfo,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { errorMessage, RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { type Sleep, sleep } from "../lib/retry.js";
import { awsErrorCode, call } from "./aws.js";
import { Progress, type TargetView } from "./progress.js";

export const TERMINAL = new Set(["Succeeded", "Failed", "Stopped"]);

export interface WatchDeps {
  codedeploy: CodeDeployClient;
  logger: Logger;
  /** Fires on cancel or timeout; its reason says which. */
  signal: AbortSignal;
  sleep: Sleep;
  now: () => number;
  pollIntervalMs: number;
  /** The group rolls back failed deployments by itself, so a rollback is worth waiting for. */
  autoRollback: boolean;
}

export interface DeploymentOutcome {
  deploymentId: string;
  status: string;
  rolledBack: boolean;
  rollbackId?: string;
  rollbackStatus?: string;
  /** A readable sentence when the deployment did not succeed. */
  failure?: string;
  cancelled?: boolean;
  progress: Progress;
  checksMarkdown?: string;
}

/** Runs the test checks at Ready; true lets traffic continue. */
export type ReadyGate = (progress: Progress) => Promise<{ passed: boolean; reason?: string; markdown?: string }>;

/** CreateDeployment, naming the deployment in flight when the group is busy. */
export async function createDeployment(
  codedeploy: CodeDeployClient,
  input: { applicationName: string; deploymentGroupName: string; revision: any; deploymentConfigName?: string; description?: string },
  signal?: AbortSignal,
): Promise<string> {
  try {
    const created = await call(codedeploy, new CreateDeploymentCommand(input), signal);
    if (!created.deploymentId) throw new RemoteError("CodeDeploy CreateDeployment returned no deployment id.");
    return created.deploymentId;
  } catch (error) {
    if (awsErrorCode(error) !== "DeploymentLimitExceededException") throw error;
    const active = /d-[A-Z0-9]+/.exec(errorMessage(error))?.[0] ?? (await findActive(codedeploy, input));
    throw new RemoteError(
      `Deployment group ${input.deploymentGroupName} already has deployment ${active ?? "(unknown)"} in progress; wait for it to finish or stop it, then re-run.`,
      400,
      "DeploymentLimitExceededException",
    );
  }
}

async function findActive(
  codedeploy: CodeDeployClient,
  input: { applicationName: string; deploymentGroupName: string },
): Promise<string | undefined> {
  const listed = await call(
    codedeploy,
    new ListDeploymentsCommand({ ...input, includeOnlyStatuses: ["Created", "Queued", "InProgress", "Baking", "Ready"] }),
  ).catch(() => undefined);
  return listed?.deployments?.[0];
}

/**
 * Polls one deployment to its end: logs status, lifecycle events and traffic as they change; at Ready (when the
 * group waits there) runs the gate, then continues or stops; on failure follows the rollback; on cancel or
 * timeout stops it with auto-rollback at once.
 */
export async function watchDeployment(deploymentId: string, readyGate: ReadyGate | undefined, deps: WatchDeps): Promise<DeploymentOutcome> {
  const progress = new Progress(`Deployment ${deploymentId}`, deps.logger, deps.now);
  const view = new TargetReader(deploymentId, deps);
  let continued = false;
  let checksMarkdown: string | undefined;
  try {
    for (;;) {
      const info = await getDeployment(deploymentId, deps);
      const status = info.status ?? "Unknown";
      progress.observe(status, status === "InProgress" || status === "Ready" ? await view.read() : undefined);
      if (status === "Ready" && readyGate && !continued) {
        const gate = await readyGate(progress);
        checksMarkdown = gate.markdown;
        if (!gate.passed) {
          progress.note(`test checks failed: ${gate.reason}; stopping with rollback`);
          await stop(deploymentId, deps);
          const rollback = await followRollback(deploymentId, progress, deps, true);
          return {
            ...rollback,
            progress,
            checksMarkdown,
            failure: `Test checks failed at Ready (${gate.reason}); stopped ${deploymentId}${describeRollback(rollback)}`,
          };
        }
        await call(deps.codedeploy, new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: "READY_WAIT" }), deps.signal);
        progress.note("test checks passed; traffic continues");
        continued = true;
        continue;
      }
      if (TERMINAL.has(status)) {
        if (status === "Succeeded") return { deploymentId, status, rolledBack: false, progress, checksMarkdown };
        const rollback = await followRollback(deploymentId, progress, deps, deps.autoRollback, info);
        const error = info.errorInformation;
        const verb = status === "Stopped" ? "was stopped" : "failed";
        const cause = error ? `: ${error.code ?? "error"}: ${(error.message ?? "").replace(/\.$/, "")}`.replace(/: $/, "") : "";
        return {
          ...rollback,
          progress,
          checksMarkdown,
          failure: `CodeDeploy deployment ${deploymentId} ${verb}${cause}${describeRollback(rollback)}`,
        };
      }
      await deps.sleep(deps.pollIntervalMs, deps.signal);
    }
  } catch (error) {
    if (!deps.signal.aborted) throw error;
    return { ...(await cancel(deploymentId, progress, deps)), checksMarkdown };
  }
}

function describeRollback(outcome: { rollbackId?: string; rollbackStatus?: string }): string {
  return outcome.rollbackId
    ? `; rolled back by ${outcome.rollbackId} (${outcome.rollbackStatus ?? "status unknown"})`
    : "; no rollback was made (enable automatic rollback on the deployment group)";
}

async function getDeployment(
  deploymentId: string,
  deps: Pick<WatchDeps, "codedeploy" | "signal">,
  signal = deps.signal,
): Promise<DeploymentInfo> {
  const got = await call(deps.codedeploy, new GetDeploymentCommand({ deploymentId }), signal);
  return got.deploymentInfo ?? {};
}

async function stop(deploymentId: string, deps: WatchDeps, signal?: AbortSignal): Promise<void> {
  try {
    await call(deps.codedeploy, new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }), signal);
  } catch (error) {
    if (awsErrorCode(error) !== "DeploymentAlreadyCompletedException") throw error;
  }
}

/** Finds the rollback CodeDeploy made for a failed or stopped deployment and polls it to its end. */
async function followRollback(
  deploymentId: string,
  progress: Progress,
  deps: WatchDeps,
  expected: boolean,
  known?: DeploymentInfo,
): Promise<Omit<DeploymentOutcome, "progress" | "failure">> {
  let info = known;
  // CodeDeploy names the rollback a moment after the failure or stop; without auto-rollback one look is enough.
  for (let attempt = 0; !info?.rollbackInfo?.rollbackDeploymentId && attempt < (expected ? 5 : 1); attempt++) {
    if (info) await deps.sleep(Math.min(deps.pollIntervalMs, 2_000), deps.signal);
    info = await getDeployment(deploymentId, deps);
  }
  const status = info?.status ?? "Unknown";
  const rollbackId = info?.rollbackInfo?.rollbackDeploymentId;
  if (!rollbackId) return { deploymentId, status, rolledBack: false };
  progress.note(`rolling back through ${rollbackId}`);
  const rollback = new Progress(`Rollback ${rollbackId}`, deps.logger, deps.now);
  for (;;) {
    const rollbackInfo = await getDeployment(rollbackId, deps);
    rollback.observe(rollbackInfo.status ?? "Unknown");
    if (TERMINAL.has(rollbackInfo.status ?? "")) {
      progress.note(`rollback ${rollbackId} ${rollbackInfo.status}`);
      return {
        deploymentId,
        status: TERMINAL.has(status) ? status : "Stopped",
        rolledBack: rollbackInfo.status === "Succeeded",
        rollbackId,
        rollbackStatus: rollbackInfo.status,
      };
    }
    await deps.sleep(deps.pollIntervalMs, deps.signal);
  }
}

/** Cancel or timeout: StopDeployment with auto-rollback first, then a few seconds to see the rollback start. */
async function cancel(deploymentId: string, progress: Progress, deps: WatchDeps): Promise<DeploymentOutcome> {
  const cancelledAt = Date.now();
  const reason = errorMessage(deps.signal.reason);
  try {
    await stop(deploymentId, deps, AbortSignal.timeout(4_000));
    progress.note(`${reason} Sent StopDeployment with automatic rollback`);
  } catch (error) {
    const failure = `${reason} StopDeployment for ${deploymentId} failed: ${errorMessage(error)}; stop it in the CodeDeploy console.`;
    return { deploymentId, status: "Unknown", rolledBack: false, cancelled: true, progress, failure };
  }
  // The runner sends SIGTERM ~7.5 s after SIGINT: the whole cancel path stays within ~6 s.
  const grace = AbortSignal.timeout(Math.max(500, 6_000 - (Date.now() - cancelledAt)));
  let rollbackId: string | undefined;
  let rollbackStatus: string | undefined;
  try {
    for (let attempt = 0; attempt < 4 && !rollbackId; attempt++) {
      const info = await getDeployment(deploymentId, deps, grace);
      rollbackId = info.rollbackInfo?.rollbackDeploymentId;
      // Real time, not deps.sleep: the job signal has already fired, and this wait belongs to the grace period.
      if (!rollbackId) await sleep(500);
    }
    if (rollbackId) rollbackStatus = (await getDeployment(rollbackId, deps, grace)).status;
  } catch {
    // The grace period is best effort: the stop request already went out.
  }
  const rolled = rollbackId ? ` Rollback ${rollbackId} is ${rollbackStatus ?? "starting"}.` : "";
  return {
    deploymentId,
    status: "Stopped",
    // StopDeployment{autoRollbackEnabled} was accepted: the rollback is requested even if not yet visible.
    rolledBack: true,
    rollbackId,
    rollbackStatus,
    cancelled: true,
    progress,
    failure: `${reason} Stopped CodeDeploy deployment ${deploymentId} with automatic rollback.${rolled}`,
  };
}

/** Reads the deployment's one ECS target: traffic weights of the Blue and Green task sets and lifecycle events. */
class TargetReader {
  private targetId?: string;
  constructor(
    private readonly deploymentId: string,
    private readonly deps: WatchDeps,
  ) {}

  async read(): Promise<TargetView> {
    if (!this.targetId) {
      const listed = await call(
        this.deps.codedeploy,
        new ListDeploymentTargetsCommand({ deploymentId: this.deploymentId }),
        this.deps.signal,
      );
      this.targetId = listed.targetIds?.[0];
      if (!this.targetId) return { events: [] };
    }
    const got = await call(
      this.deps.codedeploy,
      new GetDeploymentTargetCommand({ deploymentId: this.deploymentId, targetId: this.targetId }),
      this.deps.signal,
    );
    const target = got.deploymentTarget?.ecsTarget;
    const sets = target?.taskSetsInfo ?? [];
    const weight = (label: string) => sets.find((set) => set.taskSetLabel === label)?.trafficWeight;
    return {
      blue: weight("Blue"),
      green: weight("Green"),
      events: (target?.lifecycleEvents ?? []).map((event) => ({ name: event.lifecycleEventName ?? "?", status: event.status ?? "?" })),
    };
  }
}
