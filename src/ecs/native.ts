import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { errorMessage, RemoteError } from "../lib/errors.js";
import type { Sleep } from "../lib/retry.js";
import { call } from "./aws.js";
import type { ReadyGate } from "./codedeploy.js";
import type { EcsDeps } from "./deploy.js";
import { Progress } from "./progress.js";
import type { EcsSettings } from "./settings.js";

const TERMINAL = new Set(["SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"]);

export interface NativeOutcome {
  deploymentId?: string;
  status: string;
  rolledBack: boolean;
  cancelled: boolean;
  failure?: string;
  progress: Progress;
  checksMarkdown?: string;
}

interface NativeDeps extends EcsDeps {
  signal: AbortSignal;
  sleep: Sleep;
  now: () => number;
  taskDefinitionArn: string;
  gate: ReadyGate;
}

/**
 * ECS-native blue/green (deploymentConfiguration.strategy BLUE_GREEN, LINEAR or CANARY): UpdateService, then
 * watch the service deployment; cancel, timeout or failing checks stop it with a ROLLBACK.
 */
export async function deployNative(settings: EcsSettings, deps: NativeDeps): Promise<NativeOutcome> {
  const { ecs } = deps.clients;
  const target = { cluster: settings.cluster, service: settings.service };
  // Not abortable until the service deployment's ARN is known, so a cancel can still stop what this started.
  await call(ecs, new UpdateServiceCommand({ ...target, taskDefinition: deps.taskDefinitionArn }));
  let arn: string | undefined;
  for (let attempt = 0; !arn && attempt < 5; attempt++) {
    if (attempt) await deps.sleep(Math.min(settings.pollIntervalMs, 2_000));
    const listed = await call(
      ecs,
      new ListServiceDeploymentsCommand({ ...target, status: ["PENDING", "IN_PROGRESS"] }),
      AbortSignal.timeout(15_000),
    );
    arn = listed.serviceDeployments?.[0]?.serviceDeploymentArn;
  }
  if (!arn) throw new RemoteError(`ECS started no service deployment for ${settings.service} after UpdateService.`);
  const id = arn.split("/").pop() ?? arn;
  deps.onStarted?.({ serviceDeploymentArn: arn });
  const progress = new Progress(`Service deployment ${id}`, deps.logger, deps.now);
  if (!settings.wait) return { deploymentId: arn, status: "PENDING", rolledBack: false, cancelled: false, progress };
  let gated = false;
  let checksMarkdown: string | undefined;
  let stage = "";
  try {
    for (;;) {
      const described = await call(ecs, new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), deps.signal);
      const deployment = described.serviceDeployments?.[0];
      const status = deployment?.status ?? "UNKNOWN";
      progress.observe(status, undefined, deployment?.statusReason);
      if (deployment?.lifecycleStage && deployment.lifecycleStage !== stage) {
        stage = deployment.lifecycleStage;
        progress.note(`stage ${stage}`);
      }
      if (stage === "POST_TEST_TRAFFIC_SHIFT" && !gated && !TERMINAL.has(status)) {
        gated = true;
        const gate = await deps.gate(progress);
        checksMarkdown = gate.markdown;
        if (!gate.passed) {
          await call(ecs, new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }), deps.signal);
          progress.note(`test checks failed (${gate.reason}); rolling back`);
          const end = await waitForEnd(arn, progress, deps, settings.pollIntervalMs);
          return {
            deploymentId: arn,
            status: end,
            rolledBack: end === "ROLLBACK_SUCCESSFUL",
            cancelled: false,
            progress,
            checksMarkdown,
            failure: `Test checks failed (${gate.reason}); ECS service deployment ${id} ended ${end}.`,
          };
        }
      }
      if (TERMINAL.has(status)) {
        const failure =
          status === "SUCCESSFUL"
            ? undefined
            : `ECS service deployment ${id} ended ${status}${deployment?.statusReason ? `: ${deployment.statusReason}` : ""}.`;
        return {
          deploymentId: arn,
          status,
          rolledBack: status === "ROLLBACK_SUCCESSFUL",
          cancelled: false,
          progress,
          checksMarkdown,
          failure,
        };
      }
      await deps.sleep(settings.pollIntervalMs, deps.signal);
    }
  } catch (error) {
    if (!deps.signal.aborted) throw error;
    const reason = errorMessage(deps.signal.reason);
    try {
      await call(ecs, new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }), AbortSignal.timeout(4_000));
      progress.note(`${reason} Sent StopServiceDeployment (ROLLBACK)`);
      return {
        deploymentId: arn,
        status: "ROLLBACK_REQUESTED",
        rolledBack: true,
        cancelled: true,
        progress,
        checksMarkdown,
        failure: `${reason} Stopped ECS service deployment ${id} with a rollback.`,
      };
    } catch (stopError) {
      return {
        deploymentId: arn,
        status: "UNKNOWN",
        rolledBack: false,
        cancelled: true,
        progress,
        failure: `${reason} StopServiceDeployment failed: ${errorMessage(stopError)}.`,
      };
    }
  }
}

async function waitForEnd(arn: string, progress: Progress, deps: NativeDeps, intervalMs: number): Promise<string> {
  for (;;) {
    const described = await call(deps.clients.ecs, new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), deps.signal);
    const status = described.serviceDeployments?.[0]?.status ?? "UNKNOWN";
    progress.observe(status);
    if (TERMINAL.has(status)) return status;
    await deps.sleep(intervalMs, deps.signal);
  }
}
