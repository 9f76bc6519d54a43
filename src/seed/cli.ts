import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Command } from "commander";
import { addSomeInputOptions, addSummaryOption, type CliRun, cliAction, SUMMARY_FLAG } from "../cli/program.js";
import type { InputName } from "../lib/action-inputs.js";
import { Inputs } from "../lib/inputs.js";
import { runSeed, type SeedCommand } from "./seed.js";
import { readSeedSettings, SEED_INPUTS } from "./settings.js";

/** The CLI's own flag: the consumer repository the action's paths are relative to (the runner's workspace). */
const WORKSPACE_FLAG = "workspace";

type SeedFlag = Exclude<InputName<"seed">, "command">;

/** Every seed input but `command` (the subcommand), with its value's placeholder: an input added to action.yml fails the typecheck here. */
const PLACEHOLDERS: Record<SeedFlag, string> = {
  manifests: "<dir>",
  "database-url": "<url>",
  env: "<name>",
  "run-id": "<id>",
  migrations: "<dir>",
  operator: "<name>",
  "lock-timeout": "<duration>",
  "approval-record": "<file>",
  "datadog-api-key": "<key>",
  "datadog-site": "<site>",
};

const DATABASE: SeedFlag[] = ["database-url", "lock-timeout"];

/** Each subcommand with the inputs it reads: `seed lint --help` lists lint's flags, not the whole of seed's. */
const SUBCOMMANDS: Record<SeedCommand, { description: string; flags: SeedFlag[] }> = {
  lint: { description: "Check the manifests against their schemas and each other, without a database", flags: ["manifests"] },
  plan: {
    description: "Show what apply would insert, update and delete (migrations run in a transaction that is rolled back)",
    flags: ["manifests", "env", "migrations", ...DATABASE],
  },
  apply: {
    description: "Apply migrations and upsert the manifests in one transaction, recorded as a run",
    flags: ["manifests", "env", "migrations", ...DATABASE, "run-id", "operator", "approval-record", "datadog-api-key", "datadog-site"],
  },
  verify: {
    description: "Compare the database with the manifests; exit 1 on drift",
    flags: ["manifests", "env", "migrations", ...DATABASE, "datadog-api-key", "datadog-site"],
  },
  rollback: {
    description: "Replay a past run's manifests (--run-id) and prune what was seeded after it",
    flags: ["run-id", "env", ...DATABASE, "operator", "approval-record"],
  },
  history: { description: "List the recorded seed runs", flags: DATABASE },
};

/** `launchpad seed <command>`: the seed action's core, one subcommand per `command`, flags named like its inputs. */
export function registerSeed(program: Command): void {
  const seed = program.command("seed").description("Seed reference data from YAML manifests: lint, plan, apply, verify, rollback, history");
  for (const [name, { description, flags }] of Object.entries(SUBCOMMANDS) as Array<[SeedCommand, (typeof SUBCOMMANDS)[SeedCommand]]>) {
    const command = seed
      .command(name)
      .description(description)
      .option(`--${WORKSPACE_FLAG} <dir>`, "the consumer repository; paths below are relative to it", ".");
    addSomeInputOptions(command, "seed", Object.fromEntries(flags.map((flag) => [flag, PLACEHOLDERS[flag]])), {
      fromEnv: { "datadog-api-key": "DD_API_KEY" },
    });
    addSummaryOption(command).action(cliAction((run) => runSeedCommand(name, run)));
  }
}

async function runSeedCommand(name: SeedCommand, run: CliRun): Promise<number> {
  const flags = run.inputs;
  const inputs = new Inputs((input) => (input === SEED_INPUTS.command ? name : flags.raw(input)));
  run.secrets.add(flags.raw(SEED_INPUTS.databaseUrl));
  run.secrets.add(flags.raw(SEED_INPUTS.datadogApiKey));
  const workspace = resolve(flags.optional(WORKSPACE_FLAG, "."));
  const settings = readSeedSettings(inputs, { workspace, actor: run.env.USER ?? "", sha: gitSha(workspace, run.env) });
  const result = await runSeed(settings, { logger: run.logger, secrets: run.secrets, env: run.env, signal: run.signal });
  run.saveReport(flags.optional(SUMMARY_FLAG), result.summary);
  run.print(result.summary);
  return result.ok ? 0 : 1;
}

function gitSha(workspace: string, env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: workspace, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}
