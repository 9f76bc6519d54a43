import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AwsFake, awsEnv, canaryScript } from "../fakes/aws.js";
import { runStep } from "../harness/run-bundle.js";
import { expectSecretsHidden } from "../harness/secrets.js";
import { REGISTRY, startTestListener, startWorld } from "./world.js";

const ACTION = "ecs-blue-green";
let fake: AwsFake;
afterEach(() => fake?.stop());

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { cluster: "prod", service: "api", "container-name": "api", image: `${REGISTRY}/blockbuilders-api:1.5.0`, ...extra };
}

/** A workspace holding a task definition file, and a secret file beside it outside the workspace. */
function workspaceWithOutsideFile(): { workspace: string } {
  const parent = mkdtempSync(join(tmpdir(), "ecs-paths-"));
  const workspace = join(parent, "workspace");
  mkdirSync(join(workspace, "infra"), { recursive: true });
  writeFileSync(join(workspace, "infra/task.json"), "{}");
  writeFileSync(join(parent, "outside.json"), JSON.stringify({ family: "leaked" }));
  symlinkSync(join(parent, "outside.json"), join(workspace, "infra/link.json"));
  return { workspace };
}

/** The step failed on a usage mistake: one error line, exactly `message`, and no AWS call at all. */
async function expectRefused(extra: Record<string, string>, message: string | RegExp, workspace?: string): Promise<void> {
  const result = await runStep(ACTION, { inputs: inputs(extra), env: awsEnv(fake), workspace });
  expect(result.code).toBe(1);
  const errors = result.annotations.filter((annotation) => annotation.level === "error").map((annotation) => annotation.message);
  expect(errors).toHaveLength(1);
  if (typeof message === "string") expect(errors[0]).toBe(message);
  else expect(errors[0]).toMatch(message);
  expect(fake.calls()).toHaveLength(0);
}

describe("ecs-blue-green ranges", () => {
  it("refuses a poll interval that would flood CodeDeploy, before any AWS call", async () => {
    fake = await startWorld();
    await expectRefused({ "poll-interval": "0ms" }, `Input 'poll-interval' got "0ms"; expected a duration from 50ms to 5m.`);
  });

  it("refuses a timeout no timer can hold instead of crashing in AbortSignal.timeout", async () => {
    fake = await startWorld();
    await expectRefused({ timeout: "999999h" }, `Input 'timeout' got "999999h"; expected a duration from 1s to 72h.`);
  });

  it("echoes at most about 100 characters of a 120 KB bad value", async () => {
    fake = await startWorld();
    const huge = "9".repeat(120_000);
    const result = await runStep(ACTION, { inputs: inputs({ "max-critical-findings": huge }), env: awsEnv(fake) });
    const error = result.annotations.find((annotation) => annotation.level === "error")!.message;
    expect(error).toBe(
      `Input 'max-critical-findings' got "${"9".repeat(80)}"… (120000 characters); expected a whole number from -1 to 100000.`,
    );
    expect(result.stdout.split("\n").every((line) => line.length < 1_000)).toBe(true);
  });
});

describe("ecs-blue-green path inputs stay in the workspace", () => {
  it("refuses a task definition outside the workspace by .. or by an absolute path", async () => {
    fake = await startWorld();
    const { workspace } = workspaceWithOutsideFile();
    const leaves = "the path leaves the workspace; give a path inside it, relative to the workspace.";
    await expectRefused({ "task-definition": "../outside.json" }, `Input 'task-definition' got "../outside.json": ${leaves}`, workspace);
    await expectRefused({ "task-definition": "/etc/passwd" }, `Input 'task-definition' got "/etc/passwd": ${leaves}`, workspace);
  });

  it("refuses a symbolic link that leads out of the workspace", async () => {
    fake = await startWorld();
    const { workspace } = workspaceWithOutsideFile();
    await expectRefused(
      { "task-definition": "infra/link.json" },
      `Input 'task-definition' got "infra/link.json": the path leads outside the workspace through a symbolic link.`,
      workspace,
    );
  });

  it("names the input for a missing file, a file used as a folder, a folder and an overlong path", async () => {
    fake = await startWorld();
    const { workspace } = workspaceWithOutsideFile();
    await expectRefused({ appspec: "infra/appspec.yaml" }, `Input 'appspec' got "infra/appspec.yaml": the path does not exist.`, workspace);
    await expectRefused(
      { "task-definition": "infra/task.json/x.json" },
      `Input 'task-definition' got "infra/task.json/x.json": the path goes through a file as if it were a folder.`,
      workspace,
    );
    await expectRefused({ appspec: "infra" }, `Input 'appspec' got "infra": the path is a folder; expected a file.`, workspace);
    await expectRefused(
      { "task-definition": `${"a".repeat(300)}.json` },
      /^Input 'task-definition' got "a{80}"… \(305 characters\): the path is too long for the file system\.$/,
      workspace,
    );
  });
});

describe("ecs-blue-green test-url credentials", () => {
  it("masks the password in test-url before anything prints and names the listener without it", async () => {
    fake = await startWorld({ readyWait: true });
    fake.nextScripts.push(canaryScript({ readyWait: true }));
    const listener = await startTestListener({ "/health": 503 });
    try {
      const password = "listener-pa55word";
      const port = new URL(listener.url).port;
      const result = await runStep(ACTION, {
        inputs: inputs({
          "test-url": `http://smoke:${password}@127.0.0.1:${port}`,
          "test-checks": "GET /health 200",
          "poll-interval": "50ms",
        }),
        env: awsEnv(fake),
      });
      expect(result.code).toBe(1);
      expect(listener.hits.map((hit) => hit.path)).toContain("/health");
      expectSecretsHidden(result, [password]);
      expect(result.stdout).toContain(`Running 1 test check(s) against http://127.0.0.1:${port}/`);
      expect(result.annotations.find((a) => /Test checks failed/.test(a.message))?.message).toContain(
        `(1 of 1 failed against http://127.0.0.1:${port}/)`,
      );
    } finally {
      await listener.close();
    }
  });
});
