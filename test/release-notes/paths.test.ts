import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runStep } from "../harness/run-bundle.js";
import { fakeRepository } from "./fake-repository.js";
import { GitRepo, removeRepos } from "./git-repo.js";

const world = fakeRepository();
afterAll(removeRepos);

/** A config and a template outside the workspace, that symbolic links inside it may point at. */
function outside(): string {
  const dir = mkdtempSync(join(tmpdir(), "rn-outside-"));
  writeFileSync(join(dir, "release-notes.yml"), "categories: []\n");
  writeFileSync(join(dir, "template.md"), "## Release {{version}}\n");
  return dir;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "rn-paths-ws-"));
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, "notes.md"), "## Release {{version}}\n");
  const elsewhere = outside();
  symlinkSync(join(elsewhere, "release-notes.yml"), join(dir, "linked.yml"));
  symlinkSync(join(elsewhere, "template.md"), join(dir, "linked.md"));
  return dir;
}

describe("release-notes' config and template stay in the workspace (through the bundle)", () => {
  it.each([
    [{ config: "../../etc/passwd" }, `Input 'config' got "../../etc/passwd": the path leaves the workspace`],
    [{ config: "/etc/hostname" }, `Input 'config' got "/etc/hostname": the path leaves the workspace`],
    [{ config: "linked.yml" }, `Input 'config' got "linked.yml": the path leads outside the workspace through a symbolic link.`],
    [{ config: ".github" }, `Input 'config' got ".github": the path is a folder; expected a file.`],
    [{ template: "../../etc/passwd" }, `Input 'template' got "../../etc/passwd": the path leaves the workspace`],
    [{ template: "linked.md" }, `Input 'template' got "linked.md": the path leads outside the workspace through a symbolic link.`],
    [{ template: "missing.md" }, `Input 'template' got "missing.md": the path does not exist.`],
  ])("refuses %j naming the input, before any request", async (inputs, message) => {
    const result = await runStep("release-notes", {
      workspace: workspace(),
      inputs: { "github-token": "ghs_plantedReleaseNotesToken0123456789ab", ...inputs },
      env: { GITHUB_API_URL: world.github.url, GITHUB_GRAPHQL_URL: `${world.github.url}/graphql` },
      repository: "blockbuilders/platform",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::${message}`);
    expect(world.github.requests).toHaveLength(0);
  });

  it("still reads the built-in categories when the default config is absent, and a template inside the workspace", async () => {
    world.model.commit("chore: initial import");
    world.model.squashMerge(7, "feat: price alerts", { labels: ["feature"] });
    const result = await runStep("release-notes", {
      workspace: workspace(),
      inputs: { "github-token": "ghs_plantedReleaseNotesToken0123456789ab", template: "notes.md", version: "1.0.0" },
      env: { GITHUB_API_URL: world.github.url, GITHUB_GRAPHQL_URL: `${world.github.url}/graphql` },
      sha: world.model.head(),
      repository: "blockbuilders/platform",
    });
    expect(result.stdout).not.toContain("::error::");
    expect(result.code).toBe(0);
    expect(result.outputs.notes).toContain("## Release 1.0.0");
  });
});

describe("launchpad release-notes names --config and --template as typed", () => {
  it.each([
    [["--config", "../release-notes.yml"], `--config got "../release-notes.yml": the path leaves the workspace`],
    [["--template", "/etc/passwd"], `--template got "/etc/passwd": the path leaves the workspace`],
    [["--template", "linked.md"], `--template got "linked.md": the path leads outside the workspace through a symbolic link.`],
  ])("exits 2 on %j with one line", (args, start) => {
    const repo = new GitRepo();
    repo.commit("chore: start");
    const elsewhere = outside();
    symlinkSync(join(elsewhere, "template.md"), join(repo.dir, "linked.md"));
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli/index.js"), "release-notes", ...args], {
      cwd: repo.dir,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "rn-cli-home-")) },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr.startsWith(`launchpad: ${start}`)).toBe(true);
  });
});

describe("release-notes without git", () => {
  it("names source when git cannot start, instead of 'spawn git ENOENT' or 'not a git repository'", async () => {
    const result = await runStep("release-notes", {
      workspace: workspace(),
      inputs: { source: "git", "github-token": "" },
      // A PATH with no git on it; the harness starts node by its absolute path.
      env: { PATH: mkdtempSync(join(tmpdir(), "rn-no-git-")) },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "::error::Input 'source' is git, but git is not installed or not on PATH; it is needed to read the history (or use source: api).",
    );
  });
});

describe("release-notes echoes at most ~100 characters of a bad value", () => {
  it.each([["from"], ["version"], ["to"]])("a 120 KB %s comes back as one short line", async (name) => {
    const repo = new GitRepo();
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.commit("fix: a");
    const huge = `v${"9".repeat(120_000)}`;
    const result = await runStep("release-notes", {
      workspace: repo.dir,
      inputs: { source: "git", "github-token": "", to: "HEAD", [name]: huge },
    });
    expect(result.code).toBe(1);
    const error = result.stdout.split("\n").find((line) => line.startsWith("::error::")) ?? "";
    expect(error).toMatch(new RegExp(`^::error::Input '${name}' got "v9+"… \\(120001 characters\\)`));
    expect(error.length).toBeLessThan(400);
  });
});
