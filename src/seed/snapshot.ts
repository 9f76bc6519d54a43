import { createHash } from "node:crypto";
import { ConfigurationError } from "../lib/errors.js";
import type { Manifest } from "./types.js";

/** What a run stores of each manifest: enough to replay it without a checkout. Secrets stay references, never values. */
export type StoredManifest = Omit<Manifest, "locate" | "spellings">;

export function toStored(manifest: Manifest): StoredManifest {
  const { file, table, key, rows, version, prune, schema, references, environments, requiresApproval } = manifest;
  return { file, table, key, rows, version, prune, schema, references, environments, requiresApproval };
}

/** A replayed manifest has no source file; places name the run and the file it came from. */
export function fromStored(stored: StoredManifest, runId: string): Manifest {
  return { ...stored, locate: () => ({ file: `run ${runId}: ${stored.file}`, line: 1, col: 1 }) };
}

export function readSnapshot(snapshot: unknown, runId: string): Manifest[] {
  if (!Array.isArray(snapshot)) throw new ConfigurationError(`Run ${runId} has no stored manifests to roll back to.`);
  return (snapshot as StoredManifest[]).map((stored) => fromStored(stored, runId));
}

/**
 * JSON with object keys sorted at every depth, so the digest depends on content only, not on key order in the YAML.
 * It runs over every row on each run, so it leaves the writing to the native JSON.stringify: given the sorted list of
 * every key that occurs, that writes each object's keys in that order.
 */
export function canonicalJson(value: unknown): string {
  const names = new Set<string>();
  collectKeys(value, names);
  return JSON.stringify(value, [...names].sort()) ?? "";
}

function collectKeys(value: unknown, into: Set<string>): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) collectKeys(item, into);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    into.add(name);
    collectKeys(record[name], into);
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const digests = new WeakMap<Manifest, string>();
/** Rows per slice of the canonical JSON: small enough that hashing one never holds the event loop for long. */
const DIGEST_SLICE = 2000;

/**
 * The canonical JSON of a manifest's content (table, key, rows, version, prune), in slices of rows. Joined, the slices
 * are exactly `canonicalJson({ table, key, rows, version, prune })`: each object's keys come out sorted either way.
 */
function* canonicalSlices(manifest: Manifest): Generator<string> {
  const { table, key, rows, version, prune } = manifest;
  yield `{"key":${canonicalJson(key)},"prune":${canonicalJson(prune)},"rows":[`;
  for (let start = 0; start < rows.length; start += DIGEST_SLICE) {
    const slice = canonicalJson(rows.slice(start, start + DIGEST_SLICE));
    yield `${start ? "," : ""}${slice.slice(1, -1)}`;
  }
  yield `],"table":${canonicalJson(table)}${version === undefined ? "" : `,"version":${canonicalJson(version)}`}}`;
}

/** The digest of one manifest's content (table, key, rows, version, prune); the file name does not count. */
export function manifestDigest(manifest: Manifest): string {
  let digest = digests.get(manifest);
  if (!digest) {
    const hash = createHash("sha256");
    for (const slice of canonicalSlices(manifest)) hash.update(slice);
    digest = hash.digest("hex");
    digests.set(manifest, digest);
  }
  return digest;
}

/**
 * Works out every manifest's digest a slice at a time, giving the event loop a turn between slices: started while the
 * database works through a statement, it costs the run no time of its own. `manifestDigest` then answers from it.
 */
export async function digestInSlices(manifests: readonly Manifest[]): Promise<string[]> {
  const found: string[] = [];
  for (const manifest of manifests) {
    let digest = digests.get(manifest);
    if (!digest) {
      const hash = createHash("sha256");
      for (const slice of canonicalSlices(manifest)) {
        hash.update(slice);
        await new Promise((resolve) => setImmediate(resolve));
      }
      digest = digests.get(manifest) ?? hash.digest("hex");
      digests.set(manifest, digest);
    }
    found.push(digest);
  }
  return found;
}

export interface ManifestEntry {
  file: string;
  table: string;
  version?: string;
  digest: string;
  rows: number;
}

export function manifestEntries(manifests: readonly Manifest[]): ManifestEntry[] {
  return manifests.map((manifest) => ({
    file: manifest.file,
    table: manifest.table,
    version: manifest.version,
    digest: manifestDigest(manifest),
    rows: manifest.rows.length,
  }));
}

/** The digest of the whole set, independent of file order. */
export function setDigest(entries: readonly ManifestEntry[]): string {
  return sha256(
    entries
      .map((entry) => `${entry.table}:${entry.digest}`)
      .sort()
      .join("\n"),
  );
}
