import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { SeedDatabase } from "./database.js";
import { schemaFilePath } from "./lint.js";
import type { ManifestSource } from "./manifest.js";
import { type MigrationFile, readAppliedMigrations } from "./migrations.js";
import type { SeedReport } from "./report.js";
import type { LastRun } from "./store.js";
import { quoteTable } from "./tables.js";
import type { Manifest, TableCounts } from "./types.js";

/**
 * What an apply records so that the next one can tell nothing changed on either side: the digest of the files it read
 * (with the tool version and environment that read them) and a mark of each table it applied, taken just before it
 * committed. Only recorded when the outcome depends on nothing but those files and tables: no secret values from the
 * environment and no approval record.
 */
export interface ReuseRecord {
  source: string;
  /** The JSON Schema files the manifests named, workspace-relative: read again to work out `source`. */
  schemaFiles: string[];
  /** In the order apply wrote them (foreign-key order). */
  tables: Array<{ table: string; rows: number; mark: string }>;
  skipped: NonNullable<SeedReport["skipped"]>;
}

/** The manifest files as read, and what decides how they are read. */
export interface ReadFiles {
  sources: readonly ManifestSource[];
  workspace: string;
  toolVersion: string;
  env: string;
}

function fileDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const manifestDigests = new WeakMap<ReadFiles, string>();

/**
 * The digest of the manifest files and of the schema files they name (a missing one counts as missing). An apply asks
 * up to three times (before the lock, under it, and when it records the run): the manifests, megabytes for a big
 * one, are hashed once.
 */
export function sourceDigest(read: ReadFiles, schemaFiles: readonly string[]): string {
  let manifests = manifestDigests.get(read);
  if (manifests === undefined) {
    manifests = read.sources.map(({ file, text }) => `\n${JSON.stringify(file)} ${fileDigest(text)}`).join("");
    manifestDigests.set(read, manifests);
  }
  const hash = createHash("sha256").update(JSON.stringify([read.toolVersion, read.env, read.sources.length, schemaFiles]));
  hash.update(manifests);
  for (const file of schemaFiles) {
    const path = resolve(read.workspace, file);
    hash.update(`\n${existsSync(path) ? fileDigest(readFileSync(path, "utf8")) : "missing"}`);
  }
  return hash.digest("hex");
}

/** The schema files the manifests name, workspace-relative and in order, for `sourceDigest`. */
export function schemaFilesOf(manifests: readonly Manifest[], workspace: string): string[] {
  const paths = manifests.map((manifest) => schemaFilePath(manifest, workspace)).filter((path) => path !== undefined);
  return [...new Set(paths.map((path) => relative(workspace, path)))].sort();
}

/**
 * One mark per table, in one statement: its row versions (every write, even of the same values, gives a row a new
 * `ctid` and `xmin`), its row count, its storage file (new after TRUNCATE or a rewrite) and its columns (types,
 * identity, generated). The row versions are summed as 64-bit hashes, which needs no sort: a change that kept the mark
 * would take a hash collision. A false "changed" only costs the full comparison.
 */
export async function tableMarks(db: SeedDatabase, tables: readonly string[]): Promise<string[]> {
  if (!tables.length) return [];
  const parts = tables.map((table, index) => {
    const sql = quoteTable(table);
    const literal = `$${index + 1}::regclass`;
    return `SELECT ${index} AS i, md5(concat_ws(' ',
        (SELECT coalesce(sum(hashtextextended(ctid::text || ' ' || xmin::text, 0)), 0) || ':' || count(*) FROM ${sql}),
        pg_relation_filenode(${literal})::text,
        (SELECT string_agg(concat_ws(' ', attname, format_type(atttypid, atttypmod), attidentity, attgenerated), ',' ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = ${literal} AND attnum > 0 AND NOT attisdropped))) AS mark`;
  });
  const rows = await db.query<{ i: number; mark: string }>(`${parts.join("\nUNION ALL\n")} ORDER BY i`, tables.map(quoteTable));
  return rows.map((row) => row.mark);
}

/** A last run's reuse record, when it is one this apply can trust (written by this version, for these files). */
export function reusable(last: LastRun | undefined, read: ReadFiles): ReuseRecord | undefined {
  if (last?.command !== "apply" || !last.stored) return undefined;
  const { reuse } = last;
  if (!reuse || !Array.isArray(reuse.tables) || !Array.isArray(reuse.schemaFiles)) return undefined;
  return reuse.source === sourceDigest(read, reuse.schemaFiles) ? reuse : undefined;
}

/**
 * Under the seed lock: whether the last run's tables are exactly as it left them and no migration is pending, so a
 * full apply would write nothing. A table that is gone (or any other failure to read the marks) means "changed".
 */
export async function stillUnchanged(db: SeedDatabase, reuse: ReuseRecord, migrations: readonly MigrationFile[]): Promise<boolean> {
  const applied = await readAppliedMigrations(db);
  if (migrations.some((file) => applied.get(file.name)?.checksum !== file.checksum)) return false;
  try {
    const marks = await tableMarks(
      db,
      reuse.tables.map((table) => table.table),
    );
    return marks.every((mark, index) => mark === reuse.tables[index].mark);
  } catch {
    // The transaction is aborted now; the caller rolls it back and takes the full path.
    return false;
  }
}

/** The counts a full apply would report: every row unchanged. */
export function unchangedCounts(reuse: ReuseRecord): TableCounts[] {
  return reuse.tables.map(({ table, rows }) => ({ table, inserted: 0, updated: 0, deleted: 0, unchanged: rows }));
}
