import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { VERIFY_INPUTS, VERIFY_OUTPUTS } from "../../src/verify/settings.js";
import { REPO_ROOT, readActionMetadata } from "../harness/run-bundle.js";

const actions = readdirSync(join(REPO_ROOT, "actions")).filter((name) => existsSync(join(REPO_ROOT, "actions", name, "action.yml")));

describe("action metadata", () => {
  it.each(actions)("%s runs on node24 from a committed bundle, with every input and output described", (action) => {
    const metadata = readActionMetadata(action);
    expect(metadata.runs.using).toBe("node24");
    for (const script of [metadata.runs.main, metadata.runs.post].filter(Boolean) as string[]) {
      expect(script).toMatch(new RegExp(`^\\.\\./\\.\\./dist/${action}/(post/)?index\\.js$`));
      expect(existsSync(join(REPO_ROOT, "actions", action, script)), `${script} exists`).toBe(true);
      expect(readFileSync(join(REPO_ROOT, "actions", action, script, "../package.json"), "utf8")).toContain('"module"');
    }
    if (metadata.runs.post) expect(metadata.runs["post-if"] ?? "always()").toBe("always()");
    for (const [name, input] of Object.entries(metadata.inputs ?? {})) expect(input.description, `input ${name}`).toBeTruthy();
    for (const [name, output] of Object.entries(metadata.outputs ?? {})) expect(output.description, `output ${name}`).toBeTruthy();
  });

  it("declares exactly the inputs and outputs the verify entry reads and writes", () => {
    const metadata = readActionMetadata("verify");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(VERIFY_INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(VERIFY_OUTPUTS).sort());
  });

  it("the root composite action puts the CLI on PATH through bin/launchpad", () => {
    const root = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8"));
    expect(root.runs.using).toBe("composite");
    expect(root.runs.steps[0].run).toContain('>> "$GITHUB_PATH"');
    expect(readFileSync(join(REPO_ROOT, "bin/launchpad"), "utf8")).toContain("dist/cli/index.js");
  });
});
