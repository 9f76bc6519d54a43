import { spawn } from "node:child_process";
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
    else deps.logger.warning(`${command.name} failed with exit code ${result.exitCode ?? "(killed)"} after ${took}.`);
    results.push(result);
  }
  if (deps.signal?.aborted) throw cancelled(deps.signal);
  return results;
}

function runOne(command: GateCommand, cwd: string, env: NodeJS.ProcessEnv, deps: CommandDeps): Promise<CommandResult> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const tail: string[] = [];
  return new Promise((resolve) => {
    // detached: the command gets its own process group, so cancelling stops its children (vitest workers) too.
    const child = spawn(command.command, { cwd, env, shell: true, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const onLine = (line: string) => {
      deps.logger.info(line);
      tail.push(line.replace(ANSI, ""));
      if (tail.length > TAIL_LINES) tail.shift();
    };
    const stdout = lineSplitter(onLine);
    const stderr = lineSplitter(onLine);
    child.stdout.on("data", stdout.push);
    child.stderr.on("data", stderr.push);
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      killGroup(child.pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    deps.signal?.addEventListener("abort", stop, { once: true });
    const finish = (exitCode: number | null) => {
      deps.signal?.removeEventListener("abort", stop);
      if (killTimer) clearTimeout(killTimer);
      stdout.flush();
      stderr.flush();
      resolve({ name: command.name, command: command.command, exitCode, durationMs: clock() - started, tail });
    };
    child.on("error", (error) => {
      onLine(`could not start: ${error.message}`);
      finish(null);
    });
    child.on("close", (code) => finish(code));
  });
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

function lineSplitter(onLine: (line: string) => void): { push: (data: Buffer) => void; flush: () => void } {
  let pending = "";
  return {
    push(data) {
      pending += data.toString();
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    },
    flush() {
      if (pending) onLine(pending);
      pending = "";
    },
  };
}

function cancelled(signal: AbortSignal): CancelledError {
  return signal.reason instanceof CancelledError ? signal.reason : new CancelledError("The gate was cancelled.");
}
