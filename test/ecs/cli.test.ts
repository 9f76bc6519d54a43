import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { type AwsFake, awsEnv } from "../fakes/aws.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { REGISTRY, startWorld } from "./world.js";

const run = promisify(execFile);
let fake: AwsFake;
afterEach(() => fake?.stop());

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
    "--cluster",
    "prod",
    "--service",
    "api",
    "--container-name",
    "api",
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

it("exits 2 with one line naming the input on a usage mistake, before calling AWS", async () => {
  fake = await startWorld();
  const done = await cli([
    "--cluster",
    "prod",
    "--service",
    "api",
    "--container-name",
    "api",
    "--image",
    `${REGISTRY}/api:1`,
    "--hooks",
    "Whenever=fn",
  ]);
  expect(done.code).toBe(2);
  expect(done.stderr.trim()).toBe(
    "launchpad: Input 'hooks' names the event \"Whenever\"; allowed: BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic.",
  );
  expect(fake.calls()).toHaveLength(0);
});
