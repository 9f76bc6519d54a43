import { createHash } from "node:crypto";
import type { SeedDatabase } from "./database.js";
import type { ManifestSource } from "./manifest.js";
import { type MigrationFile, readAppliedMigrations } from "./migrations.js";
import type { SeedReport } from "./report.js";
import type { ManifestEntry } from "./snapshot.js";
import type { LastRun } from "./store.js";
import { quoteTable } from "./tables.js";
import type { TableCounts } from "./types.js";

/**
 * What an apply records so that the next one can tell nothing changed on either side: the digest of the manifest
 * files it read (with the tool version and environment that read them) and a mark of each table it applied, taken
 * just before it committed. Only recorded when the outcome depends on nothing but those files and tables: no secret
 * values from the environment and no approval record.
 */
export interface ReuseRecord {
  source: string;
  /** In the order apply wrote them (foreign-key order). */
  tables: Array<{ table: string; rows: number; mark: string }>;
  skipped: NonNullable<SeedReport["skipped"]>;
}

/** The digest of the manifest files as read, and of everything else that decides how they are read. */
export function sourceDigest(sources: readonly ManifestSource[], context: { toolVersion: string; env: string }): string {
  const hash = createHash("sha256").update(JSON.stringify([context.toolVersion, context.env, sources.length]));
  for (const { file, text } of sources) hash.update(`\n${JSON.stringify(file)} ${createHash("sha256").update(text).digest("hex")}`);
  return hash.digest("hex");
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
export function reusable(last: LastRun | undefined, source: string): ReuseRecord | undefined {
  if (last?.command !== "apply" || !last.stored) return undefined;
  const reuse = last.reuse as ReuseRecord | undefined;
  return reuse?.source === source && Array.isArray(reuse.tables) ? reuse : undefined;
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

export function lastEntries(last: LastRun): ManifestEntry[] {
  return last.manifests as ManifestEntry[];
}
