import { randomBytes } from "node:crypto";
import type { PreflightStep } from "../cli/preflight.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import { openDatabase } from "./database.js";
import { loadManifests } from "./manifest.js";
import { secretNames } from "./secret-values.js";
import { runSeed, type SeedCommand, type SeedResult } from "./seed.js";
import { readSeedSettings } from "./settings.js";

/**
 * lint, plan, apply and verify of the consumer's manifests into its embedded PGlite data dir (.launchpad/pglite).
 * Demo-account secrets the environment does not provide are generated at random for this run and registered as
 * secrets, so preflight needs no setup. They are not kept anywhere, so the next preflight rehashes those passwords.
 */
export const seedPreflight: PreflightStep = {
  name: "seed",
  async run({ root, logger, secrets, signal, env: callerEnv }) {
    const settingsFor = (command: SeedCommand) =>
      readSeedSettings(new Inputs(mapInputSource({ command, env: "preflight", "lock-timeout": "10s" })), {
        workspace: root,
        actor: "preflight",
        sha: "",
      });
    const env: Record<string, string | undefined> = { ...callerEnv };
    const generated: string[] = [];
    for (const name of secretNames(loadManifests(settingsFor("lint").manifestsDir, root).manifests)) {
      if (env[name]) continue;
      env[name] = randomBytes(18).toString("base64url");
      secrets.add(env[name]);
      generated.push(name);
    }
    if (generated.length) logger.info(`Using throwaway demo secrets for ${generated.join(", ")} (not set in the environment).`);
    // One PGlite start (seconds) for all four commands instead of one each.
    const lintSettings = settingsFor("lint");
    const db = await openDatabase({ pgliteDir: lintSettings.pgliteDir, lockTimeoutMs: lintSettings.lockTimeoutMs, logger, signal });
    const shared = { ...db, close: async () => undefined };
    const results: SeedResult[] = [];
    try {
      for (const command of ["lint", "plan", "apply", "verify"] as const) {
        const result = await runSeed(settingsFor(command), { logger, secrets, env, signal, open: async () => shared });
        results.push(result);
        if (!result.ok) break;
      }
    } finally {
      await db.close();
    }
    const last = results[results.length - 1];
    const applied = results.find((result) => result.command === "apply");
    const ok = results.length === 4 && last.ok;
    const headline = ok
      ? `${applied!.totals.inserted} inserted, ${applied!.totals.updated} updated, ${applied!.totals.unchanged} unchanged in ${applied!.tables.length} tables; verify clean`
      : `seed ${last.command} failed: ${last.diagnostics.length ? `${last.diagnostics.length} lint problems` : `${last.drift.length} rows drifted`}`;
    const note = generated.length
      ? `Demo secrets ${generated.map((name) => `\`${name}\``).join(", ")} were generated for this run.\n\n`
      : "";
    return { ok, headline, markdown: note + results.map((result) => result.summary).join("\n") };
  },
};
