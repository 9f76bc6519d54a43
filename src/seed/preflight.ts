import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import { openDatabase } from "./database.js";
import { loadManifests } from "./manifest.js";
import { secretNames } from "./secret-values.js";
import { runSeed, type SeedCommand, type SeedResult } from "./seed.js";
import { readSeedSettings } from "./settings.js";

/** Inside the PGlite data dir: the throwaway secrets live and die with the database whose hashes they match. */
const KEPT_SECRETS_FILE = "launchpad-local-secrets.json";

/**
 * lint, plan, apply and verify of the consumer's manifests into its embedded PGlite data dir (.launchpad/pglite), as
 * environment `local`. Demo-account secrets the environment does not provide are generated at random once, kept in
 * that data dir (never in the repository, never printed) and registered as secrets, so preflight needs no setup and
 * a second preflight finds the stored hashes still matching: it writes nothing.
 */
export const seedPreflight: PreflightStep = {
  name: "seed",
  async run({ root, logger, secrets, signal, env: callerEnv }) {
    const settingsFor = (command: SeedCommand) =>
      readSeedSettings(new Inputs(mapInputSource({ command, env: "local", "lock-timeout": "10s" })), {
        workspace: root,
        actor: "preflight",
        sha: "",
      });
    const env: Record<string, string | undefined> = { ...callerEnv };
    const lintSettings = settingsFor("lint");
    const keptFile = join(lintSettings.pgliteDir, KEPT_SECRETS_FILE);
    const kept = readKept(keptFile);
    const generated: string[] = [];
    let added = false;
    for (const name of secretNames(loadManifests(lintSettings.manifestsDir, root).manifests)) {
      if (env[name]) continue;
      if (!kept[name]) {
        kept[name] = randomBytes(18).toString("base64url");
        added = true;
      }
      env[name] = kept[name];
      secrets.add(env[name]);
      generated.push(name);
    }
    if (generated.length) logger.info(`Using throwaway local secrets for ${generated.join(", ")} (not set in the environment).`);
    // One PGlite start (seconds) for all four commands instead of one each.
    const db = await openDatabase({ pgliteDir: lintSettings.pgliteDir, lockTimeoutMs: lintSettings.lockTimeoutMs, logger, signal });
    // Written once the data dir exists (PGlite creates it); only the owner may read it.
    if (added) writeFileSync(keptFile, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
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
      ? `Local secrets ${generated.map((name) => `\`${name}\``).join(", ")} are throwaway values kept in the PGlite data dir.\n\n`
      : "";
    return { ok, headline, markdown: note + results.map((result) => result.summary).join("\n") };
  },
};

/** The kept secrets; none when the file is missing or unreadable (the data dir was removed: new ones are made). */
function readKept(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
