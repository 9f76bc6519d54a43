import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/lib/errors.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { silentLogger } from "../../src/lib/logger.js";
import { Git } from "../../src/release-notes/git.js";
import { readGitChanges, resolveGitRange } from "../../src/release-notes/git-source.js";
import { runReleaseNotes } from "../../src/release-notes/release-notes.js";
import { readReleaseNotesSettings } from "../../src/release-notes/settings.js";
import { GitRepo, removeRepos } from "./git-repo.js";

afterAll(removeRepos);

/** v1.0.0, then one change in each merge style plus a direct push. */
function releasedRepo(): { repo: GitRepo; shas: Record<string, string> } {
  const repo = new GitRepo();
  repo.commit("chore: initial import");
  repo.mergePullRequest(1, "Old feature before the tag", [{ message: "feat: old thing" }]);
  const tagged = repo.head();
  repo.tag("v1.0.0", { annotated: true });
  const merge = repo.mergePullRequest(12, "Order book depth chart", [
    { message: "feat: depth chart", path: "apps/web/chart.ts", author: "Grace Hopper" },
    { message: "test: depth chart", path: "apps/web/chart.test.ts", author: "Grace Hopper" },
  ]);
  const squash = repo.squashPullRequest(13, "fix: rounding of fees", { body: "## Rollback plan\nRevert the deploy; no data changes." });
  const rebased = repo.rebasePullRequest(14, ["perf: cache symbols", "perf: warm cache on boot"]);
  const direct = repo.commit("docs: runbook for the fee incident");
  return { repo, shas: { tagged, merge, squash, direct, rebased0: rebased[0], rebased1: rebased[1] } };
}

function settingsFor(dir: string, values: Record<string, string> = {}) {
  return readReleaseNotesSettings(new Inputs(mapInputSource({ source: "git", ...values })), { workspace: dir, actor: "release-captain" });
}

const deps = () => ({ logger: silentLogger, serverUrl: "https://github.com", outputDir: mkdtempSync(join(tmpdir(), "rn-out-")) });

describe("git source on real repositories", () => {
  it("finds merge-commit, squash and rebase changes and direct pushes since the latest tag, leaving the tag's commit out", async () => {
    const { repo, shas } = releasedRepo();
    const git = new Git(repo.dir);
    const range = await resolveGitRange(git, { to: "HEAD", tagPrefix: "v" });
    expect(range).toEqual({ fromTag: "v1.0.0", fromSha: shas.tagged, toSha: shas.direct });
    const changes = await readGitChanges(git, range);

    expect(changes.pullRequests.map((pull) => [pull.number, pull.title])).toEqual([
      [13, "fix: rounding of fees"],
      [12, "Order book depth chart"],
    ]);
    const merged = changes.pullRequests[1];
    expect(merged.commits.map((commit) => commit.subject)).toEqual([
      "Merge pull request #12 from blockbuilders/feature/12",
      "test: depth chart",
      "feat: depth chart",
    ]);
    expect(merged.author.name).toBe("Grace Hopper");
    expect(merged.files.sort()).toEqual(["apps/web/chart.test.ts", "apps/web/chart.ts"]);
    expect(changes.pullRequests[0].body).toContain("## Rollback plan");
    // Rebase-merged commits carry no PR number: git lists them as they are, with the direct push.
    expect(changes.loneCommits.map((commit) => commit.sha)).toEqual([shas.direct, shas.rebased1, shas.rebased0]);
    // 3 (merge + 2) + 1 squash + 2 rebased + 1 direct; nothing from v1.0.0 or before.
    expect(changes.commitCount).toBe(7);
    expect([...changes.pullRequests.flatMap((pull) => pull.commits), ...changes.loneCommits].map((commit) => commit.sha)).not.toContain(
      shas.tagged,
    );
  });

  it("writes the notes end to end in git mode: template sections, version from the changes, notes file", async () => {
    const { repo } = releasedRepo();
    const result = await runReleaseNotes(
      settingsFor(repo.dir, { "customer-comm-url": "https://status.blockbuilders.io/notes/1-1-0" }),
      deps(),
    );
    expect(result.version).toBe("1.1.0");
    expect(result.previousVersion).toBe("1.0.0");
    expect(result.outputs).toMatchObject({ version: "1.1.0", "previous-version": "1.0.0", "pull-requests": "2", commits: "7" });
    const notes = readFileSync(result.notesFile, "utf8");
    expect(notes).toMatch(/^## Release 1\.1\.0 – \d{4}-\d{2}-\d{2}\nRelease owner: @release-captain\n/);
    expect(notes).toContain("#### Fixes\n- fix: rounding of fees (#13) by Ada Lovelace");
    expect(notes).toContain("### Rollback Plan\n- **fix: rounding of fees** (#13)\n  Revert the deploy; no data changes.");
    expect(notes).toContain("### Commits without a pull request\n- docs: runbook for the fee incident (");
    expect(notes).toContain("- perf: cache symbols (");
    expect(notes).toContain("### Contributors\nAda Lovelace, Grace Hopper");
    expect(notes).toContain("Customer comm: https://status.blockbuilders.io/notes/1-1-0");
    expect(notes).not.toContain("Old feature before the tag");
  });

  it("resolves a major version from a `!` type, and from a BREAKING CHANGE footer", async () => {
    const bang = new GitRepo();
    bang.commit("chore: start");
    bang.tag("v2.3.4");
    bang.squashPullRequest(20, "feat!: drop the v1 orders endpoint");
    expect((await runReleaseNotes(settingsFor(bang.dir), deps())).version).toBe("3.0.0");

    const footer = new GitRepo();
    footer.commit("chore: start");
    footer.tag("v2.3.4");
    footer.commit("refactor: new settlement ids\n\nBREAKING CHANGE: settlement ids are UUIDs now");
    expect((await runReleaseNotes(settingsFor(footer.dir), deps())).version).toBe("3.0.0");

    const patch = new GitRepo();
    patch.commit("chore: start");
    patch.tag("v2.3.4");
    patch.commit("fix: typo");
    expect((await runReleaseNotes(settingsFor(patch.dir), deps())).version).toBe("2.3.5");
  });

  it("takes the highest SemVer tag reachable from `to`, skipping a tag on `to` itself and tags of other branches", async () => {
    const repo = new GitRepo();
    repo.commit("chore: one");
    repo.tag("v1.2.0");
    repo.tag("nightly-2026-03-01");
    const second = repo.commit("fix: two");
    repo.tag("v1.10.0");
    repo.git("checkout", "--quiet", "-b", "release/9");
    repo.commit("fix: on another branch");
    repo.tag("v9.0.0");
    repo.git("checkout", "--quiet", "main");
    const third = repo.commit("fix: three");
    repo.tag("v1.11.0");
    const git = new Git(repo.dir);
    // Re-running on the release tag itself: the range is since the previous one.
    expect(await resolveGitRange(git, { to: "v1.11.0", tagPrefix: "v" })).toMatchObject({
      fromTag: "v1.10.0",
      fromSha: second,
      toSha: third,
    });
    expect(await resolveGitRange(git, { to: second, tagPrefix: "v" })).toMatchObject({ fromTag: "v1.2.0" });
  });

  it("lists all history, from 0.0.0, when there is no earlier tag", async () => {
    const repo = new GitRepo();
    repo.commit("feat: first screen");
    repo.commit("fix: first bug");
    const result = await runReleaseNotes(settingsFor(repo.dir), deps());
    expect(result.range.fromTag).toBeUndefined();
    expect(result.version).toBe("0.1.0");
    expect(result.previousVersion).toBe("");
    expect(result.outputs.commits).toBe("2");
    expect(result.summary).toContain("none (no earlier tag: all history)");
  });

  it("refuses an unknown tag, a `from` that is not an ancestor of `to`, and a version not above `from`, each in one line naming the input", async () => {
    const repo = new GitRepo();
    repo.commit("chore: one");
    repo.tag("v1.0.0");
    repo.git("checkout", "--quiet", "-b", "side");
    repo.commit("fix: side");
    repo.tag("v1.0.1");
    repo.git("checkout", "--quiet", "main");
    repo.commit("fix: main");
    const failure = (values: Record<string, string>) => runReleaseNotes(settingsFor(repo.dir, values), deps()).catch((error) => error);

    const unknown = await failure({ from: "v7.7.7" });
    expect(unknown).toBeInstanceOf(ConfigurationError);
    expect(unknown.message).toBe(`Input 'from' got "v7.7.7"; there is no such tag in this repository.`);
    expect((await failure({ from: "v1.0.1" })).message).toMatch(
      /^Input 'from': tag 'v1\.0\.1' \([0-9a-f]{7}\) is not an ancestor of 'HEAD' \([0-9a-f]{7}\)\.$/,
    );
    expect((await failure({ version: "1.0.0" })).message).toBe(
      `Input 'version' got "1.0.0"; it must be greater than 1.0.0, the version of v1.0.0.`,
    );
    expect((await failure({ version: "next" })).message).toBe(`Input 'version' got "next"; expected a SemVer version such as 1.4.0.`);
    expect((await failure({ to: "no-such-branch" })).message).toBe(
      `Input 'to' got "no-such-branch", which names no commit or tag in this repository.`,
    );
  });

  it("says plainly when the workspace is not a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rn-not-git-"));
    await expect(runReleaseNotes(settingsFor(dir), deps())).rejects.toThrow(`Input 'source' is git, but ${dir} is not a git repository.`);
  });
});
