import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { Inputs } from "../lib/inputs.js";
import { runSeed, SEED_COMMANDS } from "./seed.js";
import { DEFAULT_DATADOG_SITE, DEFAULT_MANIFESTS, DEFAULT_MIGRATIONS, readSeedSettings, SEED_INPUTS } from "./settings.js";

/** `launchpad seed <command>`: the seed action's core, with flags named like its inputs. */
export function registerSeed(program: Command): void {
  program
    .command("seed")
    .description("Seed reference data from YAML manifests: lint, plan, apply, verify, rollback --run <id>, history")
    .argument("<command>", SEED_COMMANDS.join(" | "))
    .option("--workspace <dir>", "the consumer repository; paths below are relative to it", ".")
    .option(`--${SEED_INPUTS.manifests} <dir>`, "folder of YAML manifests", DEFAULT_MANIFESTS)
    .option(`--${SEED_INPUTS.databaseUrl} <url>`, "postgres:// URL; default: the embedded PGlite data dir .launchpad/pglite")
    .option(`--${SEED_INPUTS.env} <name>`, "environment name recorded with the run", "local")
    .option(`--${SEED_INPUTS.runId} <id>`, "apply: the id to record; rollback: the run to roll back to")
    .option("--run <id>", "rollback: the run to roll back to (same as --run-id)")
    .option(`--${SEED_INPUTS.migrations} <dir>`, "folder of .sql migrations, applied first", DEFAULT_MIGRATIONS)
    .option(`--${SEED_INPUTS.operator} <name>`, "who runs this, recorded with the run (default: $USER)")
    .option(`--${SEED_INPUTS.lockTimeout} <duration>`, "how long to wait for another seed run", "60s")
    .option(`--${SEED_INPUTS.approvalRecord} <file>`, "production apply/rollback of requires-approval manifests: the approval record")
    .option(`--${SEED_INPUTS.datadogApiKey} <key>`, "submit seed.last_success_timestamp to Datadog after success (default: $DD_API_KEY)")
    .option(`--${SEED_INPUTS.datadogSite} <site>`, "Datadog site", DEFAULT_DATADOG_SITE)
    .option("--summary <file>", "also write the markdown summary to this file")
    .action(
      cliAction(async (run, command) => {
        const flags = run.inputs;
        const inputs = new Inputs((name) => {
          if (name === SEED_INPUTS.command) return command.args[0];
          if (name === SEED_INPUTS.runId) return flags.raw("run") || flags.raw(SEED_INPUTS.runId);
          if (name === SEED_INPUTS.datadogApiKey) return flags.raw(name) || run.env.DD_API_KEY;
          return flags.raw(name);
        });
        run.secrets.add(flags.raw(SEED_INPUTS.databaseUrl));
        run.secrets.add(flags.raw(SEED_INPUTS.datadogApiKey) || run.env.DD_API_KEY);
        const workspace = resolve(flags.optional("workspace", "."));
        const settings = readSeedSettings(inputs, { workspace, actor: run.env.USER ?? "", sha: gitSha(workspace, run.env) });
        const result = await runSeed(settings, { logger: run.logger, secrets: run.secrets, env: run.env, signal: run.signal });
        run.saveReport(flags.optional("summary"), result.summary);
        run.print(result.summary);
        return result.ok ? 0 : 1;
      }),
    );
}

function gitSha(workspace: string, env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: workspace, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}
