import { readdirSync } from "node:fs";

export interface Bundle {
  /** Output folder under dist/. */
  out: string;
  entry: string;
  /** Packages left out of the bundle and shipped beside it under <out>/node_modules (PGlite breaks when bundled). */
  shipped?: string[];
}

/** Per-action extras, keyed by action name; anything not listed bundles everything. */
const SHIPPED_PACKAGES: Record<string, string[]> = { seed: ["@electric-sql/pglite"], cli: ["@electric-sql/pglite"] };

/** One bundle per src/actions/<name>.ts, a post bundle per <name>.post.ts, and the CLI. */
export function listBundles(root = "src"): Bundle[] {
  const bundles: Bundle[] = [];
  for (const file of readdirSync(`${root}/actions`).sort()) {
    const match = /^([a-z-]+)(\.post)?\.ts$/.exec(file);
    if (!match) continue;
    const [, name, post] = match;
    bundles.push({ out: post ? `${name}/post` : name, entry: `${root}/actions/${file}`, shipped: SHIPPED_PACKAGES[name] });
  }
  bundles.push({ out: "cli", entry: `${root}/cli/index.ts`, shipped: SHIPPED_PACKAGES.cli });
  return bundles;
}
