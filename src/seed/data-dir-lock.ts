import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { sleep } from "../lib/retry.js";

export interface DataDirLock {
  release(): void;
}

/**
 * PGlite does not exclude a second process from its data dir (writes get lost or the dir is corrupted), so the seeder
 * holds `<dir>.lock`, created exclusively and holding its pid. A second run waits up to `timeoutMs`, then fails with
 * "in use by pid N". A lock left by a process that no longer exists (killed) is taken over, and so is an empty or
 * unreadable one older than a few seconds: its creator was killed between creating the file and writing its pid.
 */
export async function lockDataDir(
  dir: string,
  options: { timeoutMs: number; logger: Logger; signal?: AbortSignal; pollMs?: number; staleMs?: number },
): Promise<DataDirLock> {
  const path = `${dir}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let announced = false;
  for (;;) {
    const holder = tryCreate(path);
    if (holder === undefined) return { release: () => releaseIfOurs(path) };
    if (holder !== null && !isAlive(holder)) {
      options.logger.warning(`Taking over ${path}: pid ${holder} holding it is gone.`);
      removeIfHeldBy(path, holder);
      continue;
    }
    if (holder === null && removeIfStaleAndEmpty(path, options.staleMs ?? STALE_EMPTY_MS)) {
      options.logger.warning(
        `Taking over ${path}: it has held no pid for over ${(options.staleMs ?? STALE_EMPTY_MS) / 1000}s (left by a killed process).`,
      );
      continue;
    }
    const who = holder === null ? "another process" : `pid ${holder}`;
    if (Date.now() >= deadline) {
      throw new ConfigurationError(
        `The PGlite data dir ${dir} is in use by ${who} (lock file ${path}); waited ${Math.round(options.timeoutMs / 1000)}s.`,
      );
    }
    if (!announced) options.logger.info(`Waiting for the PGlite data dir ${dir}: in use by ${who}.`);
    announced = true;
    options.signal?.throwIfAborted();
    await sleep(Math.min(options.pollMs ?? 200, Math.max(1, deadline - Date.now())));
  }
}

/** undefined when we now hold the lock; otherwise the holder's pid (null if the file is being written right now). */
function tryCreate(path: string): number | null | undefined {
  try {
    const fd = openSync(path, "wx");
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readHolder(path);
}

function readHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Writing the pid takes microseconds; a lock file still without one after this long never gets one. */
const STALE_EMPTY_MS = 5_000;

function removeIfStaleAndEmpty(path: string, staleMs: number): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs < staleMs || readHolder(path) !== null) return false;
    unlinkSync(path);
    return true;
  } catch {
    // Gone or replaced meanwhile: the next attempt sees what is there now.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeIfHeldBy(path: string, pid: number): void {
  if (readHolder(path) !== pid) return;
  try {
    unlinkSync(path);
  } catch {
    // Someone else took it over first; the next attempt sees their pid.
  }
}

function releaseIfOurs(path: string): void {
  removeIfHeldBy(path, process.pid);
}
