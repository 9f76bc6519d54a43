import { CANARY_10_MINUTES, REGISTRY, runOnScriptedClock, startWorld } from "../test/ecs/world.js";
import { awsEnv } from "../test/fakes/aws.js";
import { startStep } from "../test/harness/run-bundle.js";
import type { BenchRow, BenchScenario } from "./harness.js";

/**
 * API calls for the 10-minute rollout at the default 15 s poll. Time is scripted (see runOnScriptedClock): ten
 * simulated minutes take well under a second while every poll is a real SDK call to the fake.
 */
async function countRolloutCalls(): Promise<BenchRow> {
  const { fake, result, elapsedMs } = await runOnScriptedClock(CANARY_10_MINUTES);
  try {
    if (!result.ok) throw new Error(`bench rollout failed: ${result.failure}`);
    const byOp = new Map<string, number>();
    for (const call of fake.calls()) byOp.set(call.op, (byOp.get(call.op) ?? 0) + 1);
    const top = [...byOp]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([op, count]) => `${op} ${count}`);
    return {
      scenario: "ecs",
      metric: `API calls, 10-min canary at 15s polls (simulated ${Math.round(elapsedMs / 60_000)} min; ${top.join(", ")})`,
      value: fake.calls().length,
      unit: "calls",
      maxValue: 100,
    };
  } finally {
    await fake.stop();
  }
}

/** SIGINT to the real bundle during the traffic shift, until StopDeployment reaches the fake (its receive time). */
async function stopLatency(slowPoll: boolean): Promise<number> {
  const fake = await startWorld();
  fake.nextScripts.push([
    { status: "InProgress", event: "Install", green: 0 },
    { status: "InProgress", event: "AllowTraffic", green: 10, polls: 100_000 },
  ]);
  try {
    const step = startStep("ecs-blue-green", "main", {
      inputs: {
        cluster: "prod",
        service: "api",
        "container-name": "api",
        image: `${REGISTRY}/blockbuilders-api:1.5.0`,
        "poll-interval": "200ms",
      },
      env: awsEnv(fake),
    });
    await step.waitForOutput("green 10%");
    // A status call that hangs for 10 s: cancellation must not wait for it.
    if (slowPoll) fake.fail("GetDeployment", { type: "InternalFailure", status: 500, delayMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentAt = Date.now();
    step.child.kill("SIGINT");
    await step.result;
    const stop = fake.calls("StopDeployment")[0];
    if (!stop) throw new Error("StopDeployment never reached the fake");
    return stop.at - sentAt;
  } finally {
    await fake.stop();
  }
}

export const ecsScenario: BenchScenario = {
  name: "ecs",
  async run() {
    const rows: BenchRow[] = [await countRolloutCalls()];
    const idle: number[] = [];
    const busy: number[] = [];
    for (let round = 0; round < 3; round++) idle.push(await stopLatency(false));
    for (let round = 0; round < 2; round++) busy.push(await stopLatency(true));
    rows.push({
      scenario: "ecs",
      metric: "SIGINT → StopDeployment, between polls (max of 3)",
      value: Math.max(...idle),
      unit: "ms",
      maxValue: 2_000,
    });
    rows.push({
      scenario: "ecs",
      metric: "SIGINT → StopDeployment, during a hung status call (max of 2)",
      value: Math.max(...busy),
      unit: "ms",
      maxValue: 2_000,
    });
    return rows;
  },
};
