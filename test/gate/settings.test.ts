import { describe, expect, it } from "vitest";
import { isEnforced, readGateSettings } from "../../src/gate/settings.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";

const read = (values: Record<string, string>) => readGateSettings(new Inputs(mapInputSource(values)), { workspace: "/repo" });

describe("gate settings", () => {
  it("defaults to 80% coverage, no high or critical findings, every gate enforced", () => {
    const settings = read({ junit: "reports/*.xml" });
    expect(settings).toMatchObject({
      allowNoTests: false,
      minCoverage: 80,
      maxVulnerabilities: { critical: 0, high: 0 },
      audit: { mode: "none" },
      checkName: "quality-gate",
      workingDirectory: "/repo",
    });
    expect(settings.failOn).toEqual({ all: true });
    expect(settings.bundleBudget).toBeUndefined();
  });

  it("reads `name: command` lines, keeping colons inside the command and skipping comments", () => {
    const settings = read({
      commands:
        "# the build-test job\nlint: pnpm turbo run lint\nunit tests: pnpm turbo run test -- --reporter=junit\nurl check: curl http://127.0.0.1:3000/health\n",
    });
    expect(settings.commands).toEqual([
      { name: "lint", command: "pnpm turbo run lint", line: 2 },
      { name: "unit tests", command: "pnpm turbo run test -- --reporter=junit", line: 3 },
      { name: "url check", command: "curl http://127.0.0.1:3000/health", line: 4 },
    ]);
  });

  it("rejects a gate name used twice, naming the line", () => {
    expect(() => read({ commands: "test: a\ntest: b" })).toThrow(
      `Input 'commands' line 2: the name "test" is used twice; give each gate its own name.`,
    );
  });

  it("resolves an audit file and the working directory against the workspace", () => {
    expect(read({ "working-directory": "apps/web", audit: "reports/audit.json" })).toMatchObject({
      workingDirectory: "/repo/apps/web",
      audit: { mode: "file", path: "/repo/apps/web/reports/audit.json" },
    });
  });

  it("needs bundle globs when a budget is set", () => {
    expect(() => read({ "bundle-budget": "250KB" })).toThrow(
      "Input 'bundle-budget' is set but 'bundle' is empty; list the built assets to measure.",
    );
  });

  it("enforces only the gates fail-on lists, by kind or by command name", () => {
    const settings = read({ commands: "lint: a\ntest: b", "fail-on": "tests, lint" });
    expect(isEnforced(settings.failOn, "tests", "tests")).toBe(true);
    expect(isEnforced(settings.failOn, "command", "lint")).toBe(true);
    expect(isEnforced(settings.failOn, "command", "test")).toBe(false);
    expect(isEnforced(settings.failOn, "coverage", "coverage")).toBe(false);
    expect(isEnforced(read({ junit: "j.xml", "fail-on": "none" }).failOn, "tests", "tests")).toBe(false);
  });

  it("refuses to gate nothing: no command, report, audit or bundle configured", () => {
    expect(() => read({})).toThrow("No gate configured: set commands, junit, coverage, audit or bundle.");
    expect(() => read({ "min-coverage": "90", "fail-on": "none" })).toThrow("No gate configured");
    expect(read({ audit: "npm" }).audit).toEqual({ mode: "npm" });
  });

  it("names a malformed glob and its input before anything runs", () => {
    expect(() => read({ junit: "reports/junit-[0-9.xml" })).toThrow(
      `Input 'junit' has the glob "reports/junit-[0-9.xml", which is not well-formed: Missing closing: "]"`,
    );
    expect(() => read({ coverage: "coverage/{lcov,cobertura.xml" })).toThrow(/^Input 'coverage' has the glob .*Missing closing: "\}"/);
    expect(() => read({ bundle: "!" })).toThrow(`Input 'bundle' has the glob "!", which is not well-formed: an empty pattern.`);
    expect(read({ junit: "reports/**/*.xml\n!reports/old/*.xml" }).junit).toEqual(["reports/**/*.xml", "!reports/old/*.xml"]);
  });

  it("reads allow-no-tests as a boolean", () => {
    expect(read({ junit: "j.xml", "allow-no-tests": "true" }).allowNoTests).toBe(true);
    expect(() => read({ junit: "j.xml", "allow-no-tests": "maybe" })).toThrow(/allow-no-tests/);
  });

  it("rejects coverage thresholds outside 0–100", () => {
    expect(() => read({ "min-coverage": "120" })).toThrow(`Input 'min-coverage' got "120"; expected a number from 0 to 100.`);
  });
});
