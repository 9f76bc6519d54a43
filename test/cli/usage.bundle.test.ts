import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../harness/run-bundle.js";

const CLI = join(REPO_ROOT, "dist/cli/index.js");

function launchpad(args: string[]) {
  const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "usage-home-")), NO_COLOR: "1" };
  return spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000, env });
}

/** A usage mistake: exit 2, nothing on stdout, exactly one `launchpad: …` line on stderr. */
function expectUsageMistake(args: string[], line: string | RegExp): void {
  const result = launchpad(args);
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  if (typeof line === "string") expect(result.stderr.trim()).toBe(line);
  else expect(result.stderr.trim()).toMatch(line);
}

describe("launchpad usage mistakes", () => {
  it("exits 2 with one line for an unknown command", () => {
    expectUsageMistake(["deploy"], "launchpad: unknown command 'deploy'");
  });

  it("exits 2 with one line naming an unknown flag as typed", () => {
    expectUsageMistake(
      ["verify", "--url", "http://127.0.0.1:9", "--tls-min-day", "5"],
      "launchpad: unknown option '--tls-min-day' (Did you mean --tls-min-days?)",
    );
  });

  it("exits 2 with one line naming a missing required flag and a flag without its value", () => {
    expectUsageMistake(["verify"], "launchpad: required option '--url <url>' not specified");
    expectUsageMistake(["verify", "--url"], "launchpad: option '--url <url>' argument missing");
    expectUsageMistake(
      ["ecs-blue-green", "--cluster", "prod", "--service", "api"],
      /^launchpad: required option '--container-name <name>'/,
    );
  });

  it("names the flag as typed, not the action input, when a value is bad", () => {
    expectUsageMistake(
      ["verify", "--url", "http://127.0.0.1:9", "--tls-min-days=-5"],
      `launchpad: --tls-min-days got "-5"; expected a whole number from 0 to 3650.`,
    );
    expectUsageMistake(
      [
        "ecs-blue-green",
        "--cluster",
        "prod",
        "--service",
        "api",
        "--container-name",
        "api",
        "--image",
        "x/api:1",
        "--hooks",
        "Whenever=fn",
      ],
      /^launchpad: --hooks names the event "Whenever"; allowed: BeforeInstall,/,
    );
  });
});

/** The subcommands a help page lists under `Commands:` (help itself excluded). */
function listedCommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? "";
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((match) => match[1]).filter((name) => name !== "help");
}

describe("launchpad --help", () => {
  it("shows each command's and subcommand's own usage and flags, exit 0", () => {
    const seen: string[] = [];
    const visit = (path: string[]) => {
      const result = launchpad([...path, "--help"]);
      expect(result.status, `${path.join(" ")} --help`).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: ${["launchpad", ...path].join(" ")} `));
      seen.push(path.join(" "));
      for (const name of listedCommands(result.stdout)) visit([...path, name]);
    };
    visit([]);
    expect(seen).toEqual(expect.arrayContaining(["", "verify", "ecs-blue-green", "preflight"]));
  });

  it("derives verify's flag help and defaults from action.yml", () => {
    const metadata = parse(readFileSync(join(REPO_ROOT, "actions/verify/action.yml"), "utf8"));
    const help = launchpad(["verify", "--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toContain(`--retry-delay <duration> ${metadata.inputs["retry-delay"].description} (default: "1s")`);
  });
});

describe("the Node minimum", () => {
  const engines = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).engines.node as string;
  const minimum = Number(/^>=(\d+)$/.exec(engines)?.[1]);

  /** Runs bin/launchpad with a stand-in `node` first on PATH that reports `version`. */
  function binWith(version: string) {
    const dir = mkdtempSync(join(tmpdir(), "fake-node-"));
    const major = version.replace(/^v/, "").split(".")[0];
    writeFileSync(
      join(dir, "node"),
      `#!/bin/sh\nif [ "$1" = "-p" ]; then echo ${major}; elif [ "$1" = "--version" ]; then echo ${version}; else echo ran; fi\n`,
    );
    chmodSync(join(dir, "node"), 0o755);
    return spawnSync(join(REPO_ROOT, "bin/launchpad"), ["--version"], { encoding: "utf8", env: { PATH: `${dir}:/usr/bin:/bin` } });
  }

  it("is stated once as package.json engines, and README and the root action.yml say the same", () => {
    expect(minimum).toBeGreaterThan(0);
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8"));
    expect(action.description).toContain(`Needs Node ${minimum} or newer on PATH`);
    expect(readme).toContain(`The CLI\nneeds Node ${minimum} or newer`);
    expect(readFileSync(join(REPO_ROOT, "bin/launchpad"), "utf8")).toContain(`-lt ${minimum} ]`);
  });

  it("is checked by bin/launchpad: one below refuses with exit 2 and one line, the minimum runs", () => {
    const old = binWith(`v${minimum - 1}.9.0`);
    expect(old.status).toBe(2);
    expect(old.stderr.trim()).toBe(
      `launchpad: needs Node ${minimum} or newer on PATH (found v${minimum - 1}.9.0); add actions/setup-node before this step.`,
    );
    const current = binWith(`v${minimum}.0.0`);
    expect(current.status).toBe(0);
    expect(current.stdout.trim()).toBe("ran");
  });
});
