import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigurationError } from "../../src/lib/errors.js";
import { runAction } from "../../src/lib/run-action.js";
import { parseCommandFile } from "../harness/workflow-commands.js";

const SECRET = "vercel_tok_9f8e7d6c5b4a";

describe("runAction", () => {
  let stdout: string[];
  let dir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    dir = mkdtempSync(join(tmpdir(), "run-action-"));
    for (const name of ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"]) {
      process.env[name] = join(dir, name);
      writeFileSync(join(dir, name), "");
    }
    process.env.INPUT_TOKEN = SECRET;
    process.exitCode = undefined;
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  it("masks secret inputs before anything else is printed, and redacts them from outputs, summary and the failure", async () => {
    await runAction(
      async (run) => {
        run.logger.info(`using ${run.inputs.raw("token")}`);
        run.setOutput("echo", `token=${SECRET}`);
        await run.writeSummary(`| token | ${SECRET} |`);
        throw new Error(`API said: bad token ${SECRET}`);
      },
      { secretInputs: ["token"] },
    );
    expect(stdout[0]).toBe(`::add-mask::${SECRET}\n`);
    const printed = stdout.slice(1).join("");
    expect(printed).not.toContain(SECRET);
    expect(printed).toContain("::error::API said: bad token ***");
    expect(parseCommandFile(readFileSync(join(dir, "GITHUB_OUTPUT"), "utf8")).echo).toBe("token=***");
    expect(readFileSync(join(dir, "GITHUB_STEP_SUMMARY"), "utf8")).not.toContain(SECRET);
    expect(process.exitCode).toBe(1);
  });

  it("shows a user mistake as one line with no stack, and a bug's stack only as debug output", async () => {
    await runAction(async () => {
      throw new ConfigurationError("Input 'target' got \"qa\"; expected one of preview, production.");
    });
    expect(stdout.join("")).toBe("::error::Input 'target' got \"qa\"; expected one of preview, production.\n");

    stdout.length = 0;
    await runAction(async () => {
      throw new TypeError("cannot read properties of undefined");
    });
    const lines = stdout.join("").trim().split("\n");
    expect(lines[0]).toMatch(/^::debug::TypeError: cannot read properties of undefined%0A\s+at /);
    expect(lines.at(-1)).toBe("::error::cannot read properties of undefined");
  });
});
