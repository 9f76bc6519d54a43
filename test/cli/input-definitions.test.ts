import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, type Option } from "commander";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SUMMARY_FLAG } from "../../src/cli/program.js";
import { registerCompliance } from "../../src/compliance/cli.js";
import { INPUTS as COMPLIANCE_INPUTS, LOCAL_FLAGS, readComplianceSettings } from "../../src/compliance/settings.js";
import { registerEcs } from "../../src/ecs/cli.js";
import { ECS_INPUTS, readEcsSettings } from "../../src/ecs/settings.js";
import { registerGate } from "../../src/gate/cli.js";
import { INPUTS as GATE_INPUTS, readGateSettings } from "../../src/gate/settings.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { OUTPUT_DIR_FLAG, registerReleaseNotes } from "../../src/release-notes/cli.js";
import { INPUTS as RELEASE_NOTES_INPUTS, readReleaseNotesSettings } from "../../src/release-notes/settings.js";
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

/** A workspace holding the files the readers check (compliance's rules file must exist). */
const workspace = mkdtempSync(join(tmpdir(), "launchpad-input-definitions-"));
mkdirSync(join(workspace, ".github"));
writeFileSync(join(workspace, ".github/compliance.yml"), "checklist: []\n");

interface Case {
  action: string;
  register: (program: Command) => void;
  constants: Record<string, string>;
  read: (values: Record<string, string>) => unknown;
  required: Record<string, string>;
  /** The command's own flags, beside the inputs. */
  ownFlags: string[];
  /** Inputs that are no flag on this command (given as its argument, or meaningless without the API). */
  notFlags?: string[];
  /** Where the terminal's default differs from the runner's, on purpose. */
  localDefaults?: Record<string, string>;
}

const CASES: Case[] = [
  {
    action: "verify",
    register: registerVerify,
    constants: VERIFY_INPUTS,
    read: (values) => readVerifySettings(new Inputs(mapInputSource(values))),
    required: { url: "https://staging.blockbuilders.app" },
    ownFlags: [SUMMARY_FLAG],
  },
  {
    action: "ecs-blue-green",
    register: registerEcs,
    constants: ECS_INPUTS,
    read: (values) => readEcsSettings(new Inputs(mapInputSource(values))),
    required: { cluster: "prod", service: "api", "container-name": "api", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1" },
    ownFlags: [SUMMARY_FLAG],
  },
  {
    action: "gate",
    register: registerGate,
    constants: GATE_INPUTS,
    read: (values) => readGateSettings(new Inputs(mapInputSource(values)), { workspace }),
    required: { junit: "reports/*.xml" },
    ownFlags: [SUMMARY_FLAG],
  },
  {
    action: "compliance",
    register: registerCompliance,
    constants: COMPLIANCE_INPUTS,
    read: (values) => readComplianceSettings(new Inputs(mapInputSource(values)), { workspace }),
    required: {},
    ownFlags: [LOCAL_FLAGS.bodyFile, LOCAL_FLAGS.base, SUMMARY_FLAG],
    notFlags: ["github-token", "comment"],
  },
  {
    action: "release-notes",
    register: registerReleaseNotes,
    constants: RELEASE_NOTES_INPUTS,
    read: (values) => readReleaseNotesSettings(new Inputs(mapInputSource(values)), { workspace, actor: "octocat", sha: "HEAD" }),
    required: {},
    ownFlags: [OUTPUT_DIR_FLAG],
    notFlags: ["version"],
    localDefaults: { source: "git" },
  },
];

/** A workflow expression (`${{ github.token }}`) is the runner's to fill; a terminal has no flag default for it. */
function flagDefault(input: Definition, local?: string): string | undefined {
  const fallback = local ?? input.default;
  return fallback === "" || fallback === undefined || String(fallback).includes("${{") ? undefined : String(fallback);
}

describe.each(CASES)("the $action inputs, defined once in action.yml", (testCase) => {
  const { action, register, constants, read, required, ownFlags, notFlags = [], localDefaults = {} } = testCase;
  const inputs = actionYml(action);
  const names = Object.keys(inputs).sort();
  const command = subcommand(register, action);
  const flags = new Map((command.options as Option[]).map((option) => [option.long?.replace(/^--/, "") ?? "", option]));

  it("has one settings-reader name constant per input, and no other", () => {
    expect(Object.values(constants).sort()).toEqual(names);
  });

  it("has one CLI flag per input, named like it, plus only the command's own flags", () => {
    const flagged = names.filter((name) => !notFlags.includes(name));
    expect([...flags.keys()].sort()).toEqual([...flagged, ...ownFlags].sort());
    for (const name of [...notFlags, ...Object.keys(localDefaults)]) expect(names, name).toContain(name);
  });

  it("gives each flag the input's description, default and required-ness", () => {
    for (const name of names.filter((input) => !notFlags.includes(input))) {
      const option = flags.get(name)!;
      const input = inputs[name];
      expect(option.description, name).toBe((input.description ?? "").trim().replace(/\s+/g, " "));
      expect(option.defaultValue, name).toBe(flagDefault(input, localDefaults[name]));
      expect(option.mandatory, name).toBe(Boolean(input.required) && input.default === undefined);
    }
  });

  it("reads the same settings from unset inputs as from action.yml's defaults (expressions are the runner's)", () => {
    const defaults = Object.fromEntries(
      names.filter((name) => flagDefault(inputs[name]) !== undefined).map((name) => [name, String(inputs[name].default)]),
    );
    expect(read(required)).toEqual(read({ ...defaults, ...required }));
  });
});
