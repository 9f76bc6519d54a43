import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { expect } from "vitest";
import { type RunOptions, runStep, type StepResult, startStep } from "../harness/run-bundle.js";
import { DEMO_SECRETS } from "./backends.js";

export { DEMO_SECRETS };

/** Runs the seed bundle in a workspace with the demo secrets set; `inputs` on top of action.yml's defaults. */
export function seedStep(workspace: string, inputs: Record<string, string>, options: RunOptions = {}): Promise<StepResult> {
  return runStep("seed", { workspace, inputs, env: { ...DEMO_SECRETS, ...options.env }, timeoutMs: 90_000, ...withoutEnv(options) });
}

export function startSeedStep(workspace: string, inputs: Record<string, string>, options: RunOptions = {}) {
  return startStep("seed", "main", {
    workspace,
    inputs,
    env: { ...DEMO_SECRETS, ...options.env },
    timeoutMs: 90_000,
    ...withoutEnv(options),
  });
}

function withoutEnv(options: RunOptions): RunOptions {
  const { env: _env, ...rest } = options;
  return rest;
}

/** Asserts the step succeeded, showing its output when it did not. */
export function expectSuccess(result: StepResult): void {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
}

export function editFile(path: string, from: string | RegExp, to: string): void {
  const before = readFileSync(path, "utf8");
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

/**
 * Adds a table and a manifest with `count` rows to a workspace, so an apply runs long enough to be interrupted while
 * its transaction is open.
 */
export function addBulkManifest(workspace: string, count: number): void {
  writeFileSync(
    join(workspace, "infrastructure/migrations/003_market_symbols.sql"),
    "CREATE TABLE market_symbols (symbol text PRIMARY KEY, base text NOT NULL, quote text NOT NULL, tick_size numeric NOT NULL, active boolean NOT NULL);\n",
  );
  const path = join(workspace, "infrastructure/seed-data/market-symbols.yaml");
  writeFileSync(path, "table: market_symbols\nkey: symbol\nrows:\n");
  const lines: string[] = [];
  for (let index = 0; index < count; index++)
    lines.push(`  - { symbol: SYM${index}-USD, base: SYM${index}, quote: USD, tick_size: "0.01", active: true }`);
  appendFileSync(path, `${lines.join("\n")}\n`);
}

/** Opens a workspace's PGlite data dir in this process (only while no step runs), as another client would. */
export async function withPglite<T>(workspace: string, work: (db: PGlite) => Promise<T>): Promise<T> {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(join(workspace, ".launchpad/pglite"));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
