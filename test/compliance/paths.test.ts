import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubFake } from "../fakes/github.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { GOOD_BODY, RULES, runCompliance, setPull, workspace } from "./world.js";

/** Rules outside the workspace, a symbolic link inside may point at. */
function outsideRules(): string {
  const dir = mkdtempSync(join(tmpdir(), "launchpad-compliance-outside-"));
  writeFileSync(join(dir, "compliance.yml"), RULES);
  writeFileSync(join(dir, "PR.md"), GOOD_BODY);
  return dir;
}

describe("compliance's config stays in the workspace (through the bundle)", () => {
  let github: GitHubFake;
  beforeEach(async () => {
    github = await new GitHubFake().start();
    setPull(github, GOOD_BODY, []);
  });
  afterEach(() => github.stop());

  it.each([
    ["../../etc/passwd", "leaves the workspace; give a path inside it, relative to the workspace"],
    ["/etc/passwd", "leaves the workspace; give a path inside it, relative to the workspace"],
    [".github/missing.yml", "does not exist"],
    [".github", "is a folder; expected a file"],
    [".github/compliance.yml/rules.yml", "goes through a file as if it were a folder"],
  ])("refuses config: %s naming the input, before any request", async (config, problem) => {
    const result = await runCompliance(github, workspace(), { inputs: { config } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::Input 'config' got ${JSON.stringify(config)}: the path ${problem}.`);
    expect(github.requests).toHaveLength(0);
  });

  it("refuses rules reached through a symbolic link out of the workspace", async () => {
    const root = workspace();
    symlinkSync(join(outsideRules(), "compliance.yml"), join(root, "rules.yml"));
    const result = await runCompliance(github, root, { inputs: { config: "rules.yml" } });
    expect(result.stdout).toContain(
      `::error::Input 'config' got "rules.yml": the path leads outside the workspace through a symbolic link.`,
    );
    expect(github.requests).toHaveLength(0);
  });
});

describe("launchpad compliance names --config and --body-file as typed", () => {
  const launchpad = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli/index.js"), "compliance", ...args], {
      cwd,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "compliance-home-")) },
    });

  it.each([
    [["--body-file", "../../etc/passwd"], `--body-file got "../../etc/passwd": the path leaves the workspace`],
    [["--body-file", "missing.md"], `--body-file got "missing.md": the path does not exist.`],
    [["--body-file", "linked.md"], `--body-file got "linked.md": the path leads outside the workspace through a symbolic link.`],
    [["--body-file", "PR.md", "--config", "../rules.yml"], `--config got "../rules.yml": the path leaves the workspace`],
    [["--body-file", "PR.md", "--config", "linked.yml"], `--config got "linked.yml": the path leads outside the workspace`],
  ])("exits 2 on %j with one line", (args, start) => {
    const root = workspace({ "PR.md": GOOD_BODY });
    const outside = outsideRules();
    symlinkSync(join(outside, "PR.md"), join(root, "linked.md"));
    symlinkSync(join(outside, "compliance.yml"), join(root, "linked.yml"));
    const run = launchpad(args, root);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr.startsWith(`launchpad: ${start}`)).toBe(true);
  });
});

describe("launchpad compliance without git", () => {
  it("names --base when git cannot start, instead of 'spawn git ENOENT'", () => {
    const root = workspace({ "PR.md": GOOD_BODY });
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli/index.js"), "compliance", "--body-file", "PR.md"], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      // A PATH with no git on it; node itself is started by its absolute path.
      env: { PATH: mkdtempSync(join(tmpdir(), "compliance-no-git-")), HOME: root },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("launchpad: --base: git is not installed or not on PATH; local mode diffs against the base with git.");
  });
});
