import { CancelledError, ConfigurationError, RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { sleep } from "../lib/retry.js";
import type { SeedDatabase } from "./database.js";
import type { ManifestEntry } from "./snapshot.js";
import type { ReuseRecord } from "./unchanged.js";

/** The seeder's own bookkeeping, in its own schema so it never collides with the application's tables. */
const VERSION_1_SQL = `
CREATE SCHEMA IF NOT EXISTS launchpad_seed;
CREATE TABLE IF NOT EXISTS launchpad_seed.seed_runs (
  seq bigserial PRIMARY KEY,
  run_id text NOT NULL,
  command text NOT NULL,
  env text NOT NULL,
  git_sha text,
  operator text,
  tool_version text NOT NULL,
  manifests jsonb NOT NULL DEFAULT '[]',
  digest text,
  counts jsonb,
  status text NOT NULL,
  error text,
  rollback_of text,
  snapshot_digest text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS seed_runs_run_id ON launchpad_seed.seed_runs (run_id) WHERE status = 'succeeded';
-- Rows the seeder inserted: only these may be pruned. No unique index: entries are only added for rows the upsert
-- really inserted, and every reader treats the table as a set; an index would make each fresh apply much slower.
CREATE TABLE IF NOT EXISTS launchpad_seed.owned_rows (
  table_name text NOT NULL,
  key text NOT NULL,
  key_columns jsonb NOT NULL,
  run_seq bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS launchpad_seed.snapshots (
  digest text PRIMARY KEY,
  manifests text NOT NULL
);
CREATE TABLE IF NOT EXISTS launchpad_seed.migrations (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  run_id text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;

/**
 * Version 2: a run's stored manifests (megabytes for a big manifest) are compressed with lz4 where the server has it,
 * several times faster to write than the default pglz; a server without lz4 (PGlite, PostgreSQL before 14) keeps pglz.
 */
const VERSION_2_SQL = `DO $$ BEGIN
  ALTER TABLE launchpad_seed.snapshots ALTER COLUMN manifests SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
END $$;`;

/**
 * Version 3: what an apply needs to know, next time, that nothing changed on either side (see unchanged.ts): the
 * digest of the manifest files it read and a mark of each table's row versions when it committed.
 */
const VERSION_3_SQL = "ALTER TABLE launchpad_seed.seed_runs ADD COLUMN IF NOT EXISTS reuse jsonb;";

/**
 * The steps that bring `launchpad_seed` to each schema version: step i goes from version i to i + 1. Version 1 is the
 * layout from before versions were recorded (every statement is idempotent, so a database from then adopts it). A
 * later change appends a step; no step is ever edited.
 */
const SCHEMA_STEPS: readonly string[] = [VERSION_1_SQL, VERSION_2_SQL, VERSION_3_SQL];
export const SEED_SCHEMA_VERSION = SCHEMA_STEPS.length;

const VERSION_TABLE_SQL = `CREATE SCHEMA IF NOT EXISTS launchpad_seed;
CREATE TABLE IF NOT EXISTS launchpad_seed.schema_version (
  version integer PRIMARY KEY,
  tool_version text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;

/** The recorded schema version of `launchpad_seed`: 0 for a database the seeder never used or from before versions. */
export async function recordedVersion(db: SeedDatabase): Promise<number> {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('launchpad_seed.schema_version') IS NOT NULL AS present`);
  if (!exists.present) return 0;
  const [row] = await db.query<{ version: number | null }>("SELECT max(version) AS version FROM launchpad_seed.schema_version");
  return Number(row.version ?? 0);
}

/**
 * Brings the seeder's own tables to this version's schema, inside the caller's transaction and lock. A database
 * written by a newer seeder is refused: this one does not know what the newer tables mean.
 */
async function migrateSeedSchema(db: SeedDatabase, toolVersion: string): Promise<void> {
  const version = await recordedVersion(db);
  if (version === SEED_SCHEMA_VERSION) return;
  if (version > SEED_SCHEMA_VERSION)
    throw new ConfigurationError(
      `The seed bookkeeping (launchpad_seed) in ${db.where} is at schema version ${version}, written by a newer launchpad; this one (${toolVersion}) knows versions up to ${SEED_SCHEMA_VERSION}. Use the newer seed action; nothing was changed.`,
    );
  await db.exec(VERSION_TABLE_SQL);
  for (let step = version; step < SEED_SCHEMA_VERSION; step++) {
    await db.exec(SCHEMA_STEPS[step]);
    await db.query("INSERT INTO launchpad_seed.schema_version (version, tool_version) VALUES ($1, $2)", [step + 1, toolVersion]);
  }
}

/** One advisory lock per database for every seed run; an arbitrary constant that only the seeder uses. */
const LOCK_KEY = "7305183391";

/**
 * Opens a transaction and takes the seed lock inside it. A transaction-level lock survives transaction poolers and is
 * released by the server when the transaction ends or the process dies, so a killed run never leaves it behind.
 */
export async function beginLocked(
  db: SeedDatabase,
  options: { timeoutMs: number; logger: Logger; signal?: AbortSignal; pollMs?: number; toolVersion: string },
): Promise<void> {
  await db.query("BEGIN");
  const deadline = Date.now() + options.timeoutMs;
  let announced = false;
  for (;;) {
    const [row] = await db.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`);
    if (row.locked) break;
    if (options.signal?.aborted || Date.now() >= deadline) {
      await db.query("ROLLBACK");
      if (options.signal?.aborted) throw new CancelledError("Cancelled while waiting for the seed lock; nothing was changed.");
      throw new RemoteError(
        `Another seed run held the seed lock on ${db.where} for longer than lock-timeout (${Math.round(options.timeoutMs / 1000)}s); nothing was changed.`,
      );
    }
    if (!announced) options.logger.info(`Waiting for another seed run on ${db.where} to finish…`);
    announced = true;
    await sleep(Math.min(options.pollMs ?? 250, Math.max(1, deadline - Date.now())));
  }
  try {
    await migrateSeedSchema(db, options.toolVersion);
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export interface RunRecord {
  runId: string;
  command: "apply" | "rollback";
  env: string;
  gitSha: string;
  operator: string;
  toolVersion: string;
  startedAt: Date;
  rollbackOf?: string;
}

/** Records the run at the start of its transaction; the row only becomes visible (as succeeded) when it commits. */
const RUN_COLUMNS = "run_id, command, env, git_sha, operator, tool_version, rollback_of, started_at";

function runValues(run: RunRecord): unknown[] {
  return [
    run.runId,
    run.command,
    run.env,
    run.gitSha || null,
    run.operator || null,
    run.toolVersion,
    run.rollbackOf ?? null,
    run.startedAt.toISOString(),
  ];
}

/** Records the run at the start of its transaction; the row only becomes visible (as succeeded) when it commits. */
export async function insertRun(db: SeedDatabase, run: RunRecord): Promise<string> {
  const [row] = await db.query<{ seq: string }>(
    `INSERT INTO launchpad_seed.seed_runs (${RUN_COLUMNS}, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running') RETURNING seq::text AS seq`,
    runValues(run),
  );
  return row.seq;
}

/**
 * Marks the run succeeded. The manifests it applied are stored once per digest (as text: it is only read back whole),
 * so a re-run of an unchanged set stores nothing new.
 */
export async function finishRun(
  db: SeedDatabase,
  seq: string,
  fields: { manifests: unknown; digest: string; counts: unknown; snapshot: () => unknown; reuse?: unknown },
): Promise<void> {
  const stored = await db.query("SELECT 1 FROM launchpad_seed.snapshots WHERE digest = $1", [fields.digest]);
  if (!stored.length)
    await db.query("INSERT INTO launchpad_seed.snapshots (digest, manifests) VALUES ($1, $2)", [
      fields.digest,
      JSON.stringify(fields.snapshot()),
    ]);
  await db.query(
    `UPDATE launchpad_seed.seed_runs SET status = 'succeeded', manifests = $2::jsonb, digest = $3, counts = $4::jsonb, snapshot_digest = $3,
       reuse = $5::jsonb, finished_at = clock_timestamp()
     WHERE seq = $1::bigint`,
    [
      seq,
      JSON.stringify(fields.manifests),
      fields.digest,
      JSON.stringify(fields.counts),
      fields.reuse ? JSON.stringify(fields.reuse) : null,
    ],
  );
}

/** After a failed run rolled back: a separate, short transaction so the failure stays on record. */
export async function recordFailedRun(
  db: SeedDatabase,
  run: RunRecord,
  fields: { digest?: string; error: string },
  lock: { timeoutMs: number; logger: Logger; toolVersion: string },
): Promise<void> {
  await beginLocked(db, lock);
  try {
    await db.query(
      `INSERT INTO launchpad_seed.seed_runs (${RUN_COLUMNS}, status, digest, error, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'failed', $9, $10, clock_timestamp())`,
      [...runValues(run), fields.digest ?? null, fields.error],
    );
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export async function runIdTaken(db: SeedDatabase, runId: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM launchpad_seed.seed_runs WHERE run_id = $1 AND status = 'succeeded'`, [runId]);
  return rows.length > 0;
}

/** The id of the last succeeded apply or rollback, if any. */
export async function lastSucceededRun(db: SeedDatabase): Promise<string | undefined> {
  const [row] = await db.query<{ run_id: string }>(
    "SELECT run_id FROM launchpad_seed.seed_runs WHERE status = 'succeeded' ORDER BY seq DESC LIMIT 1",
  );
  return row?.run_id;
}

/**
 * The last succeeded run (apply or rollback) as an unchanged re-apply needs it; none from a bookkeeping at another
 * schema version (an older one is migrated, and a newer one refused, by the full path).
 */
export interface LastRun {
  runId: string;
  command: string;
  manifests: ManifestEntry[];
  digest: string;
  /** What it recorded for the next apply (see unchanged.ts), if anything. */
  reuse: ReuseRecord | undefined;
  /** Whether its stored manifests are still there (a rollback to it needs them). */
  stored: boolean;
}

export async function readLastRun(db: SeedDatabase): Promise<LastRun | undefined> {
  if ((await recordedVersion(db)) !== SEED_SCHEMA_VERSION) return undefined;
  const [row] = await db.query<{
    run_id: string;
    command: string;
    manifests: string;
    digest: string;
    reuse: string | null;
    stored: boolean;
  }>(
    `SELECT run_id, command, manifests::text AS manifests, digest, reuse::text AS reuse,
            EXISTS (SELECT 1 FROM launchpad_seed.snapshots s WHERE s.digest = r.snapshot_digest) AS stored
     FROM launchpad_seed.seed_runs r WHERE status = 'succeeded' ORDER BY seq DESC LIMIT 1`,
  );
  if (!row) return undefined;
  const { run_id: runId, command, digest, stored } = row;
  return { runId, command, digest, stored, manifests: JSON.parse(row.manifests), reuse: row.reuse ? JSON.parse(row.reuse) : undefined };
}

export interface HistoryEntry {
  seq: string;
  runId: string;
  command: string;
  env: string;
  gitSha: string | null;
  operator: string | null;
  toolVersion: string;
  digest: string | null;
  counts: Record<string, number> | null;
  status: string;
  error: string | null;
  rollbackOf: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export async function readHistory(db: SeedDatabase, limit = 50): Promise<HistoryEntry[]> {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('launchpad_seed.seed_runs') IS NOT NULL AS present`);
  if (!exists.present) return [];
  const rows = await db.query<Record<string, string | null>>(
    `SELECT seq::text AS seq, run_id, command, env, git_sha, operator, tool_version, digest, counts::text AS counts, status, error, rollback_of,
            to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at,
            to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_at
     FROM launchpad_seed.seed_runs WHERE status <> 'running' ORDER BY seq DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    seq: row.seq!,
    runId: row.run_id!,
    command: row.command!,
    env: row.env!,
    gitSha: row.git_sha,
    operator: row.operator,
    toolVersion: row.tool_version!,
    digest: row.digest,
    counts: row.counts ? JSON.parse(row.counts) : null,
    status: row.status!,
    error: row.error,
    rollbackOf: row.rollback_of,
    startedAt: row.started_at!,
    finishedAt: row.finished_at,
  }));
}

/** The stored snapshot and sequence number of a succeeded run, for rollback. */
export async function readRunSnapshot(db: SeedDatabase, runId: string): Promise<{ seq: string; snapshot: unknown } | undefined> {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('launchpad_seed.seed_runs') IS NOT NULL AS present`);
  if (!exists.present) return undefined;
  const [row] = await db.query<{ seq: string; snapshot: string | null }>(
    `SELECT r.seq::text AS seq, s.manifests AS snapshot FROM launchpad_seed.seed_runs r LEFT JOIN launchpad_seed.snapshots s ON s.digest = r.snapshot_digest
     WHERE r.run_id = $1 AND r.status = 'succeeded'`,
    [runId],
  );
  return row?.snapshot ? { seq: row.seq, snapshot: JSON.parse(row.snapshot) } : undefined;
}
