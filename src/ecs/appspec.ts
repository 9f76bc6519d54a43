import { createHash } from "node:crypto";
import { ConfigurationError } from "../lib/errors.js";
import type { HookEvent } from "./settings.js";
import { readYamlFile } from "./yaml-file.js";

export interface AppSpecInput {
  taskDefinitionArn: string;
  containerName: string;
  containerPort?: number;
  hooks: Array<{ event: HookEvent; function: string }>;
  /** The service as DescribeServices returned it: network, platform and capacity-provider settings come from it. */
  service: Record<string, any>;
}

export interface AppSpec {
  version: number | string;
  Resources: Array<Record<string, { Type: string; Properties: Record<string, any> }>>;
  Hooks?: Array<Record<string, string>>;
}

/** An AppSpec for one ECS service: TaskDefinition, LoadBalancerInfo, and what the service runs with. */
export function generateAppSpec(input: AppSpecInput): AppSpec {
  const properties: Record<string, any> = {
    TaskDefinition: input.taskDefinitionArn,
    LoadBalancerInfo: { ContainerName: input.containerName, ContainerPort: input.containerPort },
  };
  const service = input.service;
  if (service.platformVersion) properties.PlatformVersion = service.platformVersion;
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    properties.NetworkConfiguration = {
      AwsvpcConfiguration: {
        Subnets: vpc.subnets ?? [],
        SecurityGroups: vpc.securityGroups ?? [],
        AssignPublicIp: vpc.assignPublicIp ?? "DISABLED",
      },
    };
  }
  if (service.capacityProviderStrategy?.length) {
    properties.CapacityProviderStrategy = service.capacityProviderStrategy.map((item: any) => ({
      CapacityProvider: item.capacityProvider,
      Base: item.base ?? 0,
      Weight: item.weight ?? 0,
    }));
  }
  const spec: AppSpec = { version: 0.0, Resources: [{ TargetService: { Type: "AWS::ECS::Service", Properties: properties } }] };
  return withHooks(spec, input.hooks);
}

/**
 * Loads the user's AppSpec and substitutes what this deployment decides: the TaskDefinition, the container
 * name and port, and any hooks from the input (which replace hooks for the same event).
 */
export function loadAppSpec(path: string, input: AppSpecInput, root = process.cwd()): AppSpec {
  const { document, at } = readYamlFile(path, "appspec", root);
  const spec = document.toJS() as AppSpec;
  const resources = document.getIn(["Resources"], true) as { range?: [number, number, number] } | undefined;
  // CodeDeploy reads the service from the first resource, under the key TargetService, and refuses anything else.
  const target = Array.isArray(spec?.Resources) ? spec.Resources[0]?.TargetService : undefined;
  if (target?.Type !== "AWS::ECS::Service") {
    throw new ConfigurationError(
      `${at(resources?.range?.[0])}: the AppSpec's first Resources entry must be TargetService with Type AWS::ECS::Service.`,
    );
  }
  target.Properties ??= {};
  target.Properties.TaskDefinition = input.taskDefinitionArn;
  target.Properties.LoadBalancerInfo ??= {};
  const balancer = target.Properties.LoadBalancerInfo;
  balancer.ContainerName = input.containerName;
  if (input.containerPort) balancer.ContainerPort = input.containerPort;
  if (!balancer.ContainerPort)
    throw new ConfigurationError(
      `${at(resources?.range?.[0])}: LoadBalancerInfo.ContainerPort is missing; set it here or in input 'container-port'.`,
    );
  return withHooks(spec, input.hooks);
}

function withHooks(spec: AppSpec, hooks: AppSpecInput["hooks"]): AppSpec {
  if (!hooks.length) return spec;
  const kept = (spec.Hooks ?? []).filter((hook) => !hooks.some((item) => item.event in hook));
  return { ...spec, Hooks: [...kept, ...hooks.map((hook) => ({ [hook.event]: hook.function }))] };
}

/** The CreateDeployment revision: the AppSpec as JSON with its sha256. */
export function appSpecRevision(spec: AppSpec): { revisionType: "AppSpecContent"; appSpecContent: { content: string; sha256: string } } {
  // AppSpec files say `version: 0.0`; keep that spelling rather than JSON's `0`.
  const content = JSON.stringify(spec).replace(/^\{"version":0(?=[,}])/, '{"version":0.0');
  return { revisionType: "AppSpecContent", appSpecContent: { content, sha256: createHash("sha256").update(content).digest("hex") } };
}
