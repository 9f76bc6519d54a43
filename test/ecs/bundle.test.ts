import { afterEach, describe, expect, it } from "vitest";
import { type AwsFake, awsEnv, canaryScript, ECS_READ_ONLY_FIELDS, PLANTED_AWS_SECRETS } from "../fakes/aws.js";
import { runStep, runWithPost, type StepResult, startStep } from "../harness/run-bundle.js";
import { expectSecretsHidden } from "../harness/secrets.js";
import { APP, DIGEST, EXAMPLE, GROUP, REGISTRY, startTestListener, startWorld } from "./world.js";

const ACTION = "ecs-blue-green";
const IMAGE = `${REGISTRY}/blockbuilders-api:1.5.0`;
let fake: AwsFake;
let closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await fake?.stop();
  for (const close of closers) await close();
  closers = [];
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { cluster: "prod", service: "api", "container-name": "api", image: IMAGE, "poll-interval": "50ms", ...extra };
}

/** The planted AWS secret key and session token were masked first and appear nowhere a person or a later step could read. */
function expectNoAwsSecrets(result: StepResult): void {
  expectSecretsHidden(result, Object.values(PLANTED_AWS_SECRETS));
}

function appSpecOf(fake: AwsFake): any {
  return JSON.parse(fake.calls("CreateDeployment")[0].body.revision.appSpecContent.content);
}

describe("ecs-blue-green bundle", () => {
  it("deploys a canary rollout, logging traffic weights, and reports the digest, revision and timeline", async () => {
    fake = await startWorld();
    const result = await runStep(ACTION, {
      inputs: inputs({
        environment: "LOG_LEVEL=debug\nFEATURE_BACKTESTS=on",
        "deployment-config": "CodeDeployDefault.ECSCanary10Percent5Minutes",
      }),
      env: awsEnv(fake),
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs).toMatchObject({
      status: "Succeeded",
      "rolled-back": "false",
      "image-digest": DIGEST,
      "task-definition-arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/blockbuilders-api:3",
    });
    expect(result.outputs["deployment-id"]).toMatch(/^d-/);
    expect(result.stdout).toContain("traffic: blue 90% / green 10%");
    expect(result.stdout).toContain("traffic: blue 0% / green 100%");
    expect(result.stdout).toContain("lifecycle AllowTraffic: InProgress");

    const registered = fake.calls("RegisterTaskDefinition")[0].body;
    const container = registered.containerDefinitions[0];
    expect(container.image).toBe(`${REGISTRY}/blockbuilders-api@${DIGEST}`);
    expect(container.environment).toEqual([
      { name: "APP_ENV", value: "production" },
      { name: "LOG_LEVEL", value: "debug" },
      { name: "FEATURE_BACKTESTS", value: "on" },
    ]);
    const created = fake.calls("CreateDeployment")[0].body;
    expect(created).toMatchObject({
      applicationName: APP,
      deploymentGroupName: GROUP,
      deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
    });
    expect(appSpecOf(fake).Resources[0].TargetService.Properties).toEqual({
      TaskDefinition: result.outputs["task-definition-arn"],
      LoadBalancerInfo: { ContainerName: "api", ContainerPort: 8000 },
      PlatformVersion: "LATEST",
      NetworkConfiguration: {
        AwsvpcConfiguration: { Subnets: ["subnet-0a1", "subnet-0b2"], SecurityGroups: ["sg-0api"], AssignPublicIp: "DISABLED" },
      },
    });

    expect(result.summary).toContain(DIGEST);
    expect(result.summary).toContain("blockbuilders-api:3");
    expect(result.summary).toContain(
      `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${result.outputs["deployment-id"]}?region=us-east-1`,
    );
    expect(result.summary).toMatch(/\| \+[\d.]+m?s\d*s? \| InProgress \| blue 90% \/ green 10% \|/);
    expect(result.summary).toContain("✅ Succeeded");
    expectNoAwsSecrets(result);
  });

  it("runs the test checks at Ready and continues the deployment when they pass", async () => {
    fake = await startWorld({ readyWait: true });
    fake.nextScripts.push(canaryScript({ readyWait: true }));
    const listener = await startTestListener({ "/health": 200, "/api/strategies": 401 });
    closers.push(listener.close);
    const result = await runStep(ACTION, {
      inputs: inputs({ "test-url": listener.url, "test-checks": "GET /health 200\nGET /api/strategies 401" }),
      env: awsEnv(fake),
    });
    expect(result.code, result.stdout).toBe(0);
    const [continued] = fake.calls("ContinueDeployment");
    expect(continued.body).toEqual({ deploymentId: result.outputs["deployment-id"], deploymentWaitType: "READY_WAIT" });
    expect(listener.hits.map((hit) => hit.path)).toEqual(["/health", "/api/strategies"]);
    expect(Math.max(...listener.hits.map((hit) => hit.at))).toBeLessThanOrEqual(continued.at);
    expect(fake.calls("StopDeployment")).toHaveLength(0);
    expect(result.outputs.status).toBe("Succeeded");
    expect(result.summary).toContain("Test checks at Ready");
  });

  it("stops the deployment with rollback when the checks at Ready fail", async () => {
    fake = await startWorld({ readyWait: true });
    fake.nextScripts.push(canaryScript({ readyWait: true }));
    const listener = await startTestListener({ "/health": 503 });
    closers.push(listener.close);
    const result = await runStep(ACTION, {
      inputs: inputs({ "test-url": listener.url, "test-checks": "GET /health 200" }),
      env: awsEnv(fake),
    });
    expect(result.code).toBe(1);
    expect(fake.calls("ContinueDeployment")).toHaveLength(0);
    expect(fake.calls("StopDeployment")[0].body).toEqual({ deploymentId: result.outputs["deployment-id"], autoRollbackEnabled: true });
    const rollbackId = fake.deployment(result.outputs["deployment-id"]).rollbackId;
    expect(result.annotations.find((a) => a.level === "error" && /Test checks failed/.test(a.message))?.message).toBe(
      `Test checks failed at Ready (1 of 1 failed against ${listener.url}); stopped ${result.outputs["deployment-id"]}; rolled back by ${rollbackId} (Succeeded)`,
    );
    expect(result.outputs["rolled-back"]).toBe("true");
    expectNoAwsSecrets(result);
  });

  it("reports a failed deployment from errorInformation and follows the rollback to its end", async () => {
    fake = await startWorld();
    fake.nextScripts.push([
      { status: "InProgress", event: "Install", green: 0 },
      { status: "InProgress", event: "AfterAllowTestTraffic", green: 0 },
      {
        status: "Failed",
        event: "AfterAllowTestTraffic",
        green: 0,
        error: { code: "HOOK_EXECUTION_FAILURE", message: "The AfterAllowTestTraffic hook blockbuilders-api-smoke-test failed." },
      },
    ]);
    const result = await runStep(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(result.code).toBe(1);
    const id = result.outputs["deployment-id"];
    const rollbackId = fake.deployment(id).rollbackId!;
    const failure = result.annotations.find((a) => a.level === "error")!.message;
    expect(failure).toBe(
      `CodeDeploy deployment ${id} failed: HOOK_EXECUTION_FAILURE: The AfterAllowTestTraffic hook blockbuilders-api-smoke-test failed; rolled back by ${rollbackId} (Succeeded)`,
    );
    expect(failure).not.toMatch(/[{}]/);
    expect(fake.calls("GetDeployment").filter((call) => call.body.deploymentId === rollbackId).length).toBeGreaterThanOrEqual(2);
    expect(result.outputs).toMatchObject({ status: "Failed", "rolled-back": "true" });
    expectNoAwsSecrets(result);
  });

  it("says no rollback was made when the group has automatic rollback off", async () => {
    fake = await startWorld();
    fake.groups.get(`${APP}/${GROUP}`).autoRollbackConfiguration = { enabled: false };
    fake.nextScripts.push([
      { status: "InProgress", event: "Install", green: 0 },
      {
        status: "Failed",
        event: "Install",
        green: 0,
        error: { code: "ECS_UPDATE_ERROR", message: "The ECS service cannot be updated due to an error." },
      },
    ]);
    const result = await runStep(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === "error")!.message).toBe(
      `CodeDeploy deployment ${result.outputs["deployment-id"]} failed: ECS_UPDATE_ERROR: The ECS service cannot be updated due to an error; no rollback was made (enable automatic rollback on the deployment group)`,
    );
    expect(result.outputs).toMatchObject({ status: "Failed", "rolled-back": "false" });
    expectNoAwsSecrets(result);
  });

  it("rolls back when the job is cancelled during traffic shift, sending StopDeployment within 2 s", async () => {
    fake = await startWorld();
    fake.nextScripts.push([
      { status: "InProgress", event: "Install", green: 0 },
      { status: "InProgress", event: "AllowTraffic", green: 10, polls: 100_000 },
    ]);
    const step = startStep(ACTION, "main", { inputs: inputs(), env: awsEnv(fake) });
    await step.waitForOutput("traffic: blue 90% / green 10%");
    const sentAt = Date.now();
    step.child.kill("SIGINT");
    const result = await step.result;
    const [stop] = fake.calls("StopDeployment");
    expect(stop.body).toEqual({ deploymentId: result.outputs["deployment-id"], autoRollbackEnabled: true });
    expect(stop.at - sentAt).toBeLessThan(2_000);
    expect(result.code).toBe(1);
    const failure = result.annotations.find((a) => a.level === "error")!.message;
    expect(failure).toMatch(
      /^The job was cancelled \(SIGINT\)\. Stopped CodeDeploy deployment d-\w+ with automatic rollback\. Rollback d-\w+ is \w+\.$/,
    );
    expect(result.outputs["rolled-back"]).toBe("true");
    expect(result.state.finished).toBe("true");
    expectNoAwsSecrets(result);
  });

  it("stops the deployment with rollback when the timeout passes", async () => {
    fake = await startWorld();
    fake.nextScripts.push([{ status: "InProgress", event: "AllowTraffic", green: 10, polls: 100_000 }]);
    const result = await runStep(ACTION, { inputs: inputs({ timeout: "3s" }), env: awsEnv(fake) });
    expect(result.code).toBe(1);
    expect(fake.calls("StopDeployment")[0].body.autoRollbackEnabled).toBe(true);
    expect(result.annotations.find((a) => a.level === "error")!.message).toMatch(
      /^The deployment timed out after 3\.0s\. Stopped CodeDeploy deployment d-\w+ with automatic rollback/,
    );
    expectNoAwsSecrets(result);
  });

  it("names the deployment already in flight when the group is busy", async () => {
    fake = await startWorld();
    const active = fake.activeDeployment(APP, GROUP);
    const result = await runStep(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === "error")!.message).toBe(
      `Deployment group ${GROUP} already has deployment ${active.id} in progress; wait for it to finish or stop it, then re-run.`,
    );
    expectNoAwsSecrets(result);
  });

  it("refuses a service that does not use CodeDeploy or ECS blue/green, saying what it uses", async () => {
    fake = await startWorld({ controller: "ECS" });
    const result = await runStep(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === "error")!.message).toContain(
      "ECS service 'api' uses the ECS deployment controller with the ROLLING strategy",
    );
    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
  });

  it("fails before registering anything when the image tag is not in ECR", async () => {
    fake = await startWorld();
    const result = await runStep(ACTION, { inputs: inputs({ image: `${REGISTRY}/blockbuilders-api:9.9.9` }), env: awsEnv(fake) });
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === "error")!.message).toBe(
      "Image tag '9.9.9' does not exist in blockbuilders-api in ECR registry 123456789012 (us-east-1); push it before deploying.",
    );
    expect(result.summary).toContain("No deployment was started for prod/api");
    expectNoAwsSecrets(result);
    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
  });

  it("gates on critical scan findings", async () => {
    fake = await startWorld();
    const vulnerable = `${REGISTRY}/blockbuilders-api:1.5.1-vulnerable`;
    const refused = await runStep(ACTION, { inputs: inputs({ image: vulnerable }), env: awsEnv(fake) });
    expect(refused.code).toBe(1);
    expect(refused.annotations.find((a) => a.level === "error")!.message).toMatch(
      /^Image .+ has 2 critical scan finding\(s\) \(CVE-[\d-]+, CVE-[\d-]+\), over max-critical-findings=0\.$/,
    );
    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
    const allowed = await runStep(ACTION, { inputs: inputs({ image: vulnerable, "max-critical-findings": "2" }), env: awsEnv(fake) });
    expect(allowed.code, allowed.stdout).toBe(0);
  });

  it("retries throttling three times, then succeeds", async () => {
    fake = await startWorld();
    fake.throttle("DescribeServices", 3);
    fake.fail("GetDeployment", { type: "InternalFailure", status: 500, times: 2 });
    const result = await runStep(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(result.code, result.stdout).toBe(0);
    expect(fake.calls("DescribeServices")).toHaveLength(4);
    expect(result.outputs.status).toBe("Succeeded");
  });

  it("strips read-only fields from a task definition file but keeps empty keys the user wrote", async () => {
    fake = await startWorld();
    const result = await runStep(ACTION, {
      inputs: inputs({
        "task-definition": "infrastructure/ecs/task-definition.json",
        appspec: "infrastructure/ecs/appspec.yaml",
        hooks: "BeforeAllowTraffic=blockbuilders-api-warmup",
      }),
      env: awsEnv(fake),
      workspace: EXAMPLE,
    });
    expect(result.code, result.stdout).toBe(0);
    const registered = fake.calls("RegisterTaskDefinition")[0].body;
    for (const field of ECS_READ_ONLY_FIELDS) expect(registered).not.toHaveProperty(field);
    expect(registered).toMatchObject({ family: "blockbuilders-api", volumes: [], placementConstraints: [], cpu: "512" });
    const spec = appSpecOf(fake);
    expect(spec.Resources[0].TargetService.Properties.TaskDefinition).toBe(result.outputs["task-definition-arn"]);
    expect(spec.Hooks).toEqual([
      { AfterAllowTestTraffic: "blockbuilders-api-smoke-test" },
      { BeforeAllowTraffic: "blockbuilders-api-warmup" },
    ]);
  });

  it("drives an ECS-native BLUE_GREEN service through UpdateService and its service deployment", async () => {
    fake = await startWorld({ controller: "ECS", strategy: "BLUE_GREEN" });
    const result = await runStep(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(result.code, result.stdout).toBe(0);
    expect(fake.calls("UpdateService")[0].body).toEqual({
      cluster: "prod",
      service: "api",
      taskDefinition: result.outputs["task-definition-arn"],
    });
    expect(fake.calls("CreateDeployment")).toHaveLength(0);
    expect(result.outputs.status).toBe("SUCCESSFUL");
    expect(result.stdout).toContain("stage PRODUCTION_TRAFFIC_SHIFT");
  });

  it("stops an ECS-native deployment with a ROLLBACK when the job is cancelled", async () => {
    fake = await startWorld({ controller: "ECS", strategy: "CANARY" });
    fake.nextNativeScripts.push([
      { status: "IN_PROGRESS", stage: "SCALE_UP" },
      { status: "IN_PROGRESS", stage: "PRODUCTION_TRAFFIC_SHIFT", polls: 100_000 },
    ]);
    const step = startStep(ACTION, "main", { inputs: inputs(), env: awsEnv(fake) });
    await step.waitForOutput("stage PRODUCTION_TRAFFIC_SHIFT");
    const sentAt = Date.now();
    step.child.kill("SIGTERM");
    const result = await step.result;
    const [stop] = fake.calls("StopServiceDeployment");
    expect(stop.body).toEqual({ serviceDeploymentArn: result.outputs["deployment-id"], stopType: "ROLLBACK" });
    expect(stop.at - sentAt).toBeLessThan(2_000);
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === "error")!.message).toMatch(
      /^The job was cancelled \(SIGTERM\)\. Stopped ECS service deployment sd\d+ with a rollback\.$/,
    );
    expect(result.outputs["rolled-back"]).toBe("true");
    expectNoAwsSecrets(result);
  });

  it("rolls back to the previous task definition revision through CodeDeploy", async () => {
    fake = await startWorld();
    const result = await runStep(ACTION, { inputs: inputs({ command: "rollback", image: "" }), env: awsEnv(fake) });
    expect(result.code, result.stdout).toBe(0);
    expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
    expect(result.outputs["task-definition-arn"]).toBe("arn:aws:ecs:us-east-1:123456789012:task-definition/blockbuilders-api:1");
    expect(appSpecOf(fake).Resources[0].TargetService.Properties.TaskDefinition).toBe(result.outputs["task-definition-arn"]);
    expect(result.summary).toContain("blockbuilders-api:1.3.0");
  });

  it("post step stops a deployment the main step left running, and leaves a finished one alone", async () => {
    fake = await startWorld();
    const running = fake.activeDeployment(APP, GROUP);
    const left = await startStep(ACTION, "post", { inputs: inputs(), env: awsEnv(fake), state: { "deployment-id": running.id } }).result;
    expect(left.code).toBe(0);
    expect(fake.calls("StopDeployment").map((call) => call.body)).toEqual([{ deploymentId: running.id, autoRollbackEnabled: true }]);
    expect(left.annotations.some((a) => a.level === "warning" && a.message.includes(running.id))).toBe(true);
    expectNoAwsSecrets(left);

    await fake.stop();
    fake = await startWorld();
    const { main, post } = await runWithPost(ACTION, { inputs: inputs(), env: awsEnv(fake) });
    expect(main.code, main.stdout).toBe(0);
    expect(main.state.finished).toBe("true");
    expect(post.code).toBe(0);
    expect(fake.calls("StopDeployment")).toHaveLength(0);
  });
});
