import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { GOOD_BODY, RULES } from "./world.js";

const CLI = join(REPO_ROOT, "dist/cli/index.js");

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A real repository: `main` holds the rules and an old page, the feature branch changes it. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-compliance-git-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" } });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "dev@blockbuilders.test");
  git("config", "user.name", "Dev");
  write(root, {
    ".github/compliance.yml": RULES,
    "content/pricing.md": "# Pricing\n\nCapital at risk.\nOld claim: guaranteed returns.\n",
    "PR.md": GOOD_BODY,
  });
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-q", "-b", "feature");
  write(root, {
    "content/pricing.md": "# Pricing\n\nCapital at risk.\nOld claim: guaranteed returns.\nNew: guaranteed return on day one.\n",
  });
  git("commit", "-qam", "committed change");
  // Uncommitted and untracked changes are part of the PR-to-be too.
  write(root, { "content/promo.md": "# Promo\n\nRisk-free and fun.\n" });
  return root;
}

function launchpad(args: string[], cwd: string) {
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "compliance-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 60_000, env });
}

describe("launchpad compliance (local mode: git diff, no API)", () => {
  it("judges the body file and the lines added since the base, committed or not", () => {
    const root = repository();
    const result = launchpad(["compliance", "--body-file", "PR.md", "--base", "main"], root);

    expect(result.stderr).toContain('error: content/pricing.md:5: Added line matches the forbidden "/guaranteed returns?/i"');
    expect(result.stderr).not.toContain("content/pricing.md:4");
    expect(result.stderr).toContain('error: content/promo.md:1: content/promo.md must contain "Capital at risk"');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "| disclosure | forbid /guaranteed returns?/i in content/**/*.md | ❌ violated | on content/pricing.md:5 |",
    );
    expect(result.stdout).toContain(
      "| disclosure | require Capital at risk in content/**/*.md | ❌ violated | missing in content/promo.md |",
    );
    expect(result.stdout).toContain("| checklist | Risk disclosure reviewed | ✅ met | ticked |");
  });

  it("passes once the offending lines are gone, and names a bad flag in one line", () => {
    const root = repository();
    write(root, {
      "content/pricing.md": "# Pricing\n\nCapital at risk.\nOld claim: guaranteed returns.\n",
      "content/promo.md": "Capital at risk.\n",
    });
    const passing = launchpad(["compliance", "--body-file", "PR.md"], root);
    expect(passing.stderr).not.toContain("error:");
    expect(passing.status).toBe(0);

    const badBase = launchpad(["compliance", "--body-file", "PR.md", "--base", "no-such-branch"], root);
    expect(badBase.status).toBe(2);
    expect(badBase.stderr.trim()).toBe(
      "launchpad: --base: 'no-such-branch' is not a commit or branch of this repository (try main, origin/main or a SHA).",
    );
  });
});
