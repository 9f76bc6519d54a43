import { outputNames } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import type { Secrets } from "../lib/secrets.js";
import type { PathResolver } from "../lib/workspace-path.js";
import { type CheckSpec, parseChecks } from "../verify/checks.js";
import { readHttpUrl } from "../verify/url.js";
import { parseImage } from "./image.js";
import { ECS_INPUTS } from "./input-names.js";

export { ECS_INPUTS };

/** Output and state names of the ecs-blue-green action, defined once. */
export const ECS_OUTPUTS = outputNames("ecs-blue-green");

/** What the main step leaves for the post step's backstop. */
export const ECS_STATE = { deploymentId: "deployment-id", serviceDeployment: "service-deployment-arn", finished: "finished" } as const;

/** Environment variables holding AWS secrets (from configure-aws-credentials): masked before anything runs. */
export const ECS_SECRET_ENV = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;

export const HOOK_EVENTS = ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface EcsSettings {
  command: "deploy" | "rollback";
  cluster: string;
  service: string;
  /** Path of a JSON or YAML task definition; undefined starts from the service's current one. */
  taskDefinitionFile?: string;
  containerName: string;
  image?: string;
  environment: Map<string, string>;
  containerPort?: number;
  application: string;
  deploymentGroup: string;
  deploymentConfig?: string;
  appspecFile?: string;
  hooks: Array<{ event: HookEvent; function: string }>;
  wait: boolean;
  timeoutMs: number;
  testUrl?: string;
  /** `testUrl` without credentials, for logs and the summary. */
  shownTestUrl?: string;
  checks: CheckSpec[];
  verifyImage: boolean;
  maxCriticalFindings: number;
  pollIntervalMs: number;
}

/** Reads and checks every input; `resolvePath` resolves (and checks) the file inputs against the workspace. */
export function readEcsSettings(inputs: Inputs, resolvePath: PathResolver = (_name, path) => path, secrets?: Secrets): EcsSettings {
  const cluster = inputs.required(ECS_INPUTS.cluster);
  const service = inputs.required(ECS_INPUTS.service);
  const command = inputs.choice(ECS_INPUTS.command, ["deploy", "rollback"] as const, "deploy");
  const image = inputs.optional(ECS_INPUTS.image) || undefined;
  if (image && !parseImage(image)) {
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.image)} got ${quoteValue(image)}; expected an image URI with a tag or digest, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2.`,
    );
  }
  if (command === "deploy" && !image && !inputs.raw(ECS_INPUTS.taskDefinition)) {
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.image)} is required when '${ECS_INPUTS.taskDefinition}' is empty: there is nothing new to deploy.`,
    );
  }
  const test = readHttpUrl(inputs, ECS_INPUTS.testUrl, secrets, " of the test listener");
  const testUrl = test?.url;
  const checkLines = inputs.lines(ECS_INPUTS.testChecks);
  if (checkLines.length && !testUrl)
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.testChecks)} needs '${ECS_INPUTS.testUrl}': the checks run against the test listener.`,
    );
  const taskDefinition = inputs.optional(ECS_INPUTS.taskDefinition);
  const appspec = inputs.optional(ECS_INPUTS.appspec);
  const port = inputs.raw(ECS_INPUTS.containerPort) ? inputs.integer(ECS_INPUTS.containerPort, 0, { min: 1, max: 65535 }) : undefined;
  return {
    command,
    cluster,
    service,
    taskDefinitionFile: taskDefinition ? resolvePath(ECS_INPUTS.taskDefinition, taskDefinition, "file") : undefined,
    containerName: inputs.required(ECS_INPUTS.containerName),
    image,
    environment: inputs.keyValues(ECS_INPUTS.environment),
    containerPort: port,
    application: inputs.optional(ECS_INPUTS.codedeployApplication, `AppECS-${cluster}-${service}`),
    deploymentGroup: inputs.optional(ECS_INPUTS.codedeployDeploymentGroup, `DgpECS-${cluster}-${service}`),
    deploymentConfig: inputs.optional(ECS_INPUTS.deploymentConfig) || undefined,
    appspecFile: appspec ? resolvePath(ECS_INPUTS.appspec, appspec, "file") : undefined,
    hooks: readHooks(inputs),
    wait: inputs.boolean(ECS_INPUTS.wait, true),
    timeoutMs: inputs.duration(ECS_INPUTS.timeout, "60m", { min: "1s", max: "72h" }),
    testUrl,
    shownTestUrl: test?.shownUrl,
    checks: testUrl ? parseChecks(checkLines.length ? checkLines : [{ line: 1, text: "GET /health 200" }], ECS_INPUTS.testChecks) : [],
    verifyImage: inputs.boolean(ECS_INPUTS.verifyImage, true),
    maxCriticalFindings: inputs.integer(ECS_INPUTS.maxCriticalFindings, 0, { min: -1, max: 100_000 }),
    pollIntervalMs: inputs.duration(ECS_INPUTS.pollInterval, "15s", { min: "50ms", max: "5m" }),
  };
}

function readHooks(inputs: Inputs): EcsSettings["hooks"] {
  return [...inputs.keyValues(ECS_INPUTS.hooks)].map(([event, fn]) => {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      throw new ConfigurationError(
        `${inputLabel(ECS_INPUTS.hooks)} names the event ${quoteValue(event)}; allowed: ${HOOK_EVENTS.join(", ")}.`,
      );
    }
    if (!fn) throw new ConfigurationError(`${inputLabel(ECS_INPUTS.hooks)}: ${event} needs a Lambda function name or ARN after '='.`);
    return { event: event as HookEvent, function: fn };
  });
}
