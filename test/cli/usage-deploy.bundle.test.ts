import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { copyExample, removeExampleCopies } from "../support/example.js";

afterAll(removeExampleCopies);

const CLI = join(REPO_ROOT, "dist/cli/index.js");

function launchpad(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT) {
  const base = { PATH: process.env.PATH ?? "", HOME: mkdtempSync(join(tmpdir(), "usage-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 60_000, env: { ...base, ...env } });
}

/** A usage mistake: exit 2, nothing on stdout, exactly this one `launchpad: …` line on stderr. */
function expectUsageMistake(result: ReturnType<typeof launchpad>, line: string): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd()).toBe(line);
}

/** The long flags a help text lists. */
function helpFlags(text: string): string[] {
  return [...text.matchAll(/^\s+(--[a-z-]+)/gm)].map((match) => match[1]);
}

describe("launchpad seed subcommands", () => {
  it("seed lint --help lists lint's own flags, not the database's", () => {
    const help = launchpad(["seed", "lint", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: launchpad seed lint \[options\]/);
    expect(helpFlags(help.stdout)).toEqual(["--workspace", "--manifests", "--summary"]);
    const history = launchpad(["seed", "history", "--help"]);
    expect(helpFlags(history.stdout)).toEqual(["--workspace", "--database-url", "--lock-timeout", "--summary"]);
  });

  it("spells the run id --run-id only: --run is an unknown flag with a suggestion", () => {
    expectUsageMistake(launchpad(["seed", "rollback", "--run", "cli-1"]), "launchpad: unknown option '--run' (Did you mean --run-id?)");
  });

  it("exits 2 for an unknown or missing seed command, and for a flag another command takes", () => {
    expectUsageMistake(launchpad(["seed", "deploy"]), "launchpad: unknown command 'deploy' (Did you mean apply?)");
    expect(launchpad(["seed"]).status).toBe(2);
    expectUsageMistake(launchpad(["seed", "lint", "--database-url", "postgres://x"]), "launchpad: unknown option '--database-url'");
  });

  it("names the flag as typed for a bad path or an out-of-range duration, before opening a database", () => {
    const workspace = copyExample();
    expectUsageMistake(
      launchpad(["seed", "plan", "--workspace", workspace, "--migrations", "infrastructure/seed-data/plans.yaml"]),
      `launchpad: --migrations got "infrastructure/seed-data/plans.yaml": the path is a file; expected a folder.`,
    );
    expectUsageMistake(
      launchpad(["seed", "apply", "--workspace", workspace, "--lock-timeout", "2h"]),
      `launchpad: --lock-timeout got "2h"; expected a duration from 0s to 1h.`,
    );
    expectUsageMistake(
      launchpad(["seed", "rollback", "--workspace", workspace]),
      "launchpad: --run-id is required for rollback: give the run to roll back to (see the history command).",
    );
  });
});

describe("launchpad vercel-deploy and approval plan flags", () => {
  it("shows boolean flags as <boolean>, the tokens' environment variables, and no workflow expression as a default", () => {
    const help = launchpad(["vercel-deploy", "--help"]);
    expect(help.status).toBe(0);
    for (const flag of ["--prebuilt", "--github-deployment", "--github-comment"]) expect(help.stdout).toContain(`${flag} <boolean>`);
    expect(help.stdout).toContain("(env: VERCEL_TOKEN)");
    expect(help.stdout).not.toContain("<bool>");
    expect(help.stdout).not.toContain("${{");
    const plan = launchpad(["approval", "plan", "--help"]);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain("--allow-self-approval <boolean>");
    expect(plan.stdout).toContain("--require-staging <boolean>");
  });

  it("blames --path, not --output-dir, for a path that is a file, before any request", () => {
    expectUsageMistake(
      launchpad(["vercel-deploy", "--project-id", "prj_web", "--api-url", "http://127.0.0.1:9", "--path", "package.json"], {
        VERCEL_TOKEN: "vct_x",
      }),
      `launchpad: --path got "package.json": the path is a file; expected a folder.`,
    );
  });

  it("refuses a path outside the working directory, the CLI's workspace", () => {
    expectUsageMistake(
      launchpad(["vercel-deploy", "--project-id", "prj_web", "--path", ".."], { VERCEL_TOKEN: "vct_x" }),
      `launchpad: --path got "..": the path leaves the workspace; give a path inside it, relative to the workspace.`,
    );
  });
});
