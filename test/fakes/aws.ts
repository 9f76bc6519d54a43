import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { HttpFake, type RecordedRequest, type Reply } from "./http-fake.js";

/**
 * A local awsJson1.1 endpoint for ECS, CodeDeploy and ECR (point AWS_ENDPOINT_URL_ECS/_CODEDEPLOY/_ECR at `url`).
 * Every request is recorded with its operation and time; faults are injected per operation; CodeDeploy and
 * ECS-native deployments follow scripts that advance one step per status poll, or by a scripted clock.
 */

export type DeploymentStatus = "Created" | "Queued" | "InProgress" | "Baking" | "Ready" | "Succeeded" | "Failed" | "Stopped";

/** The ECS blue/green lifecycle events, in order. */
export const ECS_EVENTS = [
  "BeforeInstall",
  "Install",
  "AfterInstall",
  "AllowTestTraffic",
  "AfterAllowTestTraffic",
  "BeforeAllowTraffic",
  "AllowTraffic",
  "AfterAllowTraffic",
] as const;

/** What DescribeTaskDefinition returns but RegisterTaskDefinition refuses. */
export const ECS_READ_ONLY_FIELDS = [
  "taskDefinitionArn",
  "revision",
  "status",
  "requiresAttributes",
  "compatibilities",
  "registeredAt",
  "registeredBy",
  "deregisteredAt",
];

export interface ScriptStep {
  status: DeploymentStatus;
  /** The lifecycle event in progress: earlier ones read Succeeded, later ones Pending (all Succeeded once Succeeded). */
  event?: (typeof ECS_EVENTS)[number];
  /** Percent of production traffic on the green task set. */
  green?: number;
  error?: { code: string; message: string };
  /** Per-poll mode: how many GetDeployment calls this step lasts (default 1). A Ready step holds until continued. */
  polls?: number;
  /** Clock mode: how long this step lasts in ms. */
  ms?: number;
}

export interface Deployment {
  id: string;
  application: string;
  group: string;
  script: ScriptStep[];
  step: number;
  pollsInStep: number;
  stepStartedAt: number;
  createdAt: number;
  input: any;
  rollbackOf?: string;
  rollbackId?: string;
  stoppedBy?: "user" | "failure";
  /** The script of the rollback CodeDeploy starts when this deployment fails or is stopped with auto-rollback. */
  rollbackScript?: ScriptStep[];
  autoRollback: boolean;
  polled?: boolean;
}

export interface NativeStep {
  status: string;
  stage?: string;
  reason?: string;
  polls?: number;
  ms?: number;
}

/** A happy canary rollout: install, test traffic, optionally a Ready wait, 10 %, then 100 %. */
export function canaryScript(options: { readyWait?: boolean; pollsPerStep?: number } = {}): ScriptStep[] {
  const polls = options.pollsPerStep ?? 1;
  return [
    { status: "Created", polls },
    { status: "InProgress", event: "Install", green: 0, polls },
    { status: "InProgress", event: "AfterAllowTestTraffic", green: 0, polls },
    ...(options.readyWait ? [{ status: "Ready" as const, event: "BeforeAllowTraffic" as const, green: 0 }] : []),
    { status: "InProgress", event: "AllowTraffic", green: 10, polls },
    { status: "InProgress", event: "AllowTraffic", green: 100, polls },
    { status: "InProgress", event: "AfterAllowTraffic", green: 100, polls },
    { status: "Succeeded", green: 100 },
  ];
}

export const ROLLBACK_SCRIPT: ScriptStep[] = [
  { status: "InProgress", event: "AllowTraffic", green: 0 },
  { status: "Succeeded", green: 0 },
];

/** The awsJson1.1 content type: the services answer anything else with a SerializationException. */
const AWS_JSON = "application/x-amz-json-1.1";

const TARGETS: Record<string, string> = {
  AmazonEC2ContainerServiceV20141113: "ecs",
  CodeDeploy_20141006: "codedeploy",
  AmazonEC2ContainerRegistry_V20150921: "ecr",
};

export class AwsError {
  constructor(
    readonly type: string,
    readonly message: string,
    readonly status = 400,
  ) {}
}

type Operation = (body: any) => unknown;

export class AwsFake extends HttpFake {
  readonly account = "123456789012";
  readonly region = "us-east-1";
  readonly services = new Map<string, any>();
  readonly taskDefinitions = new Map<string, any[]>();
  readonly images = new Map<string, Array<{ tags: string[]; digest: string; findings?: Record<string, number>; scan?: string }>>();
  readonly groups = new Map<string, any>();
  readonly deployments = new Map<string, Deployment>();
  /** Scripts for the next CreateDeployment calls, first in first used; the canary script when empty. */
  readonly nextScripts: ScriptStep[][] = [];
  readonly nativeDeployments = new Map<
    string,
    {
      arn: string;
      service: string;
      script: NativeStep[];
      step: number;
      polls: number;
      stepStartedAt: number;
      taskDefinition: string;
      stopped?: boolean;
    }
  >();
  readonly nextNativeScripts: NativeStep[][] = [];
  private readonly ops = new Map<string, Operation>();
  private counter = 0;

  /** The clock that timed scripts advance by; Date.now unless a test or bench scripts time. */
  constructor(readonly clock: () => number = Date.now) {
    super();
    this.route("POST", "/", (request) => this.dispatchAws(request));
    this.registerEcs();
    this.registerCodeDeploy();
    this.registerEcr();
  }

  static operationOf(request: RecordedRequest): string {
    return String(request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
  }

  /** Recorded calls, optionally of one operation, with their bodies and arrival times. */
  calls(operation?: string): Array<{ op: string; body: any; at: number }> {
    return this.requests
      .map((request) => ({ op: AwsFake.operationOf(request), body: request.json, at: request.at }))
      .filter((call) => !operation || call.op === operation);
  }

  /** Answers the next `times` calls of an operation with an AWS error (ThrottlingException, a 5xx…). */
  fail(operation: string, error: { type: string; message?: string; status?: number; times?: number; delayMs?: number }): this {
    return this.inject({
      match: (request) => AwsFake.operationOf(request) === operation,
      status: error.status ?? 400,
      body: { __type: error.type, message: error.message ?? error.type },
      times: error.times ?? 1,
      delayMs: error.delayMs,
    });
  }

  throttle(operation: string, times: number): this {
    return this.fail(operation, { type: "ThrottlingException", message: "Rate exceeded", times });
  }

  // ── seeding ──────────────────────────────────────────────────────────────

  addTaskDefinition(definition: any): any {
    const revisions = this.taskDefinitions.get(definition.family) ?? [];
    const revision = revisions.length + 1;
    const stored = {
      ...structuredClone(definition),
      taskDefinitionArn: `arn:aws:ecs:${this.region}:${this.account}:task-definition/${definition.family}:${revision}`,
      revision,
      status: "ACTIVE",
      compatibilities: ["EC2", "FARGATE"],
      requiresAttributes: [{ name: "com.amazonaws.ecs.capability.docker-remote-api.1.18" }],
      registeredAt: this.clock() / 1000,
      registeredBy: `arn:aws:iam::${this.account}:role/deployer`,
    };
    revisions.push(stored);
    this.taskDefinitions.set(definition.family, revisions);
    return stored;
  }

  addService(cluster: string, service: any): any {
    const stored = {
      serviceName: service.serviceName,
      serviceArn: `arn:aws:ecs:${this.region}:${this.account}:service/${cluster}/${service.serviceName}`,
      clusterArn: `arn:aws:ecs:${this.region}:${this.account}:cluster/${cluster}`,
      status: "ACTIVE",
      deploymentController: { type: "CODE_DEPLOY" },
      ...service,
    };
    this.services.set(`${cluster}/${service.serviceName}`, stored);
    return stored;
  }

  addImage(repository: string, image: { tags: string[]; digest: string; findings?: Record<string, number>; scan?: string }): void {
    this.images.set(repository, [...(this.images.get(repository) ?? []), image]);
  }

  addDeploymentGroup(application: string, group: string, info: any = {}): void {
    this.groups.set(`${application}/${group}`, {
      applicationName: application,
      deploymentGroupName: group,
      computePlatform: "ECS",
      ...info,
    });
  }

  /** A deployment already in flight in a group, as another run would leave it. */
  activeDeployment(
    application: string,
    group: string,
    script: ScriptStep[] = [{ status: "InProgress", event: "Install", green: 0 }],
  ): Deployment {
    return this.startDeployment(application, group, script, {});
  }

  deployment(id: string): Deployment {
    const deployment = this.deployments.get(id);
    if (!deployment) throw new Error(`no deployment ${id}`);
    return deployment;
  }

  // ── dispatch ─────────────────────────────────────────────────────────────

  private async dispatchAws(request: RecordedRequest): Promise<Reply> {
    const contentType = String(request.headers["content-type"] ?? "");
    if (contentType !== AWS_JSON) {
      return {
        status: 400,
        body: { __type: "SerializationException", message: `Expected Content-Type ${AWS_JSON}, got '${contentType}'.` },
      };
    }
    const [prefix, op] = String(request.headers["x-amz-target"] ?? "").split(".");
    const handler = this.ops.get(`${TARGETS[prefix] ?? "?"}.${op}`);
    if (!handler) return { status: 400, body: { __type: "UnknownOperationException", message: `fake does not serve ${prefix}.${op}` } };
    try {
      return { body: handler(request.json ?? {}) ?? {}, headers: { "content-type": AWS_JSON } };
    } catch (error) {
      if (error instanceof AwsError) return { status: error.status, body: { __type: error.type, message: error.message } };
      throw error;
    }
  }

  private op(service: string, name: string, handler: Operation): void {
    this.ops.set(`${service}.${name}`, handler);
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(8, "0")}`;
  }

  // ── ECS ──────────────────────────────────────────────────────────────────

  private findTaskDefinition(reference: string): any {
    const name = reference.split("task-definition/").pop() ?? reference;
    const [family, revision] = name.split(":");
    const revisions = this.taskDefinitions.get(family) ?? [];
    const found = revision ? revisions.find((item) => item.revision === Number(revision)) : revisions.at(-1);
    if (!found) throw new AwsError("ClientException", "Unable to describe task definition.");
    return found;
  }

  private serviceOf(body: any): any {
    const key = `${(body.cluster ?? "default").split("/").pop()}/${String(body.service).split("/").pop()}`;
    const service = this.services.get(key);
    if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.");
    return service;
  }

  private registerEcs(): void {
    this.op("ecs", "DescribeServices", (body) => {
      const cluster = (body.cluster ?? "default").split("/").pop();
      const services = [];
      const failures = [];
      for (const name of body.services ?? []) {
        const service = this.services.get(`${cluster}/${String(name).split("/").pop()}`);
        if (service) services.push(service);
        else failures.push({ arn: `arn:aws:ecs:${this.region}:${this.account}:service/${cluster}/${name}`, reason: "MISSING" });
      }
      return { services, failures };
    });
    this.op("ecs", "DescribeTaskDefinition", (body) => ({ taskDefinition: this.findTaskDefinition(body.taskDefinition), tags: [] }));
    this.op("ecs", "RegisterTaskDefinition", (body) => {
      const present = ECS_READ_ONLY_FIELDS.filter((key) => key in body);
      if (present.length) throw new AwsError("ClientException", `Unknown parameters in input: ${present.join(", ")}`);
      if (!body.family || !Array.isArray(body.containerDefinitions))
        throw new AwsError("ClientException", "family and containerDefinitions are required.");
      return { taskDefinition: this.addTaskDefinition(body), tags: [] };
    });
    this.op("ecs", "ListTaskDefinitions", (body) => {
      const family = body.familyPrefix;
      const all = [...this.taskDefinitions.entries()].filter(([name]) => !family || name === family).flatMap(([, revisions]) => revisions);
      const arns = all.filter((item) => !body.status || item.status === body.status).map((item) => item.taskDefinitionArn);
      return { taskDefinitionArns: body.sort === "DESC" ? arns.reverse() : arns };
    });
    this.op("ecs", "UpdateService", (body) => {
      const service = this.serviceOf(body);
      if (service.deploymentController?.type === "CODE_DEPLOY" && body.taskDefinition) {
        throw new AwsError(
          "InvalidParameterException",
          "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
        );
      }
      if (body.taskDefinition) service.taskDefinition = this.findTaskDefinition(body.taskDefinition).taskDefinitionArn;
      const arn = `arn:aws:ecs:${this.region}:${this.account}:service-deployment/${service.serviceArn.split("/").slice(1).join("/")}/${this.nextId("sd")}`;
      const script = this.nextNativeScripts.shift() ?? [
        { status: "IN_PROGRESS", stage: "SCALE_UP" },
        { status: "IN_PROGRESS", stage: "PRODUCTION_TRAFFIC_SHIFT" },
        { status: "IN_PROGRESS", stage: "BAKE_TIME" },
        { status: "SUCCESSFUL" },
      ];
      this.nativeDeployments.set(arn, {
        arn,
        service: service.serviceArn,
        script,
        step: 0,
        polls: 0,
        stepStartedAt: this.clock(),
        taskDefinition: service.taskDefinition,
      });
      return { service };
    });
    this.op("ecs", "ListServiceDeployments", (body) => {
      const service = this.serviceOf(body);
      const found = [...this.nativeDeployments.values()].filter((item) => item.service === service.serviceArn);
      const summaries = found.map((item) => ({
        serviceDeploymentArn: item.arn,
        serviceArn: item.service,
        status: this.nativeStep(item, false).status,
      }));
      return { serviceDeployments: summaries.filter((item) => !body.status?.length || body.status.includes(item.status)).reverse() };
    });
    this.op("ecs", "DescribeServiceDeployments", (body) => ({
      serviceDeployments: (body.serviceDeploymentArns ?? []).flatMap((arn: string) => {
        const item = this.nativeDeployments.get(arn);
        if (!item) return [];
        const step = this.nativeStep(item, true);
        return [
          {
            serviceDeploymentArn: arn,
            serviceArn: item.service,
            status: step.status,
            lifecycleStage: step.stage,
            statusReason: step.reason,
            targetServiceRevision: { arn: `${arn}/revision` },
          },
        ];
      }),
      failures: [],
    }));
    this.op("ecs", "StopServiceDeployment", (body) => {
      const item = this.nativeDeployments.get(body.serviceDeploymentArn);
      if (!item) throw new AwsError("ServiceDeploymentNotFoundException", "Service deployment not found.");
      const rollback = body.stopType === "ROLLBACK";
      item.script = [
        ...item.script.slice(0, item.step),
        { status: rollback ? "ROLLBACK_IN_PROGRESS" : "STOP_REQUESTED", stage: "RECONCILE_SERVICE", reason: "Stopped by user" },
        { status: rollback ? "ROLLBACK_SUCCESSFUL" : "STOPPED", reason: "Stopped by user" },
      ];
      item.polls = 0;
      item.stepStartedAt = this.clock();
      return { serviceDeploymentArn: item.arn };
    });
  }

  private nativeStep(item: { script: NativeStep[]; step: number; polls: number; stepStartedAt: number }, advance: boolean): NativeStep {
    const step = item.script[item.step];
    if (advance && item.step < item.script.length - 1) {
      item.polls += 1;
      const elapsed = this.clock() - item.stepStartedAt;
      const done = step.ms !== undefined ? elapsed >= step.ms : item.polls >= (step.polls ?? 1);
      if (done) {
        item.step += 1;
        item.polls = 0;
        item.stepStartedAt = this.clock();
      }
    }
    return step;
  }

  // ── CodeDeploy ───────────────────────────────────────────────────────────

  private group(body: any): any {
    if (![...this.groups.keys()].some((key) => key.startsWith(`${body.applicationName}/`))) {
      throw new AwsError("ApplicationDoesNotExistException", `No application found for name: ${body.applicationName}`);
    }
    const group = this.groups.get(`${body.applicationName}/${body.deploymentGroupName}`);
    if (!group)
      throw new AwsError("DeploymentGroupDoesNotExistException", `No Deployment Group found for name: ${body.deploymentGroupName}`);
    return group;
  }

  private current(deployment: Deployment): ScriptStep {
    return deployment.script[deployment.step];
  }

  private startDeployment(application: string, group: string, script: ScriptStep[], input: any, rollbackOf?: string): Deployment {
    const id = this.nextId("d-");
    const info = this.groups.get(`${application}/${group}`);
    const deployment: Deployment = {
      id,
      application,
      group,
      script,
      step: 0,
      pollsInStep: 0,
      stepStartedAt: this.clock(),
      createdAt: this.clock(),
      input,
      rollbackOf,
      autoRollback: Boolean(info?.autoRollbackConfiguration?.enabled),
    };
    this.deployments.set(id, deployment);
    return deployment;
  }

  /** Moves a deployment along its script: one step per poll, or by elapsed time on the clock. */
  private advance(deployment: Deployment): void {
    for (;;) {
      const step = this.current(deployment);
      if (deployment.step >= deployment.script.length - 1 || step.status === "Ready" || isTerminal(step.status)) break;
      if (step.ms !== undefined) {
        if (this.clock() - deployment.stepStartedAt < step.ms) break;
        deployment.stepStartedAt += step.ms;
      } else {
        deployment.pollsInStep += 1;
        if (deployment.pollsInStep < (step.polls ?? 1)) break;
        deployment.stepStartedAt = this.clock();
      }
      deployment.step += 1;
      deployment.pollsInStep = 0;
      if (step.ms === undefined) break;
    }
    const step = this.current(deployment);
    if (step.status === "Failed" && deployment.autoRollback && !deployment.rollbackId) this.rollBack(deployment, "failure");
  }

  private rollBack(deployment: Deployment, reason: "user" | "failure"): void {
    deployment.stoppedBy = reason;
    const rollback = this.startDeployment(
      deployment.application,
      deployment.group,
      structuredClone(deployment.rollbackScript ?? ROLLBACK_SCRIPT),
      deployment.input,
      deployment.id,
    );
    deployment.rollbackId = rollback.id;
  }

  private describe(deployment: Deployment): any {
    const step = this.current(deployment);
    const info: any = {
      deploymentId: deployment.id,
      applicationName: deployment.application,
      deploymentGroupName: deployment.group,
      status: step.status,
      computePlatform: "ECS",
      createTime: deployment.createdAt / 1000,
      creator: deployment.rollbackOf ? "codeDeployRollback" : "user",
      deploymentConfigName: deployment.input?.deploymentConfigName ?? "CodeDeployDefault.ECSAllAtOnce",
    };
    if (step.error) info.errorInformation = step.error;
    if (deployment.rollbackId) {
      info.rollbackInfo = {
        rollbackDeploymentId: deployment.rollbackId,
        rollbackMessage: `Deployment ${deployment.id} was rolled back by ${deployment.rollbackId}`,
      };
    }
    if (deployment.rollbackOf) info.rollbackInfo = { rollbackTriggeringDeploymentId: deployment.rollbackOf };
    return info;
  }

  private registerCodeDeploy(): void {
    this.op("codedeploy", "GetDeploymentGroup", (body) => ({ deploymentGroupInfo: this.group(body) }));
    this.op("codedeploy", "CreateDeployment", (body) => {
      this.group(body);
      checkAppSpecRevision(body.revision);
      const active = [...this.deployments.values()].find(
        (item) =>
          item.application === body.applicationName && item.group === body.deploymentGroupName && !isTerminal(this.current(item).status),
      );
      if (active) {
        throw new AwsError(
          "DeploymentLimitExceededException",
          `The Deployment Group '${body.deploymentGroupName}' already has an active Deployment '${active.id}'`,
        );
      }
      const deployment = this.startDeployment(
        body.applicationName,
        body.deploymentGroupName,
        structuredClone(this.nextScripts.shift() ?? canaryScript()),
        body,
      );
      return { deploymentId: deployment.id };
    });
    this.op("codedeploy", "GetDeployment", (body) => {
      const deployment = this.deployments.get(body.deploymentId);
      if (!deployment) throw new AwsError("DeploymentDoesNotExistException", `The deployment ${body.deploymentId} could not be found.`);
      // A step lasting N polls is seen by N polls: the first poll sees step 0, later ones move on first.
      if (deployment.polled || this.current(deployment).ms !== undefined) this.advance(deployment);
      deployment.polled = true;
      return { deploymentInfo: this.describe(deployment) };
    });
    this.op("codedeploy", "ListDeployments", (body) => ({
      deployments: [...this.deployments.values()]
        .filter((item) => item.application === body.applicationName && item.group === body.deploymentGroupName)
        .filter((item) => !body.includeOnlyStatuses?.length || body.includeOnlyStatuses.includes(this.current(item).status))
        .map((item) => item.id),
    }));
    this.op("codedeploy", "ListDeploymentTargets", (body) => {
      const deployment = this.deployments.get(body.deploymentId);
      const group = deployment && this.groups.get(`${deployment.application}/${deployment.group}`);
      const service = group?.ecsServices?.[0];
      return { targetIds: service ? [`${service.clusterName}:${service.serviceName}`] : [] };
    });
    this.op("codedeploy", "GetDeploymentTarget", (body) => {
      const deployment = this.deployments.get(body.deploymentId);
      if (!deployment) throw new AwsError("DeploymentDoesNotExistException", `The deployment ${body.deploymentId} could not be found.`);
      const step = this.current(deployment);
      const green = step.green ?? 0;
      const at = ECS_EVENTS.indexOf(step.event as (typeof ECS_EVENTS)[number]);
      const lifecycleEvents = ECS_EVENTS.map((name, index) => ({
        lifecycleEventName: name,
        status:
          step.status === "Succeeded" || index < at
            ? "Succeeded"
            : index === at
              ? step.status === "Failed"
                ? "Failed"
                : "InProgress"
              : "Pending",
      }));
      return {
        deploymentTarget: {
          deploymentTargetType: "ECSTarget",
          ecsTarget: {
            deploymentId: deployment.id,
            targetId: body.targetId,
            status: step.status,
            lifecycleEvents,
            taskSetsInfo: [
              {
                identifer: "ecs-svc/blue",
                taskSetLabel: "Blue",
                trafficWeight: 100 - green,
                runningCount: 2,
                desiredCount: 2,
                status: "PRIMARY",
              },
              {
                identifer: "ecs-svc/green",
                taskSetLabel: "Green",
                trafficWeight: green,
                runningCount: 2,
                desiredCount: 2,
                status: "ACTIVE",
              },
            ],
          },
        },
      };
    });
    this.op("codedeploy", "ContinueDeployment", (body) => {
      const deployment = this.deployments.get(body.deploymentId);
      if (!deployment || this.current(deployment).status !== "Ready") {
        throw new AwsError("InvalidDeploymentStatusException", `Deployment ${body.deploymentId} is not waiting at Ready.`);
      }
      deployment.step += 1;
      deployment.pollsInStep = 0;
      deployment.stepStartedAt = this.clock();
      deployment.polled = false;
      return {};
    });
    this.op("codedeploy", "StopDeployment", (body) => {
      const deployment = this.deployments.get(body.deploymentId);
      if (!deployment) throw new AwsError("DeploymentDoesNotExistException", `The deployment ${body.deploymentId} could not be found.`);
      if (isTerminal(this.current(deployment).status))
        throw new AwsError("DeploymentAlreadyCompletedException", `Deployment ${body.deploymentId} has already completed.`);
      const step = this.current(deployment);
      deployment.script = [
        ...deployment.script.slice(0, deployment.step),
        {
          status: "Stopped",
          green: step.green,
          event: step.event,
          error: { code: "MANUAL_STOP", message: "The deployment was stopped by the user." },
        },
      ];
      if (body.autoRollbackEnabled) this.rollBack(deployment, "user");
      return { status: "Pending", statusMessage: "Stop request is being processed" };
    });
  }

  // ── ECR ──────────────────────────────────────────────────────────────────

  private findImage(body: any, id: any): { tags: string[]; digest: string; findings?: Record<string, number>; scan?: string } {
    const images = this.images.get(body.repositoryName);
    if (!images) {
      throw new AwsError(
        "RepositoryNotFoundException",
        `The repository with name '${body.repositoryName}' does not exist in the registry with id '${this.account}'`,
      );
    }
    const image = images.find((item) => (id.imageDigest ? item.digest === id.imageDigest : item.tags.includes(id.imageTag)));
    if (!image) {
      throw new AwsError(
        "ImageNotFoundException",
        `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist within the repository with name '${body.repositoryName}' in the registry with id '${this.account}'`,
      );
    }
    return image;
  }

  private registerEcr(): void {
    this.op("ecr", "DescribeImages", (body) => ({
      imageDetails: (body.imageIds ?? []).map((id: any) => {
        const image = this.findImage(body, id);
        return {
          registryId: this.account,
          repositoryName: body.repositoryName,
          imageDigest: image.digest,
          imageTags: image.tags,
          imagePushedAt: 1_790_000_000,
        };
      }),
    }));
    this.op("ecr", "DescribeImageScanFindings", (body) => {
      const image = this.findImage(body, body.imageId ?? {});
      if (!image.findings)
        throw new AwsError("ScanNotFoundException", `Image scan does not exist for the image with '{imageDigest:'${image.digest}'}'`);
      const findings = Object.entries(image.findings).flatMap(([severity, count]) =>
        Array.from({ length: count }, (_, index) => ({ name: `CVE-2026-${severity.length}${index}00`, severity })),
      );
      return {
        registryId: this.account,
        repositoryName: body.repositoryName,
        imageId: { imageDigest: image.digest },
        imageScanStatus: { status: image.scan ?? "COMPLETE" },
        imageScanFindings: { findingSeverityCounts: image.findings, findings: findings.slice(0, body.maxResults ?? 100) },
      };
    });
  }
}

/**
 * What CodeDeploy checks of an ECS revision before it starts anything: AppSpecContent whose sha256 is the hex
 * digest of the content, and an AppSpec (JSON or YAML) whose first resource is the ECS TargetService.
 */
function checkAppSpecRevision(revision: any): void {
  const invalid = (message: string) => new AwsError("InvalidRevisionException", message);
  if (revision?.revisionType !== "AppSpecContent") {
    throw invalid(`Revision type ${revision?.revisionType ?? "(none)"} is not supported for the ECS compute platform; use AppSpecContent.`);
  }
  const content = revision.appSpecContent?.content;
  if (typeof content !== "string" || !content) throw invalid("The AppSpec content is missing.");
  const sha256 = createHash("sha256").update(content).digest("hex");
  if (revision.appSpecContent.sha256 !== sha256) {
    throw invalid(`The sha256 of the AppSpec content is ${sha256}, not ${revision.appSpecContent.sha256 ?? "(none)"}.`);
  }
  const spec = parseAppSpec(content);
  if (spec === undefined) throw invalid("The AppSpec content is neither JSON nor YAML.");
  if (spec?.Resources?.[0]?.TargetService?.Type !== "AWS::ECS::Service") {
    throw invalid("The AppSpec must name the ECS service as Resources[0].TargetService with Type AWS::ECS::Service.");
  }
}

function parseAppSpec(content: string): any {
  try {
    return JSON.parse(content);
  } catch {
    try {
      return parseYaml(content);
    } catch {
      return undefined;
    }
  }
}

export function isTerminal(status: string): boolean {
  return status === "Succeeded" || status === "Failed" || status === "Stopped";
}

/** The dummy credentials awsEnv plants: tests check they are masked and never shown. */
export const PLANTED_AWS_SECRETS = {
  secretAccessKey: "fake-secret-access-key-for-tests-only",
  sessionToken: "FwoGZXIvYXdzEPlantedSessionTokenForTestsOnly0000",
} as const;

/** Environment for a bundle or SDK client that should talk to the fake. */
export function awsEnv(fake: AwsFake): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_ECS: fake.url,
    AWS_ENDPOINT_URL_CODEDEPLOY: fake.url,
    AWS_ENDPOINT_URL_ECR: fake.url,
    AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKE0000",
    AWS_SECRET_ACCESS_KEY: PLANTED_AWS_SECRETS.secretAccessKey,
    AWS_SESSION_TOKEN: PLANTED_AWS_SECRETS.sessionToken,
    AWS_REGION: fake.region,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}
