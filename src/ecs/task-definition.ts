import { isMap, isSeq } from "yaml";
import { ConfigurationError } from "../lib/errors.js";
import { inputLabel, quoteValue } from "../lib/inputs.js";
import { ECS_INPUTS } from "./input-names.js";
import { readYamlFile } from "./yaml-file.js";

/** Fields ECS returns but refuses on RegisterTaskDefinition. Only these go: empty values the user wrote stay. */
export const READ_ONLY_FIELDS = [
  "taskDefinitionArn",
  "revision",
  "status",
  "requiresAttributes",
  "compatibilities",
  "registeredAt",
  "registeredBy",
  "deregisteredAt",
] as const;

export type TaskDefinition = Record<string, any> & { family: string; containerDefinitions: Array<Record<string, any>> };

/**
 * Reads a task definition from JSON or YAML, including `aws ecs describe-task-definition` output
 * (`{taskDefinition: …}`). Mistakes are reported as `file:line:col: what is wrong`.
 */
export function loadTaskDefinitionFile(path: string, containerName: string, root = process.cwd()): TaskDefinition {
  const { document, at } = readYamlFile(path, "task-definition", root);
  const wrapped = isMap(document.contents) && document.has("taskDefinition");
  const path0 = wrapped ? ["taskDefinition"] : [];
  const node = document.getIn(path0, true);
  if (!isMap(node)) throw new ConfigurationError(`${at(0)}: a task definition must be an object with family and containerDefinitions.`);
  const value = (wrapped ? document.toJS().taskDefinition : document.toJS()) as TaskDefinition;
  if (typeof value.family !== "string" || !value.family)
    throw new ConfigurationError(`${at(node.range?.[0])}: the task definition has no 'family'.`);
  const containers = document.getIn([...path0, "containerDefinitions"], true);
  if (!isSeq(containers)) throw new ConfigurationError(`${at(node.range?.[0])}: 'containerDefinitions' must be a list of containers.`);
  if (!value.containerDefinitions.some((container) => container?.name === containerName)) {
    const names = value.containerDefinitions.map((container) => container?.name).join(", ");
    throw new ConfigurationError(
      `${at(containers.range?.[0])}: no container named '${containerName}' (input 'container-name'); containers here: ${names || "none"}.`,
    );
  }
  return value;
}

export interface RenderOptions {
  containerName: string;
  image?: string;
  environment: Map<string, string>;
}

/** A copy ready for RegisterTaskDefinition: read-only fields stripped, the image set, environment upserted. */
export function renderTaskDefinition(base: TaskDefinition, options: RenderOptions): TaskDefinition {
  const rendered = structuredClone(base);
  for (const field of READ_ONLY_FIELDS) delete rendered[field];
  const container = rendered.containerDefinitions.find((item) => item.name === options.containerName);
  if (!container) {
    const names = rendered.containerDefinitions.map((item) => item.name).join(", ");
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.containerName)}: the task definition ${base.family} has no container ${quoteValue(options.containerName)} (it has ${names}).`,
    );
  }
  if (options.image) container.image = options.image;
  if (options.environment.size) {
    const environment: Array<{ name: string; value: string }> = Array.isArray(container.environment) ? container.environment : [];
    for (const [name, value] of options.environment) {
      const existing = environment.find((item) => item.name === name);
      if (existing) existing.value = value;
      else environment.push({ name, value });
    }
    container.environment = environment;
  }
  return rendered;
}

/** `family:revision` from a task definition ARN. */
export function revisionName(arn: string): string {
  return arn.split("task-definition/").pop() ?? arn;
}

/** The container port: the input, else the service's load balancer entry, else the container's first mapping. */
export function containerPortOf(definition: TaskDefinition, containerName: string, fromService?: number): number | undefined {
  if (fromService) return fromService;
  const container = definition.containerDefinitions.find((item) => item.name === containerName);
  return container?.portMappings?.[0]?.containerPort;
}
