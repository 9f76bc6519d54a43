import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, type Option } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { registerApproval } from "../../src/approval/cli.js";
import { INPUTS as APPROVAL_INPUTS, readApprovalSettings } from "../../src/approval/settings.js";
import { SUMMARY_FLAG } from "../../src/cli/program.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { registerSeed } from "../../src/seed/cli.js";
import { SEED_COMMANDS } from "../../src/seed/seed.js";
import { readSeedSettings, SEED_INPUTS } from "../../src/seed/settings.js";
import { registerVercel } from "../../src/vercel/cli.js";
import { readVercelSettings, INPUTS as VERCEL_INPUTS } from "../../src/vercel/settings.js";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { actionYml, type Definition } from "./action-yml.js";

afterAll(removeExampleCopies);

/** The command at `path` (`["seed", "lint"]`) of a program that registered only it. */
function command(register: (program: Command) => void, path: string[]): Command {
  let current = new Command("launchpad");
  register(current);
  for (const name of path) {
    const next = current.commands.find((candidate) => candidate.name() === name);
    if (!next) throw new Error(`no ${path.join(" ")} command`);
    current = next;
  }
  return current;
}

function flagsOf(target: Command): Map<string, Option> {
  return new Map((target.options as Option[]).map((option) => [option.long?.replace(/^--/, "") ?? "", option]));
}

/** A default a CLI can use: a workflow expression (`${{ github.token }}`) or an empty one means none. */
function cliDefault(input: Definition): string | undefined {
  return input.default === "" || input.default?.includes("${{") ? undefined : input.default;
}

/** Each flag named like an input carries the input's description, default and required-ness, as action.yml says. */
function expectLikeActionYml(flags: Map<string, Option>, inputs: Record<string, Definition>, names: string[]): void {
  for (const name of names) {
    const option = flags.get(name);
    expect(option, `--${name}`).toBeDefined();
    const input = inputs[name];
    expect(option!.description, name).toBe((input.description ?? "").trim().replace(/\s+/g, " "));
    expect(option!.defaultValue, name).toBe(cliDefault(input));
    expect(option!.mandatory, name).toBe(Boolean(input.required) && input.default === undefined);
  }
}

/** action.yml's defaults a reader would see from a runner (expressions are the runner's to fill in). */
function literalDefaults(inputs: Record<string, Definition>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([, input]) => cliDefault(input) !== undefined)
      .map(([name, input]) => [name, String(input.default)]),
  );
}

describe("the vercel-deploy inputs, defined once in action.yml", () => {
  const inputs = actionYml("vercel-deploy");
  const names = Object.keys(inputs).sort();
  const flags = flagsOf(command(registerVercel, ["vercel-deploy"]));

  it("has one settings-reader name constant per input, and no other", () => {
    expect(Object.values(VERCEL_INPUTS).sort()).toEqual(names);
  });

  it("has one CLI flag per input, named like it, plus only --summary", () => {
    expect([...flags.keys()].sort()).toEqual([...names, SUMMARY_FLAG].sort());
    expectLikeActionYml(flags, inputs, names);
  });

  it("takes the tokens from the environment when their flags are not given", () => {
    expect(flags.get(VERCEL_INPUTS.token)?.envVar).toBe("VERCEL_TOKEN");
    expect(flags.get(VERCEL_INPUTS.githubToken)?.envVar).toBe("GITHUB_TOKEN");
  });

  it("reads the same settings from unset inputs as from action.yml's defaults", () => {
    // An empty workspace: the reader checks `path` is a folder; the Build Output is checked when deploying.
    const workspace = mkdtempSync(join(tmpdir(), "vercel-defaults-"));
    try {
      const required = { token: "vct_x", "project-id": "prj_web" };
      const read = (values: Record<string, string>) => readVercelSettings(new Inputs(mapInputSource(values)), workspace);
      expect(read(required)).toEqual(read({ ...literalDefaults(inputs), ...required }));
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe("the seed inputs, defined once in action.yml", () => {
  const inputs = actionYml("seed");
  const names = Object.keys(inputs).sort();
  const seed = command(registerSeed, ["seed"]);

  it("has one settings-reader name constant per input, and no other", () => {
    expect(Object.values(SEED_INPUTS).sort()).toEqual(names);
  });

  it("has one subcommand per command input value, and each flag of theirs is an input as action.yml defines it", () => {
    expect(seed.commands.map((sub) => sub.name()).sort()).toEqual([...SEED_COMMANDS].sort());
    const own = new Set(["workspace", SUMMARY_FLAG]);
    const seen = new Set<string>();
    for (const sub of seed.commands) {
      const flags = flagsOf(sub);
      const named = [...flags.keys()].filter((flag) => !own.has(flag));
      for (const flag of named) seen.add(flag);
      expect(
        named.every((flag) => flag in inputs),
        sub.name(),
      ).toBe(true);
      expectLikeActionYml(flags, inputs, named);
    }
    // Every input is a flag of some subcommand, except `command`, which is the subcommand itself.
    expect([...seen].sort()).toEqual(names.filter((name) => name !== SEED_INPUTS.command));
  });

  it("spells the run id one way: --run-id, on apply and rollback only", () => {
    const withRunId = seed.commands.filter((sub) => flagsOf(sub).has(SEED_INPUTS.runId)).map((sub) => sub.name());
    expect(withRunId.sort()).toEqual(["apply", "rollback"]);
    for (const sub of seed.commands) expect(flagsOf(sub).has("run"), sub.name()).toBe(false);
  });

  it("reads the same settings from unset inputs as from action.yml's defaults", () => {
    const workspace = copyExample();
    const context = { workspace, actor: "octocat", sha: "abc123", runId: "7", runAttempt: "1" };
    const read = (values: Record<string, string>) => readSeedSettings(new Inputs(mapInputSource(values)), context);
    expect(read({})).toEqual(read(literalDefaults(inputs)));
  });
});

describe("the approval inputs, defined once in action.yml", () => {
  const inputs = actionYml("approval");
  const names = Object.keys(inputs).sort();
  const flags = flagsOf(command(registerApproval, ["approval", "plan"]));

  it("has one settings-reader name constant per input, and no other", () => {
    expect(Object.values(APPROVAL_INPUTS).sort()).toEqual(names);
  });

  it("gives plan one flag per input it reads (version spelled --tag, no token: git only), as action.yml defines them", () => {
    const planned = names.filter((name) => name !== APPROVAL_INPUTS.version && name !== APPROVAL_INPUTS.githubToken);
    expect([...flags.keys()].sort()).toEqual([...planned, "tag"].sort());
    expectLikeActionYml(flags, inputs, planned);
    expect(flags.get("tag")?.description).toBe((inputs.version.description ?? "").trim());
  });

  it("reads the same settings from unset inputs as from action.yml's defaults", () => {
    const required = { approvers: "alice", "change-ticket": "CHG-1" };
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const read = (values: Record<string, string>) => readApprovalSettings(new Inputs(mapInputSource(values)), sha);
    expect(read(required)).toEqual(read({ ...literalDefaults(inputs), ...required }));
  });
});

describe("boolean flags, shown one way", () => {
  it("names every boolean input's value <boolean> in vercel-deploy and approval plan", () => {
    const booleans = [
      ...(command(registerVercel, ["vercel-deploy"]).options as Option[]),
      ...(command(registerApproval, ["approval", "plan"]).options as Option[]),
    ].filter((option) => /^(true|false)$/.test(String(option.defaultValue)));
    expect(booleans.length).toBeGreaterThanOrEqual(5);
    for (const option of booleans) expect(option.flags, option.long).toMatch(/ <boolean>$/);
  });
});
