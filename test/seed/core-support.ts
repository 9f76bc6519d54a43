import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { consoleLogger } from "../../src/lib/logger.js";
import { Secrets } from "../../src/lib/secrets.js";
import { runSeed, type SeedCommand, type SeedSettings } from "../../src/seed/seed.js";
import { copyExample } from "../support/example.js";
import { type Backend, DEMO_SECRETS } from "./backends.js";

/**
 * Runs the seed core on a copy of the example against one backend, as the core tests do: `reset()` before each test
 * (a fresh database and workspace), then `seed(command, overrides)`. Demo users are scoped to local and staging, so
 * the default environment is staging.
 */
export function coreHarness(backend: Backend) {
  const state = { root: "", lines: [] as string[], runCount: 0 };

  function settings(command: SeedCommand, overrides: Partial<SeedSettings> = {}): SeedSettings {
    const { root } = state;
    return {
      command,
      workspace: root,
      manifestsDir: join(root, "infrastructure/seed-data"),
      migrationsDir: join(root, "infrastructure/migrations"),
      databaseUrl: backend.databaseUrl,
      pgliteDir: join(root, ".launchpad/pglite"),
      env: "staging",
      defaultRunId: `run-${++state.runCount}`,
      operator: "tester",
      gitSha: "0123456789abcdef",
      lockTimeoutMs: 10_000,
      toolVersion: "launchpad test",
      ...overrides,
    };
  }

  return {
    state,
    settings,
    async reset(): Promise<void> {
      await backend.reset();
      state.root = copyExample();
      state.lines = [];
    },
    seed(command: SeedCommand, overrides: Partial<SeedSettings> = {}, env: Record<string, string | undefined> = DEMO_SECRETS) {
      const secrets = new Secrets();
      const logger = consoleLogger({ write: (line) => state.lines.push(line), redact: (text) => secrets.redact(text) });
      return runSeed(settings(command, overrides), { logger, secrets, env, open: backend.open });
    },
    editManifest(file: string, from: string | RegExp, to: string): void {
      const path = join(state.root, "infrastructure/seed-data", file);
      const before = readFileSync(path, "utf8");
      const after = before.replace(from, to);
      expect(after).not.toBe(before);
      writeFileSync(path, after);
    },
  };
}
