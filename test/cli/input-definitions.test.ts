import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, type Option } from "commander";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SUMMARY_FLAG } from "../../src/cli/program.js";
import { registerEcs } from "../../src/ecs/cli.js";
import { ECS_INPUTS, readEcsSettings } from "../../src/ecs/settings.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { registerVerify } from "../../src/verify/cli.js";
import { readVerifySettings, VERIFY_INPUTS } from "../../src/verify/settings.js";
import { REPO_ROOT } from "../harness/run-bundle.js";

interface Definition {
  description?: string;
  required?: boolean;
  default?: string;
}

/** The action's inputs as its action.yml says, read with a YAML parser (not the generated module under test). */
function actionYml(action: string): Record<string, Definition> {
  return parse(readFileSync(join(REPO_ROOT, "actions", action, "action.yml"), "utf8")).inputs;
}

function subcommand(register: (program: Command) => void, name: string): Command {
  const program = new Command("launchpad");
  register(program);
  const command = program.commands.find((candidate) => candidate.name() === name);
  if (!command) throw new Error(`no ${name} command`);
  return command;
}

const CASES = [
  {
    action: "verify",
    register: registerVerify,
    constants: VERIFY_INPUTS,
    read: (values: Record<string, string>) => readVerifySettings(new Inputs(mapInputSource(values))),
    required: { url: "https://staging.blockbuilders.app" },
  },
  {
    action: "ecs-blue-green",
    register: registerEcs,
    constants: ECS_INPUTS,
    read: (values: Record<string, string>) => readEcsSettings(new Inputs(mapInputSource(values))),
    required: { cluster: "prod", service: "api", "container-name": "api", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1" },
  },
] as const;

describe.each(CASES)("the $action inputs, defined once in action.yml", ({ action, register, constants, read, required }) => {
  const inputs = actionYml(action);
  const names = Object.keys(inputs).sort();
  const command = subcommand(register, action);
  const flags = new Map((command.options as Option[]).map((option) => [option.long?.replace(/^--/, "") ?? "", option]));

  it("has one settings-reader name constant per input, and no other", () => {
    expect(Object.values(constants).sort()).toEqual(names);
  });

  it("has one CLI flag per input, named like it, plus only --summary", () => {
    expect([...flags.keys()].sort()).toEqual([...names, SUMMARY_FLAG].sort());
  });

  it("gives each flag the input's description, default and required-ness", () => {
    for (const name of names) {
      const option = flags.get(name)!;
      const input = inputs[name];
      expect(option.description, name).toBe((input.description ?? "").trim().replace(/\s+/g, " "));
      expect(option.defaultValue, name).toBe(input.default === "" ? undefined : input.default);
      expect(option.mandatory, name).toBe(Boolean(input.required) && input.default === undefined);
    }
  });

  it("reads the same settings from unset inputs as from action.yml's defaults", () => {
    const defaults = Object.fromEntries(
      names.filter((name) => inputs[name].default !== undefined).map((name) => [name, String(inputs[name].default)]),
    );
    expect(read(required)).toEqual(read({ ...defaults, ...required }));
  });
});
