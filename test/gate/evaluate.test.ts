import { describe, expect, it } from "vitest";
import { evaluate, type Measurements } from "../../src/gate/evaluate.js";
import type { TestResults } from "../../src/gate/model.js";
import { readGateSettings } from "../../src/gate/settings.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";

const settings = (extra: Record<string, string> = {}) =>
  readGateSettings(new Inputs(mapInputSource({ junit: "j.xml", ...extra })), { workspace: "/repo" });
const tests = (results: Partial<TestResults>): Measurements => ({
  commands: [],
  missing: [],
  tests: { total: 0, failed: 0, skipped: 0, reports: ["reports/junit.xml"], failures: [], flaky: [], ...results },
});
const row = (measured: Measurements, extra: Record<string, string> = {}) => {
  const [check] = evaluate(settings(extra), measured);
  return { measured: check.measured, ok: check.ok };
};

describe("the tests row", () => {
  it("never shows a pass rate for nothing: no tests found fails, unless allow-no-tests", () => {
    expect(row(tests({}))).toEqual({ measured: "no tests found in reports/junit.xml", ok: false });
    expect(row(tests({}), { "allow-no-tests": "true" })).toEqual({
      measured: "no tests found in reports/junit.xml (allowed by allow-no-tests)",
      ok: true,
    });
  });

  it("treats a report whose every test was skipped as no test run", () => {
    expect(row(tests({ total: 3, skipped: 3 }))).toEqual({ measured: "no test ran (3 skipped) in reports/junit.xml", ok: false });
  });

  it("counts flaky passes as passes and says how many", () => {
    const flaky = [{ name: "cancels", suite: "Book" }];
    expect(row(tests({ total: 4, skipped: 1, flaky }))).toEqual({ measured: "3/3 passed (100%), 1 skipped, 1 flaky", ok: true });
  });

  it("fails on one failure among many", () => {
    expect(row(tests({ total: 200, failed: 1 }))).toEqual({ measured: "199/200 passed (99.5%), 1 failed", ok: false });
  });
});

describe("the coverage row", () => {
  it("says no coverage data instead of 100% when nothing was measured", () => {
    const measured: Measurements = {
      commands: [],
      missing: [],
      coverage: { lines: 0, covered: 0, percent: undefined, reports: [{ path: "c.xml", format: "cobertura" }], files: [], notes: [] },
    };
    const [check] = evaluate(settings({ junit: "", coverage: "c.xml" }), measured);
    expect(check).toMatchObject({ measured: "no coverage data in c.xml", ok: false });
  });
});
