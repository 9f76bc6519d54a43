import type { InputName } from "../lib/action-inputs.js";

/** Input names of the ecs-blue-green action, checked against its action.yml; the core's messages name inputs through these. */
export const ECS_INPUTS = {
  command: "command",
  cluster: "cluster",
  service: "service",
  taskDefinition: "task-definition",
  containerName: "container-name",
  image: "image",
  environment: "environment",
  containerPort: "container-port",
  application: "codedeploy-application",
  deploymentGroup: "codedeploy-deployment-group",
  deploymentConfig: "deployment-config",
  appspec: "appspec",
  hooks: "hooks",
  wait: "wait",
  timeout: "timeout",
  testUrl: "test-url",
  testChecks: "test-checks",
  verifyImage: "verify-image",
  maxCriticalFindings: "max-critical-findings",
  pollInterval: "poll-interval",
} as const satisfies Record<string, InputName<"ecs-blue-green">>;
