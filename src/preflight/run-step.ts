import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommandFile } from "../lib/command-file.js";
import { formatDuration } from "../lib/duration.js";
import type { Logger } from "../lib/logger.js";

/** A `run:` step with no `timeout-minutes` of its own is stopped after this long (the runner's own default is 6 h). */
export const RUN_STEP_TIMEOUT_MS = 10 * 60_000;
const TAIL_LINES = 20;
/** How long a stopped script gets to exit after SIGTERM before its group is SIGKILLed. */
const KILL_GRACE_MS = 5_000;

export interface RunScriptOptions {
  script: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  signal: AbortSignal;
  timeoutMs?: number;
}

export interface RunScriptResult {
  exitCode: number | null;
  /** Why it did not finish on its own: timed out or cancelled. */
  stopped?: string;
  outputs: Record<string, string>;
  tail: string[];
}

/**
 * Runs a `run:` script the way a Linux runner does (`bash --noprofile --norc -eo pipefail`), with fresh
 * GITHUB_OUTPUT/GITHUB_ENV/GITHUB_PATH/GITHUB_STEP_SUMMARY files, and reads the outputs it wrote.
 */
export async function runScript(options: RunScriptOptions): Promise<RunScriptResult> {
  const scratch = mkdtempSync(join(tmpdir(), "launchpad-run-step-"));
  const files = Object.fromEntries(
    ["GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"].map((name) => [name, join(scratch, name)]),
  );
  for (const path of Object.values(files)) writeFileSync(path, "");
  const script = join(scratch, "script.sh");
  writeFileSync(script, options.script);
  const tail: string[] = [];
  try {
    const { exitCode, stopped } = await spawnBash(script, { ...options, env: { ...options.env, ...files } }, (line) => {
      options.logger.info(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    });
    const outputs = exitCode === 0 ? parseCommandFile(readFileSync(files.GITHUB_OUTPUT, "utf8")) : {};
    return { exitCode, stopped, outputs, tail };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function spawnBash(
  script: string,
  options: RunScriptOptions,
  onLine: (line: string) => void,
): Promise<{ exitCode: number | null; stopped?: string }> {
  const timeoutMs = options.timeoutMs ?? RUN_STEP_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stopped: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    // The whole process group: what the script started goes too.
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = (why: string) => {
      stopped ??= why;
      signalGroup("SIGTERM");
      // A script that ignores SIGTERM does not hold the preflight past the grace.
      killTimer ??= setTimeout(() => signalGroup("SIGKILL"), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop(`timed out after ${formatDuration(timeoutMs)}`), timeoutMs);
    const onAbort = () => stop("cancelled");
    options.signal.addEventListener("abort", onAbort, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      let pending = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) onLine(line);
      });
      stream.on("end", () => pending && onLine(pending));
    }
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal.removeEventListener("abort", onAbort);
      resolve({ exitCode, stopped });
    };
    child.on("error", (error) => {
      onLine(`could not start bash: ${error.message}`);
      finish(null);
    });
    child.on("close", (code) => finish(code));
  });
}
