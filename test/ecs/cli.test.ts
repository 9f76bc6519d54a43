import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { type AwsFake, awsEnv, PLANTED_AWS_SECRETS } from "../fakes/aws.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { REGISTRY, startWorld } from "./world.js";

const run = promisify(execFile);
let fake: AwsFake;
afterEach(() => fake?.stop());

/** The example's service, as every command line here names it. */
const SERVICE_FLAGS = ["--cluster", "prod", "--service", "api", "--container-name", "api"];

function cli(args: string[]) {
  return run(process.execPath, ["--import", "tsx", join(REPO_ROOT, "src/cli/index.ts"), "ecs-blue-green", ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...awsEnv(fake) },
  }).then(
    (done) => ({ code: 0, ...done }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

it("deploys from the command line with flags named like the inputs", async () => {
  fake = await startWorld();
  const done = await cli([
    ...SERVICE_FLAGS,
    "--image",
    `${REGISTRY}/blockbuilders-api:1.5.0`,
    "--environment",
    "LOG_LEVEL=debug",
    "--poll-interval",
    "50ms",
  ]);
  expect(done.code, done.stderr).toBe(0);
  expect(done.stdout).toContain("| outcome | ✅ Succeeded |");
  expect(fake.calls("RegisterTaskDefinition")[0].body.containerDefinitions[0].environment).toContainEqual({
    name: "LOG_LEVEL",
    value: "debug",
  });
});

it("exits 2 with one line naming the flag as typed on a usage mistake, before calling AWS", async () => {
  fake = await startWorld();
  const done = await cli([...SERVICE_FLAGS, "--image", `${REGISTRY}/api:1`, "--hooks", "Whenever=fn"]);
  expect(done.code).toBe(2);
  expect(done.stderr.trim()).toBe(
    'launchpad: --hooks names the event "Whenever"; allowed: BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic.',
  );
  expect(fake.calls()).toHaveLength(0);
});

it("prints the summary and one error line when the run throws before a deployment starts", async () => {
  fake = await startWorld();
  const done = await cli([...SERVICE_FLAGS, "--image", `${REGISTRY}/blockbuilders-api:9.9.9`]);
  expect(done.code).toBe(1);
  expect(done.stdout).toContain("## ECS blue/green: api ❌");
  expect(done.stdout).toContain(`No deployment was started for prod/api (image ${REGISTRY}/blockbuilders-api:9.9.9).`);
  expect(done.stderr.split("\n").filter((line) => line.startsWith("launchpad:"))).toEqual([
    "launchpad: Image tag '9.9.9' does not exist in blockbuilders-api in ECR registry 123456789012 (us-east-1); push it before deploying.",
  ]);
  expect(fake.calls("RegisterTaskDefinition")).toHaveLength(0);
});

it("prints the summary and fails with the deployment's own failure when it fails", async () => {
  fake = await startWorld();
  fake.nextScripts.push([
    { status: "InProgress", event: "Install", green: 0 },
    { status: "Failed", event: "Install", green: 0, error: { code: "ECS_UPDATE_ERROR", message: "The service cannot be updated." } },
  ]);
  const done = await cli([...SERVICE_FLAGS, "--image", `${REGISTRY}/blockbuilders-api:1.5.0`, "--poll-interval", "50ms"]);
  expect(done.code).toBe(1);
  expect(done.stdout).toContain("| outcome | ❌ Failed |");
  expect(done.stderr).toMatch(
    /launchpad: CodeDeploy deployment d-\w+ failed: ECS_UPDATE_ERROR: The service cannot be updated; rolled back by d-\w+ \(Succeeded\)\n$/,
  );
  expect(done.stdout + done.stderr).not.toContain(PLANTED_AWS_SECRETS.secretAccessKey);
});
