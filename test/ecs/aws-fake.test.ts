import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { AwsFake } from "../fakes/aws.js";
import { APP, GROUP, startWorld } from "./world.js";

let fake: AwsFake | undefined;
afterEach(() => fake?.stop());

/** One awsJson1.1 call as the SDK would send it, with a content type of our choosing. */
async function send(operation: string, body: unknown, contentType = "application/x-amz-json-1.1") {
  const response = await fetch(fake!.url, {
    method: "POST",
    headers: { "content-type": contentType, "x-amz-target": `CodeDeploy_20141006.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { __type?: string; message?: string; deploymentId?: string } };
}

function revision(content: string, sha256 = createHash("sha256").update(content).digest("hex")) {
  return { revisionType: "AppSpecContent", appSpecContent: { content, sha256 } };
}

const ECS_APPSPEC = JSON.stringify({
  version: 0.0,
  Resources: [{ TargetService: { Type: "AWS::ECS::Service", Properties: { TaskDefinition: "arn:td:1" } } }],
});

function create(revisionBody: unknown) {
  return send("CreateDeployment", { applicationName: APP, deploymentGroupName: GROUP, revision: revisionBody });
}

describe("the AWS fake refuses what the real services refuse", () => {
  it("answers a request without the awsJson1.1 content type with a SerializationException", async () => {
    fake = await startWorld();
    const refused = await send("GetDeploymentGroup", { applicationName: APP, deploymentGroupName: GROUP }, "application/json");
    expect(refused).toMatchObject({ status: 400, body: { __type: "SerializationException" } });
    const served = await send("GetDeploymentGroup", { applicationName: APP, deploymentGroupName: GROUP });
    expect(served.status).toBe(200);
  });

  it("accepts an ECS AppSpec as JSON or YAML whose sha256 matches its content", async () => {
    fake = await startWorld();
    const json = await create(revision(ECS_APPSPEC));
    expect(json.status, json.body.message).toBe(200);
    expect(json.body.deploymentId).toMatch(/^d-/);
    fake.deployment(json.body.deploymentId!).script = [{ status: "Succeeded" }];
    const yaml = await create(
      revision(
        "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: arn:td:1\n",
      ),
    );
    expect(yaml.status, yaml.body.message).toBe(200);
  });

  it.each([
    ["an S3 revision", { revisionType: "S3", s3Location: { bucket: "b", key: "k" } }, /not supported for the ECS compute platform/],
    ["a sha256 of other content", revision(ECS_APPSPEC, createHash("sha256").update("other").digest("hex")), /sha256/],
    ["a sha256 that is only hex-shaped", revision(ECS_APPSPEC, "0".repeat(64)), /sha256/],
    ["content that does not parse", revision("Resources: [unclosed"), /neither JSON nor YAML/],
    [
      "an AppSpec whose first resource is not the ECS service",
      revision(JSON.stringify({ version: 0.0, Resources: [{ TargetService: { Type: "AWS::Lambda::Function" } }] })),
      /Resources\[0\]\.TargetService/,
    ],
  ])("refuses %s with an InvalidRevisionException", async (_name, body, message) => {
    fake = await startWorld();
    const refused = await create(body);
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toBe("InvalidRevisionException");
    expect(refused.body.message).toMatch(message);
    expect(fake.deployments.size).toBe(0);
  });
});
