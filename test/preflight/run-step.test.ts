import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/lib/logger.js";
import { runScript } from "../../src/preflight/run-step.js";

const cwd = mkdtempSync(join(tmpdir(), "launchpad-run-step-test-"));
const run = (script: string, timeoutMs = 60_000, signal = new AbortController().signal) =>
  runScript({ script, cwd, env: { PATH: process.env.PATH }, logger: silentLogger, signal, timeoutMs });

describe("preflight --run-steps scripts", () => {
  it("reads what the script wrote to GITHUB_OUTPUT, and fails like bash -e on the first failing command", async () => {
    const ok = await run('echo "answer=42" >> "$GITHUB_OUTPUT"\necho done');
    expect(ok).toMatchObject({ exitCode: 0, outputs: { answer: "42" }, tail: ["done"] });
    const failed = await run("false\necho never");
    expect(failed.exitCode).toBe(1);
    expect(failed.tail).not.toContain("never");
  });

  it("stops a script that ignores SIGTERM at its timeout, its whole process group included", { timeout: 30_000 }, async () => {
    const result = await run("trap '' TERM\nsleep 120 &\nwait", 300);
    expect(result.stopped).toBe("timed out after 300ms");
    expect(result.exitCode).not.toBe(0);
  });
});
