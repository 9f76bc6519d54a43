import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exec } from "@actions/exec";
import { CancelledError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import type { CommandResult, GateCommand } from "./model.js";

const TAIL_LINES = 20;
const KILL_GRACE_MS = 5_000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export interface CommandDeps {
  logger: Logger;
  signal?: AbortSignal;
  /** The environment commands see; INPUT_* variables are removed so the token input does not leak into them. */
  env: NodeJS.ProcessEnv;
  clock?: () => number;
}

/**
 * Runs every command in its own log group, in order, even after one fails, so the report covers all gates.
 * On cancellation the running command's process group is stopped and CancelledError is thrown.
 */
export async function runCommands(commands: readonly GateCommand[], cwd: string, deps: CommandDeps): Promise<CommandResult[]> {
  const env = commandEnv(deps.env);
  const results: CommandResult[] = [];
  for (const command of commands) {
    if (deps.signal?.aborted) throw cancelled(deps.signal);
    const result = await deps.logger.group(`${command.name}: ${command.command}`, () => runOne(command, cwd, env, deps));
    const took = `${(result.durationMs / 1000).toFixed(1)}s`;
    if (result.exitCode === 0) deps.logger.info(`${command.name} passed in ${took}.`);
    else if (result.skipped) deps.logger.warning(result.skipped);
    else deps.logger.warning(`${command.name} failed with exit code ${result.exitCode ?? "(killed)"} after ${took}.`);
    results.push(result);
  }
  if (deps.signal?.aborted) throw cancelled(deps.signal);
  return results;
}

/**
 * A tiny launcher @actions/exec runs: it starts the command with /bin/sh in its own process group (detached) and writes
 * the group's id to a file, so cancelling can stop the command's children (vitest workers) too. @actions/exec itself
 * has no way to do that; exit code, output lines and the missing-directory check stay with it.
 */
const LAUNCHER = [
  'const { spawn } = require("node:child_process");',
  'const { writeFileSync } = require("node:fs");',
  'const { constants } = require("node:os");',
  'const child = spawn(process.argv[1], { shell: "/bin/sh", detached: true, stdio: ["ignore", "inherit", "inherit"] });',
  'child.on("spawn", () => writeFileSync(process.argv[2], String(child.pid)));',
  'child.on("error", (error) => { process.stderr.write("could not start /bin/sh: " + error.message + "\\n"); process.exit(127); });',
  'child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));',
].join("\n");

async function runOne(command: GateCommand, cwd: string, env: NodeJS.ProcessEnv, deps: CommandDeps): Promise<CommandResult> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const tail: string[] = [];
  const onLine = (line: string) => {
    deps.logger.info(line);
    tail.push(line.replace(ANSI, ""));
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const scratch = await mkdtemp(join(tmpdir(), "launchpad-gate-"));
  const groupFile = join(scratch, "pgid");
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    const group = readGroup(groupFile);
    // Cancelled before the launcher wrote the group id (a loaded machine): look again until it has, or the command ends.
    if (group === undefined) {
      killTimer = setTimeout(stop, 50);
      return;
    }
    killGroup(group, "SIGTERM");
    killTimer = setTimeout(() => killGroup(group, "SIGKILL"), KILL_GRACE_MS);
    killTimer.unref();
  };
  deps.signal?.addEventListener("abort", stop, { once: true });
  try {
    const exitCode = await exec(process.execPath, ["-e", LAUNCHER, command.command, groupFile], {
      cwd,
      env: env as Record<string, string>,
      silent: true,
      ignoreReturnCode: true,
      listeners: { stdline: onLine, errline: onLine },
    });
    // The launcher reports a signal as 128 + n, as shells do; a killed command has no exit code in our model.
    const killed = deps.signal?.aborted && exitCode > 128;
    return { name: command.name, command: command.command, exitCode: killed ? null : exitCode, durationMs: clock() - started, tail };
  } catch (error) {
    const why = `${command.name} could not start in ${cwd}: ${(error as Error).message}`;
    onLine(why);
    return { name: command.name, command: command.command, exitCode: null, durationMs: clock() - started, tail, skipped: why };
  } finally {
    deps.signal?.removeEventListener("abort", stop);
    if (killTimer) clearTimeout(killTimer);
    await rm(scratch, { recursive: true, force: true });
  }
}

function readGroup(file: string): number | undefined {
  try {
    return Number(readFileSync(file, "utf8")) || undefined;
  } catch {
    return undefined;
  }
}

/** The environment without the action's INPUT_ variables, so commands never see the token input. */
export function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("INPUT_")));
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function cancelled(signal: AbortSignal): CancelledError {
  return signal.reason instanceof CancelledError ? signal.reason : new CancelledError("The gate was cancelled.");
}
