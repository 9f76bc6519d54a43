import { withDeadline } from "../lib/cancel.js";
import { ConfigurationError } from "../lib/errors.js";
import { inputLabel } from "../lib/inputs.js";
import type { Logger } from "../lib/logger.js";
import { sleep as realSleep, type Sleep } from "../lib/retry.js";
import { runVerify } from "../verify/verify.js";
import { appSpecRevision, generateAppSpec, loadAppSpec } from "./appspec.js";
import type { EcsClients } from "./aws.js";
import { createDeployment, type DeploymentOutcome, type ReadyGate, watchDeployment } from "./codedeploy.js";
import { checkImage, type ImageCheck, parseImage } from "./image.js";
import { ECS_INPUTS } from "./input-names.js";
import { deployNative } from "./native.js";
import {
  controllerOf,
  currentTaskDefinitionArn,
  describeService,
  describeTaskDefinition,
  previousRevision,
  readDeploymentGroup,
  registerTaskDefinition,
} from "./service.js";
import type { EcsSettings } from "./settings.js";
import { renderEcsSummary, type SummaryFacts } from "./summary.js";
import { containerPortOf, loadTaskDefinitionFile, renderTaskDefinition, revisionName, type TaskDefinition } from "./task-definition.js";

export interface EcsDeps {
  clients: EcsClients;
  logger: Logger;
  /** The job's cancellation (SIGINT/SIGTERM). The timeout input is added on top. */
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
  /** The workspace: file paths in messages are shown relative to it. */
  root?: string;
  /** Called as soon as a deployment exists, so the entry can leave it to the post step's backstop. */
  onStarted?: (started: { deploymentId?: string; serviceDeploymentArn?: string }) => void;
}

/** What a run decided and how it ended; `summary` is the job summary markdown. */
export interface EcsResult extends SummaryFacts {
  outcome?: DeploymentOutcome;
  summary: string;
}

/** Deploys (or rolls back) one ECS service blue/green: image check, task definition, AppSpec, deployment, watch. */
export async function deployEcs(settings: EcsSettings, deps: EcsDeps): Promise<EcsResult> {
  const { clients, logger } = deps;
  const now = deps.now ?? Date.now;
  const signal = withDeadline(deps.signal, settings.timeoutMs, "The deployment");
  const service = await describeService(clients, settings.cluster, settings.service, signal);
  const controller = controllerOf(service);
  const region = /^arn:[^:]+:ecs:([^:]+):/.exec(service.serviceArn ?? "")?.[1];
  const group =
    controller === "codedeploy" ? await readDeploymentGroup(clients, settings.application, settings.deploymentGroup, signal) : undefined;
  if (group && settings.checks.length && !group.readyWait) {
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.testChecks)} needs a ready wait, but deployment group ${settings.deploymentGroup} reroutes traffic at once; set its deploymentReadyOption.actionOnTimeout to STOP_DEPLOYMENT.`,
    );
  }

  let image: ImageCheck | undefined;
  if (settings.command === "deploy" && settings.image && settings.verifyImage) {
    image = await logger.group("Verify image", () =>
      checkImage(clients.ecr, settings.image!, settings.maxCriticalFindings, { logger, signal }),
    );
  }
  // Built once before anything is registered, so a broken AppSpec file changes nothing in the account.
  const makeAppSpec = (arn: string, definition?: TaskDefinition) => {
    const fallbackPort = settings.containerPort ?? serviceContainerPort(service, settings.containerName);
    // Without the definition yet (validation), a placeholder port stands in for the one it will name.
    const port = definition ? containerPortOf(definition, settings.containerName, fallbackPort) : (fallbackPort ?? 1);
    const input = { taskDefinitionArn: arn, containerName: settings.containerName, containerPort: port, hooks: settings.hooks, service };
    if (settings.appspecFile) return loadAppSpec(settings.appspecFile, input, deps.root);
    if (definition && !port)
      throw new ConfigurationError(
        `${inputLabel(ECS_INPUTS.containerPort)} is needed: neither the service's load balancer nor container ${settings.containerName} names a port.`,
      );
    return generateAppSpec(input);
  };
  if (controller === "codedeploy" && settings.appspecFile) makeAppSpec("(validated before registering)");
  const { arn: taskDefinitionArn, definition } = await logger.group("Task definition", async () => {
    if (settings.command === "rollback") {
      if (settings.image || settings.taskDefinitionFile || settings.environment.size) {
        logger.warning("command: rollback redeploys the previous revision as it was; image, task-definition and environment are ignored.");
      }
      const arn = await previousRevision(clients, currentTaskDefinitionArn(service), signal);
      logger.info(`Rolling back ${settings.service} from ${revisionName(currentTaskDefinitionArn(service))} to ${revisionName(arn)}`);
      return { arn, definition: await describeTaskDefinition(clients, arn, signal) };
    }
    const base: TaskDefinition = settings.taskDefinitionFile
      ? loadTaskDefinitionFile(settings.taskDefinitionFile, settings.containerName, deps.root)
      : await describeTaskDefinition(clients, currentTaskDefinitionArn(service), signal);
    const rendered = renderTaskDefinition(base, {
      containerName: settings.containerName,
      image: image?.pinned ?? settings.image,
      environment: settings.environment,
    });
    const arn = await registerTaskDefinition(clients, rendered, signal);
    logger.info(`Registered ${revisionName(arn)}`);
    return { arn, definition: rendered };
  });
  const deployedImage = definition.containerDefinitions.find((container) => container.name === settings.containerName)?.image;
  const base = {
    command: settings.command,
    controller,
    region,
    image: settings.image ?? deployedImage,
    imageDigest: image?.digest ?? (deployedImage ? parseImage(deployedImage)?.digest : undefined),
    findings: image?.findings,
    taskDefinitionArn,
  };

  if (controller === "native") {
    if (settings.checks.length)
      logger.warning(
        "test-checks run when the ECS-native deployment reaches POST_TEST_TRAFFIC_SHIFT; ECS does not wait for them unless a lifecycle hook holds it.",
      );
    const native = await deployNative(settings, {
      ...deps,
      signal,
      sleep: deps.sleep ?? realSleep,
      now,
      taskDefinitionArn,
      gate: checksGate(settings, deps, signal),
    });
    const result = { ...base, ...native, ok: !native.failure, summary: "" };
    return { ...result, summary: renderEcsSummary(settings, result) };
  }

  const appSpec = makeAppSpec(taskDefinitionArn, definition);
  // Not abortable: a cancel mid-request could leave a deployment we never learn the id of. Once it returns,
  // the watch below sees the cancel at once and stops it with rollback.
  const deploymentId = await createDeployment(clients.codedeploy, {
    applicationName: settings.application,
    deploymentGroupName: settings.deploymentGroup,
    revision: appSpecRevision(appSpec),
    deploymentConfigName: settings.deploymentConfig,
    description: `launchpad ecs-blue-green ${settings.command}: ${revisionName(taskDefinitionArn)}`,
  });
  deps.onStarted?.({ deploymentId });
  logger.info(
    `Created CodeDeploy deployment ${deploymentId} (${settings.deploymentConfig ?? group?.deploymentConfigName ?? "group default"})`,
  );
  if (!settings.wait) {
    const result = { ...base, deploymentId, status: "Created", rolledBack: false, cancelled: false, ok: true, summary: "" };
    return { ...result, summary: renderEcsSummary(settings, result) };
  }
  const gate = group?.readyWait ? checksGate(settings, deps, signal) : undefined;
  const outcome = await watchDeployment(deploymentId, gate, {
    codedeploy: clients.codedeploy,
    logger,
    signal,
    sleep: deps.sleep ?? realSleep,
    now,
    pollIntervalMs: settings.pollIntervalMs,
    autoRollback: Boolean(group?.autoRollback),
  });
  const result = {
    ...base,
    deploymentId,
    status: outcome.status,
    rolledBack: outcome.rolledBack,
    rollbackId: outcome.rollbackId,
    rollbackStatus: outcome.rollbackStatus,
    cancelled: Boolean(outcome.cancelled),
    failure: outcome.failure,
    outcome,
    ok: !outcome.failure,
    summary: "",
  };
  return { ...result, summary: renderEcsSummary(settings, result) };
}

function serviceContainerPort(service: Record<string, any>, containerName: string): number | undefined {
  return (service.loadBalancers ?? []).find((balancer: any) => balancer.containerName === containerName)?.containerPort;
}

/** The test checks at Ready, with the verify action's runner; no checks configured lets traffic continue. */
function checksGate(settings: EcsSettings, deps: EcsDeps, signal: AbortSignal): ReadyGate {
  return async () => {
    if (!settings.testUrl || !settings.checks.length) return { passed: true };
    const shown = settings.shownTestUrl ?? settings.testUrl;
    deps.logger.info(`Running ${settings.checks.length} test check(s) against ${shown}`);
    const verified = await runVerify(
      {
        url: settings.testUrl,
        shownUrl: shown,
        checks: settings.checks,
        tlsMinDays: 0,
        attempts: 3,
        timeoutMs: 10_000,
        retryDelayMs: Math.min(1_000, settings.pollIntervalMs),
      },
      { logger: deps.logger, signal, sleep: deps.sleep },
    );
    return {
      passed: verified.passed,
      reason: `${verified.failed} of ${settings.checks.length} failed against ${shown}`,
      markdown: verified.markdown,
    };
  };
}
