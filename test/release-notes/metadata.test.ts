import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { INPUTS, OUTPUTS } from "../../src/release-notes/settings.js";
import { REPO_ROOT, readActionMetadata } from "../harness/run-bundle.js";
import { GitRepo, removeRepos } from "./git-repo.js";

afterAll(removeRepos);

function launchpad(args: string[], cwd: string) {
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "rn-cli-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli/index.js"), ...args], { cwd, encoding: "utf8", timeout: 60_000, env });
}

describe("release-notes metadata and CLI", () => {
  it("declares exactly the inputs and outputs the entry reads and writes", () => {
    const metadata = readActionMetadata("release-notes");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(OUTPUTS).sort());
  });

  it("prints the notes from local git with flags named like the inputs, and exits 2 on a version that is not SemVer", () => {
    const repo = new GitRepo();
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.squashPullRequest(8, "feat: price alerts");
    const ok = launchpad(["release-notes", "--release-owner", "ops-lead", "--output-dir", join(repo.dir, ".out")], repo.dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("## Release 1.1.0 – ");
    expect(ok.stdout).toContain("Release owner: @ops-lead");
    expect(ok.stdout).toContain("- feat: price alerts (#8) by Ada Lovelace");
    expect(ok.stdout).toContain(`Notes written to ${join(repo.dir, ".out", "release-notes-1.1.0.md")}`);

    expect(launchpad(["release-notes", "2.0.0", "--output-dir", join(repo.dir, ".out")], repo.dir).stdout).toContain("## Release 2.0.0 – ");
    const bad = launchpad(["release-notes", "one"], repo.dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(`launchpad: Input 'version' got "one"; expected a SemVer version such as 1.4.0.`);
  });
});
