import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleLogger } from "../../src/lib/logger.js";
import { lockDataDir } from "../../src/seed/data-dir-lock.js";

function lockFixture() {
  const dir = join(mkdtempSync(join(tmpdir(), "launchpad-lock-")), "pglite");
  const lines: string[] = [];
  return { dir, lockFile: `${dir}.lock`, lines, logger: consoleLogger({ write: (line) => lines.push(line) }) };
}

describe("the PGlite data dir lock", () => {
  it("takes over an empty lock file older than the stale limit, left by a process killed before writing its pid", async () => {
    const { dir, lockFile, lines, logger } = lockFixture();
    writeFileSync(lockFile, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile, old, old);
    const lock = await lockDataDir(dir, { timeoutMs: 0, logger });
    expect(readFileSync(lockFile, "utf8")).toBe(`${process.pid}\n`);
    expect(lines.join("\n")).toMatch(/Taking over .*pglite\.lock: it has held no pid for over 5s/);
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it("treats unreadable garbage like an empty file once it is old", async () => {
    const { dir, lockFile, logger } = lockFixture();
    writeFileSync(lockFile, "not a pid");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile, old, old);
    const lock = await lockDataDir(dir, { timeoutMs: 0, logger });
    lock.release();
  });

  it("waits for a fresh empty lock file (its owner may be writing its pid right now) and fails after the timeout", async () => {
    const { dir, lockFile, logger } = lockFixture();
    writeFileSync(lockFile, "");
    await expect(lockDataDir(dir, { timeoutMs: 300, pollMs: 50, logger })).rejects.toThrow(
      /PGlite data dir .*pglite is in use by another process \(lock file .*pglite\.lock\)/,
    );
    expect(readFileSync(lockFile, "utf8")).toBe("");
  });
});
