import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { loadManifests } from "./manifest.js";
import { secretNames } from "./secret-values.js";
import { runSeed, type SeedResult } from "./seed.js";
import { readSeedSettings } from "./settings.js";

/** Inside the PGlite data dir: the throwaway secrets live and die with the database whose hashes they match. */
const KEPT_SECRETS_FILE = "launchpad-local-secrets.json";

/**
 * The step's own command on its own manifests: into the embedded PGlite data dir (.launchpad/pglite) when
 * `database-url` evaluates to empty. Demo-account secrets the environment does not provide are generated at random
 * once, kept in that data dir (never in the repository, never printed) and registered as secrets, so preflight needs
 * no setup and a second preflight finds the stored hashes still matching: it writes nothing.
 */
export const seedPreflight: PreflightStep = {
  action: "seed",
  async run({ root, with: inputs, logger, secrets, signal, env: callerEnv }) {
    const settings = readSeedSettings(new Inputs(mapInputSource(inputs)), { workspace: root, actor: "preflight", sha: "" });
    const env: Record<string, string | undefined> = { ...callerEnv };
    // Only the embedded database keeps them: a real server's secrets come from its environment.
    const keptFile = settings.databaseUrl ? undefined : join(settings.pgliteDir, KEPT_SECRETS_FILE);
    const kept = keptFile ? readKept(keptFile) : {};
    const generated: string[] = [];
    let added = false;
    for (const name of secretNames(loadManifests(settings.manifestsDir, root).manifests)) {
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
    const result = await runSeed(settings, { logger, secrets, env, signal });
    // Written once the data dir exists (PGlite creates it); only the owner may read it.
    if (keptFile && added && existsSync(settings.pgliteDir)) writeFileSync(keptFile, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
    const headline = result.ok
      ? successLine(result)
      : `${result.command} failed: ${result.diagnostics.length ? `${result.diagnostics.length} lint problems` : `${result.drift.length} rows drifted`}`;
    const note = generated.length
      ? `Local secrets ${generated.map((name) => `\`${name}\``).join(", ")} are throwaway values${keptFile ? " kept in the PGlite data dir" : ""}.\n\n`
      : "";
    return { ok: result.ok, headline, markdown: note + result.summary };
  },
};

function successLine({ command, totals, tables }: SeedResult): string {
  if (command === "lint") return "lint: no problems";
  const counts =
    command === "apply"
      ? `${totals.inserted} inserted, ${totals.updated} updated`
      : `${totals.inserted} to insert, ${totals.updated} to update`;
  return `${command}: ${counts}, ${totals.unchanged} unchanged in ${tables.length} tables`;
}

/** The kept secrets; none when the file is missing or unreadable (the data dir was removed: new ones are made). */
function readKept(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
