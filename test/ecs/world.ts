import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createEcsClients, destroyClients } from "../../src/ecs/aws.js";
import { deployEcs, type EcsResult } from "../../src/ecs/deploy.js";
import { type EcsSettings, readEcsSettings } from "../../src/ecs/settings.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { silentLogger } from "../../src/lib/logger.js";
import { AwsFake, awsEnv, type ScriptStep } from "../fakes/aws.js";
import { REPO_ROOT } from "../harness/run-bundle.js";

export const EXAMPLE = join(REPO_ROOT, "examples/blockbuilders");
export const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
export const DIGEST = `sha256:${"a1".repeat(32)}`;
export const VULNERABLE_DIGEST = `sha256:${"c3".repeat(32)}`;
export const APP = "AppECS-prod-api";
export const GROUP = "DgpECS-prod-api";

const SECOND = 1_000;

/**
 * CodeDeployDefault.ECSCanary10Percent5Minutes as a 10-minute timeline on the fake's clock: install, test traffic,
 * 10 % for five minutes, 100 %, then the blue task set's termination wait.
 */
export const CANARY_10_MINUTES: ScriptStep[] = [
  { status: "Created", ms: 5 * SECOND },
  { status: "InProgress", event: "Install", green: 0, ms: 60 * SECOND },
  { status: "InProgress", event: "AfterAllowTestTraffic", green: 0, ms: 30 * SECOND },
  { status: "InProgress", event: "AllowTraffic", green: 10, ms: 300 * SECOND },
  { status: "InProgress", event: "AllowTraffic", green: 100, ms: 30 * SECOND },
  { status: "InProgress", event: "AfterAllowTraffic", green: 100, ms: 175 * SECOND },
  { status: "Succeeded", green: 100 },
];

/** The example task definition as ECS stores it (read-only fields and all). */
export function exampleTaskDefinition(): any {
  return JSON.parse(readFileSync(join(EXAMPLE, "infrastructure/ecs/task-definition.json"), "utf8"));
}

/**
 * The Blockbuilders API on the fake: cluster `prod`, service `api` behind CodeDeploy, two revisions of its task
 * definition, two images in ECR (one with critical findings), and a deployment group with automatic rollback.
 */
export async function startWorld(
  options: { readyWait?: boolean; controller?: "CODE_DEPLOY" | "ECS"; strategy?: string; clock?: () => number } = {},
): Promise<AwsFake> {
  const fake = new AwsFake(options.clock);
  const {
    taskDefinitionArn: _a,
    revision: _r,
    status: _s,
    requiresAttributes: _q,
    compatibilities: _c,
    registeredAt: _t,
    registeredBy: _b,
    ...definition
  } = exampleTaskDefinition();
  fake.addTaskDefinition({
    ...definition,
    containerDefinitions: [{ ...definition.containerDefinitions[0], image: `${REGISTRY}/blockbuilders-api:1.3.0` }],
  });
  const current = fake.addTaskDefinition(definition);
  fake.addService("prod", {
    serviceName: "api",
    taskDefinition: current.taskDefinitionArn,
    deploymentController: { type: options.controller ?? "CODE_DEPLOY" },
    deploymentConfiguration: options.strategy ? { strategy: options.strategy, bakeTimeInMinutes: 5 } : undefined,
    loadBalancers: [
      {
        targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-blue/1",
        containerName: "api",
        containerPort: 8000,
      },
    ],
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ["subnet-0a1", "subnet-0b2"], securityGroups: ["sg-0api"], assignPublicIp: "DISABLED" },
    },
    platformVersion: "LATEST",
    launchType: "FARGATE",
  });
  fake.addImage("blockbuilders-api", { tags: ["1.5.0"], digest: DIGEST, findings: { HIGH: 2, MEDIUM: 3 } });
  fake.addImage("blockbuilders-api", { tags: ["1.5.1-vulnerable"], digest: VULNERABLE_DIGEST, findings: { CRITICAL: 2, HIGH: 1 } });
  fake.addDeploymentGroup(APP, GROUP, {
    ecsServices: [{ clusterName: "prod", serviceName: "api" }],
    deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"] },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: options.readyWait
        ? { actionOnTimeout: "STOP_DEPLOYMENT", waitTimeInMinutes: 30 }
        : { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
      terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 5 },
    },
  });
  return fake.start();
}

/** A stand-in for the test listener: answers each path with the given status and records hits. */
export async function startTestListener(
  statuses: Record<string, number>,
): Promise<{ url: string; hits: Array<{ path: string; at: number }>; close(): Promise<void> }> {
  const hits: Array<{ path: string; at: number }> = [];
  const server: Server = createServer((request, response) => {
    hits.push({ path: request.url ?? "/", at: Date.now() });
    response.writeHead(statuses[request.url ?? "/"] ?? 404, { "content-type": "application/json" });
    response.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Settings for deploying image 1.5.0 to the world's prod/api, read from inputs like the action's. */
export function worldSettings(values: Record<string, string> = {}): EcsSettings {
  return readEcsSettings(
    new Inputs(
      mapInputSource({ cluster: "prod", service: "api", "container-name": "api", image: `${REGISTRY}/blockbuilders-api:1.5.0`, ...values }),
    ),
  );
}

/**
 * Runs the core in-process against a fresh world whose deployment follows `script` on a virtual clock: the
 * fake's clock and the core's `now` read it, and the core's `sleep` advances it instead of waiting, so simulated
 * minutes take milliseconds while every poll is still a real SDK call to the fake. The caller stops the fake.
 */
export async function runOnScriptedClock(
  script: ScriptStep[],
  pollInterval = "15s",
): Promise<{ fake: AwsFake; result: EcsResult; elapsedMs: number }> {
  let virtual = 0;
  const fake = await startWorld({ clock: () => virtual });
  fake.nextScripts.push(script);
  const saved = { ...process.env };
  Object.assign(process.env, awsEnv(fake));
  const clients = createEcsClients();
  try {
    const settings = worldSettings({ "poll-interval": pollInterval });
    const result = await deployEcs(settings, {
      clients,
      logger: silentLogger,
      now: () => virtual,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        virtual += ms;
      },
    });
    return { fake, result, elapsedMs: virtual };
  } finally {
    destroyClients(clients);
    process.env = saved;
  }
}
