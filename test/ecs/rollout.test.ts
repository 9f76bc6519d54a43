import { afterEach, expect, it } from "vitest";
import type { AwsFake } from "../fakes/aws.js";
import { CANARY_10_MINUTES, runOnScriptedClock } from "./world.js";

let fake: AwsFake | undefined;
afterEach(() => fake?.stop());

it("follows a 10-minute canary on a scripted clock: the timeline shows simulated times and the call count stays bounded", async () => {
  const run = await runOnScriptedClock(CANARY_10_MINUTES);
  fake = run.fake;
  expect(run.result.status).toBe("Succeeded");
  expect(run.elapsedMs).toBeGreaterThanOrEqual(600_000);
  const timeline = run.result.outcome!.progress.timeline;
  // 10 % begins at 95 s and 100 % at 395 s; 15 s polls see each within one interval.
  const canary = timeline.find((entry) => entry.traffic === "blue 90% / green 10%")!;
  expect(canary.atMs).toBeGreaterThanOrEqual(95_000);
  expect(canary.atMs).toBeLessThan(110_000);
  const full = timeline.find((entry) => entry.traffic === "blue 0% / green 100%")!;
  expect(full.atMs).toBeGreaterThanOrEqual(395_000);
  expect(full.atMs).toBeLessThan(410_000);
  expect(fake.calls().length).toBeLessThanOrEqual(100);
  expect(fake.calls("GetDeploymentTarget").length).toBeLessThan(fake.calls("GetDeployment").length);
});
