import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appSpecRevision, generateAppSpec, loadAppSpec } from "../../src/ecs/appspec.js";
import { lineDiff } from "../../src/ecs/diff.js";
import { parseImage } from "../../src/ecs/image.js";
import { ecsPreflight } from "../../src/ecs/preflight.js";
import { readEcsSettings } from "../../src/ecs/settings.js";
import { loadTaskDefinitionFile, READ_ONLY_FIELDS, renderTaskDefinition } from "../../src/ecs/task-definition.js";
import { ConfigurationError } from "../../src/lib/errors.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { stepContext } from "../support/preflight-context.js";
import { EXAMPLE, exampleTaskDefinition } from "./world.js";

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

function settings(values: Record<string, string>) {
  return readEcsSettings(
    new Inputs(mapInputSource({ cluster: "prod", service: "api", "container-name": "api", image: `${ECR}/api:1.0.0`, ...values })),
  );
}

function temp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ecs-core-"));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe("image references", () => {
  it("splits ECR URIs with a tag or a digest and knows the registry's region", () => {
    expect(parseImage(`${ECR}/team/api:1.4.2`)).toEqual({
      name: `${ECR}/team/api`,
      repository: "team/api",
      tag: "1.4.2",
      digest: undefined,
      ecr: { registryId: "123456789012", region: "eu-west-1" },
    });
    const digest = `sha256:${"0f".repeat(32)}`;
    expect(parseImage(`${ECR}/api@${digest}`)).toMatchObject({ repository: "api", digest, tag: undefined });
    expect(parseImage("localhost:5000/api:dev")).toMatchObject({ repository: "localhost:5000/api", tag: "dev", ecr: undefined });
  });

  it("rejects references with neither tag nor digest, or a malformed digest", () => {
    expect(parseImage(`${ECR}/api`)).toBeUndefined();
    expect(parseImage(`${ECR}/api@sha256:short`)).toBeUndefined();
    expect(() => settings({ image: "localhost:5000/api" })).toThrow(
      /Input 'image' got "localhost:5000\/api"; expected an image URI with a tag or digest/,
    );
  });
});

describe("settings", () => {
  it("defaults the CodeDeploy names from cluster and service, and the poll interval to 15s", () => {
    expect(settings({})).toMatchObject({
      application: "AppECS-prod-api",
      deploymentGroup: "DgpECS-prod-api",
      pollIntervalMs: 15_000,
      timeoutMs: 3_600_000,
      wait: true,
      maxCriticalFindings: 0,
    });
  });

  it("names the input and what is allowed for hooks, checks without a URL and bad commands", () => {
    expect(() => settings({ hooks: "AfterInstall=fn\nDuringLunch=fn" })).toThrow(
      /Input 'hooks' names the event "DuringLunch"; allowed: BeforeInstall, AfterInstall/,
    );
    expect(() => settings({ "test-checks": "GET /health 200" })).toThrow("Input 'test-checks' needs 'test-url'");
    expect(() => settings({ "test-url": "http://alb:8080", "test-checks": "FETCH /health 200" })).toThrow(/Input 'test-checks' line 1/);
    expect(() => settings({ command: "redeploy" })).toThrow(ConfigurationError);
    expect(() => settings({ image: "" })).toThrow("Input 'image' is required when 'task-definition' is empty");
  });
});

describe("task definitions", () => {
  it("strips exactly the read-only fields, pins the image and upserts the environment without touching the input", () => {
    const original = exampleTaskDefinition();
    const rendered = renderTaskDefinition(original, {
      containerName: "api",
      image: `${ECR}/api:2`,
      environment: new Map([
        ["LOG_LEVEL", "warning"],
        ["NEW_FLAG", "1"],
      ]),
    });
    for (const field of READ_ONLY_FIELDS) expect(rendered).not.toHaveProperty(field);
    expect(
      Object.keys(original)
        .filter((key) => !(key in rendered))
        .sort(),
    ).toEqual(READ_ONLY_FIELDS.filter((field) => field in original).sort());
    expect(rendered.volumes).toEqual([]);
    expect(rendered.containerDefinitions[0].image).toBe(`${ECR}/api:2`);
    expect(rendered.containerDefinitions[0].environment).toEqual([
      { name: "APP_ENV", value: "production" },
      { name: "LOG_LEVEL", value: "warning" },
      { name: "NEW_FLAG", value: "1" },
    ]);
    expect(original.containerDefinitions[0].environment[1].value).toBe("info");
  });

  it("accepts describe-task-definition output and YAML", () => {
    const wrapped = temp("td.json", JSON.stringify({ taskDefinition: exampleTaskDefinition(), tags: [] }));
    expect(loadTaskDefinitionFile(wrapped, "api").family).toBe("blockbuilders-api");
    const yaml = temp("td.yaml", "family: api\ncontainerDefinitions:\n  - name: api\n    image: x:1\n");
    expect(loadTaskDefinitionFile(yaml, "api").containerDefinitions[0].image).toBe("x:1");
  });

  it("reports file:line:col for syntax errors and a missing container", () => {
    const broken = temp("td.json", '{\n  "family": "api"\n  "containerDefinitions": []\n}\n');
    expect(() => loadTaskDefinitionFile(broken, "api", join(broken, ".."))).toThrow("td.json:3:3: Missing , between flow map items");
    const other = temp("td.yaml", "family: api\ncontainerDefinitions:\n  - name: worker\n    image: x:1\n");
    expect(() => loadTaskDefinitionFile(other, "api", join(other, ".."))).toThrow(
      "td.yaml:3:3: no container named 'api' (input 'container-name'); containers here: worker.",
    );
  });
});

describe("AppSpec", () => {
  const service = {
    platformVersion: "1.4.0",
    networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "ENABLED" } },
    capacityProviderStrategy: [
      { capacityProvider: "FARGATE_SPOT", weight: 3 },
      { capacityProvider: "FARGATE", base: 1, weight: 1 },
    ],
  };

  it("generates the service's network, platform and capacity-provider settings, with hooks", () => {
    const spec = generateAppSpec({
      taskDefinitionArn: "arn:td:7",
      containerName: "api",
      containerPort: 8000,
      hooks: [{ event: "AfterAllowTestTraffic", function: "smoke" }],
      service,
    });
    expect(spec.Resources[0].TargetService.Properties).toEqual({
      TaskDefinition: "arn:td:7",
      LoadBalancerInfo: { ContainerName: "api", ContainerPort: 8000 },
      PlatformVersion: "1.4.0",
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ["subnet-1"], SecurityGroups: ["sg-1"], AssignPublicIp: "ENABLED" } },
      CapacityProviderStrategy: [
        { CapacityProvider: "FARGATE_SPOT", Base: 0, Weight: 3 },
        { CapacityProvider: "FARGATE", Base: 1, Weight: 1 },
      ],
    });
    expect(spec.Hooks).toEqual([{ AfterAllowTestTraffic: "smoke" }]);
    const revision = appSpecRevision(spec);
    expect(revision.appSpecContent.content.startsWith('{"version":0.0,')).toBe(true);
    expect(revision.revisionType).toBe("AppSpecContent");
    expect(revision.appSpecContent.sha256).toBe(createHash("sha256").update(revision.appSpecContent.content).digest("hex"));
    expect(JSON.parse(revision.appSpecContent.content)).toEqual(spec);
  });

  it("substitutes the task definition, container and hooks into a loaded AppSpec", () => {
    const spec = loadAppSpec(join(EXAMPLE, "infrastructure/ecs/appspec.yaml"), {
      taskDefinitionArn: "arn:td:9",
      containerName: "api",
      containerPort: 8080,
      hooks: [{ event: "AfterAllowTestTraffic", function: "smoke-v2" }],
      service: {},
    });
    expect(spec.Resources[0].TargetService.Properties).toMatchObject({
      TaskDefinition: "arn:td:9",
      LoadBalancerInfo: { ContainerName: "api", ContainerPort: 8080 },
      PlatformVersion: "LATEST",
    });
    expect(spec.Hooks).toEqual([{ AfterAllowTestTraffic: "smoke-v2" }]);
  });

  it("points at the Resources entry when there is no ECS service in it", () => {
    const file = temp("appspec.yaml", "version: 0.0\nResources:\n  - Lambda:\n      Type: AWS::Lambda::Function\n");
    expect(() =>
      loadAppSpec(file, { taskDefinitionArn: "x", containerName: "api", containerPort: 1, hooks: [], service: {} }, join(file, "..")),
    ).toThrow("appspec.yaml:3:3: the AppSpec's first Resources entry must be TargetService with Type AWS::ECS::Service.");
  });

  it("refuses, before registering anything, an ECS service that is not the first resource under TargetService", () => {
    const file = temp(
      "appspec-second.yaml",
      "version: 0.0\nResources:\n  - Lambda:\n      Type: AWS::Lambda::Function\n  - Api:\n      Type: AWS::ECS::Service\n",
    );
    expect(() =>
      loadAppSpec(file, { taskDefinitionArn: "x", containerName: "api", containerPort: 1, hooks: [], service: {} }, join(file, "..")),
    ).toThrow("appspec-second.yaml:3:3: the AppSpec's first Resources entry must be TargetService with Type AWS::ECS::Service.");
  });
});

describe("preflight", () => {
  it("diffs only what the step changes (image, environment), lists the stripped read-only fields once, and shows the AppSpec as YAML", async () => {
    const { context } = stepContext(EXAMPLE, {
      "task-definition": "infrastructure/ecs/task-definition.json",
      appspec: "infrastructure/ecs/appspec.yaml",
      "container-name": "api",
      image: "",
      environment: "APP_ENV=production\nGIT_SHA=abc123",
    });
    const outcome = await ecsPreflight.run(context);
    expect(outcome.ok).toBe(true);
    expect(outcome.markdown).toContain(
      '-       "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/blockbuilders-api:2026.11.20-3f9c2ab",',
    );
    expect(outcome.markdown).toContain('+       "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/blockbuilders-api:preflight",');
    expect(outcome.markdown).toContain('+           "value": "abc123"');
    expect(outcome.markdown).not.toContain('-   "taskDefinitionArn"');
    expect(outcome.markdown).toMatch(/read-only fields stripped: `taskDefinitionArn`, `revision`/);
    expect(outcome.markdown).toContain("TaskDefinition: blockbuilders-api:<next revision>");
    expect(outcome.markdown).toContain("(the `image` input is empty locally)");
    expect(outcome.headline).toBe(
      "blockbuilders-api: image → 123456789012.dkr.ecr.us-east-1.amazonaws.com/blockbuilders-api:preflight, 7 read-only fields stripped; nothing sent",
    );
  });

  it("diffs lines with removals before additions and elides unchanged runs", () => {
    expect(lineDiff("a\nb\nc\nd\ne\nf\ng", "a\nb\nc\nD\ne\nf\ng", 1)).toBe("  …\n  c\n- d\n+ D\n  e\n  …");
  });
});
