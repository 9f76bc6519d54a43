import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approvalPreflight } from "../../src/approval/preflight.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { stepContext } from "../support/preflight-context.js";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
  HOME: tmpdir(),
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
}

/** A real repository with two commits; the first carries the annotated tag v1.0.0. */
function taggedRepo(): { root: string; tagged: string; head: string } {
  const root = mkdtempSync(join(tmpdir(), "launchpad-approval-git-"));
  git(root, "init", "-q", "-b", "main");
  writeFileSync(join(root, "a.txt"), "one");
  git(root, "add", ".");
  git(root, "commit", "-qm", "one");
  git(root, "tag", "-a", "v1.0.0", "-m", "release 1.0.0");
  const tagged = git(root, "rev-parse", "HEAD");
  writeFileSync(join(root, "a.txt"), "two");
  git(root, "commit", "-qam", "two");
  return { root, tagged, head: git(root, "rev-parse", "HEAD") };
}

function plan(root: string, ...args: string[]) {
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "approval-home-")) };
  return spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli/index.js"), "approval", "plan", root, ...args], {
    encoding: "utf8",
    env,
    timeout: 30_000,
  });
}

/** A promotion step's `with:` as the example's promote workflow gives it, once its variables are set. */
const PROMOTE_STEP = {
  environment: "production",
  approvers: "blockbuilders/release-managers\nblockbuilders/sre",
  "required-approvals": "2",
  "required-checks": "quality-gate,compliance",
  "change-ticket": "CHG-1",
};

function preflight(root: string, inputs: Record<string, string> = PROMOTE_STEP) {
  return approvalPreflight.run(stepContext(root, inputs).context);
}

describe("launchpad approval plan", () => {
  it("resolves the version tag with git and shows what the promotion would require", () => {
    const { root, tagged } = taggedRepo();
    const result = plan(
      root,
      "--tag",
      "v1.0.0",
      "--approvers",
      "alice",
      "blockbuilders/sre",
      "--required-approvals",
      "2",
      "--change-ticket",
      "CHG-7",
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`| commit | ${tagged} |`);
    expect(result.stdout).toContain(`| version | v1.0.0 → ${tagged} |`);
    expect(result.stdout).toContain("| approvals | 2 distinct of alice, blockbuilders/sre |");
    expect(result.stdout).toContain("| change ticket | CHG-7 |");
  });

  it("exits 2 naming the input for a tag git does not know, and for an empty approvers", () => {
    const { root } = taggedRepo();
    const missing = plan(root, "--tag", "v9", "--approvers", "alice", "--change-ticket", "CHG-7");
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(`launchpad: --tag got "v9", but the local repository has no such tag.`);
    const absent = plan(root, "--change-ticket", "CHG-7");
    expect(absent.status).toBe(2);
    expect(absent.stderr.trim()).toBe("launchpad: required option '--approvers <who...>' not specified");
    const empty = plan(root, "--approvers", " ", "--change-ticket", "CHG-7");
    expect(empty.status).toBe(2);
    expect(empty.stderr.trim()).toMatch(/^launchpad: --approvers is empty;/);
  });
});

describe("approval preflight", () => {
  it("plans the example's current commit from git, saying there is no tag rather than failing", async () => {
    const { root, head } = taggedRepo();
    const outcome = await preflight(root);
    expect(outcome.ok).toBe(true);
    expect(outcome.markdown).toContain(`| commit | ${head} |`);
    expect(outcome.markdown).toContain("| version | none given, and no tag points at HEAD: the commit itself would be promoted |");
    expect(outcome.headline).toBe(`2 approvals, 2 checks, staging for ${head.slice(0, 7)} (no tag)`);
  });

  it("passes on examples/blockbuilders inside this repository, with the commit git names", async () => {
    const root = join(REPO_ROOT, "examples/blockbuilders");
    const outcome = await preflight(root);
    expect(outcome.ok).toBe(true);
    expect(outcome.markdown).toContain(`| commit | ${git(root, "rev-parse", "HEAD")} |`);
  });

  it("lists the step as skipped, not failed, when its approvers evaluate to empty (a variable not set locally)", async () => {
    const { root } = taggedRepo();
    const outcome = await preflight(root, { ...PROMOTE_STEP, approvers: "" });
    expect(outcome).toMatchObject({ ok: true, skipped: true, headline: "'approvers' evaluates to empty here" });
  });

  it("passes outside a git checkout and says the run's commit would be promoted", async () => {
    const outcome = await preflight(mkdtempSync(join(tmpdir(), "launchpad-not-git-")));
    expect(outcome.ok).toBe(true);
    expect(outcome.markdown).toContain("| commit | not a git checkout: the run's GITHUB_SHA would be promoted |");
  });
});
