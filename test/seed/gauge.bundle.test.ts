import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { SUCCESS_METRIC } from "../../src/seed/success-gauge.js";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { expectSuccess, seedStep, withPglite } from "./bundle-support.js";
import { DatadogFake } from "./datadog-fake.js";

afterAll(removeExampleCopies);

describe("seed bundle: the Datadog success gauge", () => {
  let datadog: DatadogFake;
  beforeEach(async () => {
    datadog = await new DatadogFake().start();
  });
  afterEach(() => datadog.stop());
  const gaugeInputs = () => ({ "datadog-api-key": datadog.apiKey, "datadog-site": datadog.url });

  it("submits seed.last_success_timestamp after an apply and a clean verify, tagged env, run_id and digest, key masked", async () => {
    const workspace = copyExample();
    const before = Math.floor(Date.now() / 1000);
    const applied = await seedStep(workspace, gaugeInputs());
    expectSuccess(applied);
    const verified = await seedStep(workspace, { ...gaugeInputs(), command: "verify" });
    expectSuccess(verified);
    expect(datadog.accepted).toHaveLength(2);
    const tags = [`env:local`, `run_id:gh-4242-1`, `digest:${applied.outputs.digest}`];
    for (const series of datadog.accepted) {
      expect(series).toMatchObject({ metric: SUCCESS_METRIC, type: 3, tags });
      expect(series.points).toHaveLength(1);
      expect(series.points[0].timestamp).toBeGreaterThanOrEqual(before);
      expect(series.points[0].value).toBe(series.points[0].timestamp);
    }
    expect(applied.summary).toContain("Datadog: `seed.last_success_timestamp` submitted.");
    expect(applied.masks).toContain(datadog.apiKey);
    for (const result of [applied, verified]) expect(result.visible).not.toContain(datadog.apiKey);
  });

  it("a failing Datadog is retried, then a warning: the seed still succeeds", async () => {
    datadog.inject({ match: "POST /api/v2/series", status: 503, body: { errors: ["Service Unavailable"] }, times: 3 });
    const result = await seedStep(copyExample(), gaugeInputs());
    expectSuccess(result);
    expect(result.outputs.inserted).toBe("16");
    expect(datadog.requestsTo("POST", "/api/v2/series")).toHaveLength(3);
    expect(result.annotations).toContainEqual(
      expect.objectContaining({
        level: "warning",
        message: `Could not submit ${SUCCESS_METRIC} to Datadog: Datadog answered 503: Service Unavailable. The seed itself succeeded.`,
      }),
    );
    expect(result.summary).toContain("could not be submitted");
  });

  it("a refused key is not retried and never shown", async () => {
    const result = await seedStep(copyExample(), { ...gaugeInputs(), "datadog-api-key": "dd-wrong-key-planted-77" });
    expectSuccess(result);
    expect(datadog.requestsTo("POST", "/api/v2/series")).toHaveLength(1);
    expect(result.annotations.at(-1)?.message).toContain("Datadog answered 403: Forbidden.");
    expect(result.visible).not.toContain("dd-wrong-key-planted-77");
  });

  it("sends nothing without an API key, after a failed verify, or for plan", async () => {
    const workspace = copyExample();
    expectSuccess(await seedStep(workspace, { "datadog-site": datadog.url }));
    expectSuccess(await seedStep(workspace, { ...gaugeInputs(), command: "plan" }));
    await withPglite(workspace, (db) => db.query("UPDATE plans SET max_live_bots = 99 WHERE code = 'premium'"));
    const drifted = await seedStep(workspace, { ...gaugeInputs(), command: "verify" });
    expect(drifted.code).toBe(1);
    expect(drifted.outputs.drift).toBe("1");
    expect(datadog.requests).toHaveLength(0);
  });

  it("refuses a datadog-site that is neither a site name nor a loopback URL, before anything is written", async () => {
    const result = await seedStep(copyExample(), { ...gaugeInputs(), "datadog-site": "https://metrics.example.com" });
    expect(result.code).toBe(1);
    expect(result.annotations.at(-1)?.message).toBe(
      `Input 'datadog-site' got "https://metrics.example.com"; expected a Datadog site such as datadoghq.com or datadoghq.eu (or a http://127.0.0.1:PORT URL for a local endpoint).`,
    );
  });
});
