import { randomBytes } from "node:crypto";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { loadManifests } from "./manifest.js";
import { secretNames } from "./secret-values.js";
import { runSeed, type SeedResult } from "./seed.js";
import { readSeedSettings } from "./settings.js";

/**
 * The step's own command on its own manifests: into the embedded PGlite data dir (.launchpad/pglite) when
 * `database-url` evaluates to empty. Demo-account secrets the environment does not provide are generated at random
 * for this step and registered as secrets, so preflight needs no setup; nothing keeps them.
 */
export const seedPreflight: PreflightStep = {
  action: "seed",
  async run({ root, with: inputs, logger, secrets, signal, env: callerEnv }) {
    const settings = readSeedSettings(new Inputs(mapInputSource(inputs)), { workspace: root, actor: "preflight", sha: "" });
    const env: Record<string, string | undefined> = { ...callerEnv };
    const generated: string[] = [];
    for (const name of secretNames(loadManifests(settings.manifestsDir, root).manifests)) {
      if (env[name]) continue;
      env[name] = randomBytes(18).toString("base64url");
      secrets.add(env[name]);
      generated.push(name);
    }
    if (generated.length) logger.info(`Using throwaway demo secrets for ${generated.join(", ")} (not set in the environment).`);
    const result = await runSeed(settings, { logger, secrets, env, signal });
    const headline = result.ok
      ? successLine(result)
      : `${result.command} failed: ${result.diagnostics.length ? `${result.diagnostics.length} lint problems` : `${result.drift.length} rows drifted`}`;
    const note = generated.length
      ? `Demo secrets ${generated.map((name) => `\`${name}\``).join(", ")} were generated for this step.\n\n`
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
