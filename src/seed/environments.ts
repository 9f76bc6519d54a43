import type { SeedReport } from "./report.js";
import { manifestEntries, setDigest } from "./snapshot.js";
import type { Manifest } from "./types.js";

/**
 * The manifests that apply in this environment; the others are listed in the report as skipped. The digest is the
 * digest of what this environment gets, as apply records it.
 */
export function inEnvironment(manifests: readonly Manifest[], env: string, report: SeedReport): Manifest[] {
  const active = manifests.filter((manifest) => !manifest.environments || manifest.environments.includes(env));
  report.skipped = manifests
    .filter((manifest) => !active.includes(manifest))
    .map((manifest) => ({ file: manifest.file, table: manifest.table, environments: manifest.environments ?? [] }));
  if (report.skipped.length) report.digest = setDigest(manifestEntries(active));
  return active;
}
