import { afterEach, describe, expect, it } from "vitest";
import { runEcs, withEcsClients } from "../../src/ecs/run.js";
import { CancelledError, ConfigurationError, RemoteError } from "../../src/lib/errors.js";
import { silentLogger } from "../../src/lib/logger.js";
import { type AwsFake, awsEnv, type ScriptStep } from "../fakes/aws.js";
import { REGISTRY, startWorld, worldSettings } from "./world.js";

let fake: AwsFake | undefined;
afterEach(() => fake?.stop());

/** runEcs in-process against the fake, polls on a virtual clock; returns the run and the state it saved. */
async function run(
  values: Record<string, string>,
  options: { script?: ScriptStep[]; abortOnStart?: boolean; setup?: (fake: AwsFake) => void } = {},
) {
  const world = await startWorld();
  fake = world;
  if (options.script) world.nextScripts.push(options.script);
  options.setup?.(world);
  const saved = { ...process.env };
  Object.assign(process.env, awsEnv(world));
  const state: Record<string, string> = {};
  const controller = new AbortController();
  try {
    const settings = worldSettings(values);
    const outcome = await withEcsClients(settings, (clients) =>
      runEcs(settings, {
        clients,
        logger: silentLogger,
        signal: controller.signal,
        sleep: async (_ms, signal) => signal?.throwIfAborted(),
        saveState: (name, value) => {
          state[name] = value;
          if (options.abortOnStart && name === "deployment-id") controller.abort(new CancelledError("The job was cancelled (test)."));
        },
      }),
    );
    return { outcome, state };
  } finally {
    process.env = saved;
  }
}

describe("runEcs: every ending becomes outputs, state for the post step, a summary and the error to fail with", () => {
  it("a success sets every output, marks the run finished and fails with nothing", async () => {
    const { outcome, state } = await run({});
    expect(outcome.ok).toBe(true);
    expect(outcome.error).toBeUndefined();
    expect(outcome.outputs).toMatchObject({ status: "Succeeded", "rolled-back": "false", "deployment-id": state["deployment-id"] });
    expect(outcome.outputs["task-definition-arn"]).toMatch(/:task-definition\/blockbuilders-api:3$/);
    expect(state).toEqual({ "deployment-id": expect.stringMatching(/^d-/), finished: "true" });
    expect(outcome.summary).toContain("✅ Succeeded");
  });

  it("a failed deployment is a RemoteError with the failure sentence, after the outputs and the finished mark", async () => {
    const { outcome, state } = await run(
      {},
      {
        script: [
          { status: "InProgress", event: "Install", green: 0 },
          { status: "Failed", event: "Install", green: 0, error: { code: "ECS_UPDATE_ERROR", message: "The service cannot be updated." } },
        ],
      },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toBeInstanceOf(RemoteError);
    expect((outcome.error as Error).message).toMatch(
      /^CodeDeploy deployment d-\w+ failed: ECS_UPDATE_ERROR: The service cannot be updated; rolled back by d-\w+ \(Succeeded\)$/,
    );
    expect(outcome.outputs).toMatchObject({ status: "Failed", "rolled-back": "true" });
    expect(state.finished).toBe("true");
    expect(outcome.summary).toContain((outcome.error as Error).message);
  });

  it("a cancel is a CancelledError after StopDeployment with rollback, and the run counts as finished", async () => {
    const { outcome, state } = await run({}, { abortOnStart: true });
    expect(outcome.error).toBeInstanceOf(CancelledError);
    expect((outcome.error as Error).message).toMatch(
      /^The job was cancelled \(test\)\. Stopped CodeDeploy deployment d-\w+ with automatic rollback\./,
    );
    expect(fake!.calls("StopDeployment")).toHaveLength(1);
    expect(outcome.outputs).toMatchObject({ status: "Stopped", "rolled-back": "true" });
    expect(state.finished).toBe("true");
  });

  it("a cancel whose stop was refused leaves the post step's backstop armed", async () => {
    const { outcome, state } = await run(
      {},
      {
        abortOnStart: true,
        setup: (world) =>
          world.fail("StopDeployment", { type: "AccessDeniedException", message: "not authorized to perform StopDeployment" }),
      },
    );
    expect(outcome.error).toBeInstanceOf(CancelledError);
    expect(outcome.outputs.status).toBe("Unknown");
    expect(state["deployment-id"]).toMatch(/^d-/);
    expect(state.finished).toBeUndefined();
  });

  it("a thrown error passes through as it was, with a summary saying no deployment was started and no outputs", async () => {
    const { outcome, state } = await run({ "test-url": "http://127.0.0.1:9", "test-checks": "GET /health 200" });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toBeInstanceOf(ConfigurationError);
    expect(outcome.outputs).toEqual({});
    expect(state).toEqual({});
    expect(outcome.summary).toBe(
      `## ECS blue/green: api ❌\n\nNo deployment was started for prod/api (image ${REGISTRY}/blockbuilders-api:1.5.0).\n\n> ${(outcome.error as Error).message}\n`,
    );
  });

  it("a throw after the deployment started names it in the summary and leaves the backstop armed", async () => {
    const { outcome, state } = await run(
      {},
      {
        setup: (world) =>
          world.fail("GetDeployment", { type: "AccessDeniedException", message: "not authorized to perform GetDeployment" }),
      },
    );
    expect(outcome.error).toBeInstanceOf(RemoteError);
    expect((outcome.error as Error).message).toBe(
      "CodeDeploy GetDeployment failed: AccessDeniedException: not authorized to perform GetDeployment",
    );
    expect(outcome.outputs).toEqual({});
    expect(state).toEqual({ "deployment-id": expect.stringMatching(/^d-/) });
    expect(outcome.summary).toContain(
      `Deployment ${state["deployment-id"]} was started; the post step stops it with rollback if it is still running.`,
    );
  });
});
