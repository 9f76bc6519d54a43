import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LAUNCHPAD_VERSION } from "../../src/lib/version.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { copyExample, removeExampleCopies } from "../support/example.js";

const CLI = join(REPO_ROOT, "dist/cli/index.js");

function launchpad(args: string[], cwd = REPO_ROOT) {
  // Only PATH (for node_modules/.bin) and a fresh HOME: no token or API URL of the developer's can reach the run.
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "preflight-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 240_000, env });
}

describe("the launchpad CLI bundle", () => {
  afterAll(removeExampleCopies);

  it("reports the package version", () => {
    const packageVersion = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version;
    expect(LAUNCHPAD_VERSION).toBe(packageVersion);
    expect(launchpad(["--version"]).stdout.trim()).toBe(packageVersion);
  });

  it("runs the preflight on a copy of the example repo and writes the same markdown it prints", { timeout: 300_000 }, () => {
    const root = copyExample();
    const result = launchpad(["preflight", root]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("# Launchpad preflight");
    expect(result.stdout).toMatch(/\| verify \| ✅ pass \| 3 smoke checks passed/);
    const written = readFileSync(join(root, ".launchpad/preflight.md"), "utf8");
    expect(result.stdout).toContain(written.trim());
  });

  it("runs verify with flags named like the action's inputs and fails on a bad one with a one-line message", () => {
    const result = launchpad(["verify", "--url", "http://127.0.0.1:9", "--attempts", "zero"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`launchpad: --attempts got "zero"; expected a whole number from 1 to 20.`);
  });
});
