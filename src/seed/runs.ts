import { ConfigurationError, errorMessage } from "../lib/errors.js";
import { inputLabel } from "../lib/inputs.js";
import { requireApproval } from "./approval-check.js";
import type { SeedDatabase } from "./database.js";
import { inEnvironment } from "./environments.js";
import { applyMigrations, listMigrations } from "./migrations.js";
import type { SeedReport } from "./report.js";
import { resolveSecrets, secretNames } from "./secret-values.js";
import type { SeedDeps, SeedSettings } from "./seed.js";
import { SEED_INPUTS } from "./settings.js";
import { digestInSlices, type ManifestEntry, manifestEntries, readSnapshot, setDigest, toStored } from "./snapshot.js";
import {
  beginLocked,
  finishRun,
  insertRun,
  lastSucceededRun,
  type RunRecord,
  readLastRun,
  readRunSnapshot,
  recordFailedRun,
  runIdTaken,
} from "./store.js";
import {
  compareTable,
  ownedExtras,
  type PreparedTable,
  prepareTable,
  pruneAllSince,
  pruneTable,
  tablesOwnedSince,
  upsertTable,
} from "./table-ops.js";
import { foreignKeyOrder } from "./tables.js";
import type { Manifest, TableCounts } from "./types.js";
import { type ReadFiles, type ReuseRecord, reusable, sourceDigest, stillUnchanged, tableMarks, unchangedCounts } from "./unchanged.js";

function lockOptions(settings: SeedSettings, deps: SeedDeps) {
  return { timeoutMs: settings.lockTimeoutMs, logger: deps.logger, signal: deps.signal, toolVersion: settings.toolVersion };
}

/** Tables in foreign-key order, each matched to its table and encoded (secrets resolved, hashes reused). */
async function prepareAll(db: SeedDatabase, manifests: readonly Manifest[], deps: SeedDeps): Promise<PreparedTable[]> {
  // Already resolved (and checked) before the database was opened, except for a rollback's stored manifests.
  const secretValues = resolveSecrets(manifests, deps.env, deps.secrets);
  const prepared: PreparedTable[] = [];
  for (const manifest of await foreignKeyOrder(db, manifests)) prepared.push(await prepareTable(db, manifest, secretValues));
  return prepared;
}

/**
 * plan and verify: inside a transaction that is always rolled back, run pending migrations (so new tables can be
 * compared) and compare every row. plan lists what apply would do; verify lists drift.
 */
export async function comparisonRun(
  db: SeedDatabase,
  manifests: Manifest[],
  settings: SeedSettings,
  deps: SeedDeps,
  report: SeedReport,
): Promise<void> {
  await beginLocked(db, lockOptions(settings, deps));
  try {
    report.migrations = await applyMigrations(db, listMigrations(settings.migrationsDir, settings.workspace), "plan", deps.logger);
    for (const table of await prepareAll(db, manifests, deps)) {
      const name = table.manifest.table;
      const comparison = await compareTable(db, table);
      const extras = await ownedExtras(db, table);
      const deleting = settings.command === "plan" && table.manifest.prune ? extras : [];
      report.tables.push({
        table: name,
        inserted: comparison.missing.length,
        updated: comparison.changed.length,
        deleted: deleting.length,
        unchanged: comparison.unchanged,
      });
      if (settings.command === "plan") {
        for (const key of comparison.missing) report.changes.push({ table: name, key, action: "insert" });
        for (const { key, columns } of comparison.changed) report.changes.push({ table: name, key, action: "update", columns });
        for (const key of deleting) report.changes.push({ table: name, key, action: "delete" });
      } else {
        for (const key of comparison.missing) report.drift.push({ table: name, key, kind: "missing" });
        for (const { key, columns } of comparison.changed) report.drift.push({ table: name, key, kind: "changed", columns });
        for (const key of extras) report.drift.push({ table: name, key, kind: "extra" });
      }
    }
    if (settings.command === "verify") {
      report.lastRunId = await lastSucceededRun(db);
      for (const migration of report.migrations) report.drift.push({ table: "(migrations)", key: [migration], kind: "missing" });
    }
  } finally {
    await db.query("ROLLBACK");
  }
  logCounts(deps, report.tables, settings.command === "plan" ? "would be" : "");
}

function logCounts(deps: SeedDeps, tables: readonly TableCounts[], mode: string): void {
  for (const counts of tables) deps.logger.info(countLine(counts, mode));
}

function countLine(counts: TableCounts, mode = ""): string {
  const verb = (word: string) => (mode ? `${mode} ${word}` : word);
  return `${counts.table}: ${counts.inserted} ${verb("inserted")}, ${counts.updated} ${verb("updated")}, ${counts.deleted} ${verb("deleted")}, ${counts.unchanged} unchanged`;
}

async function ownRunId(db: SeedDatabase, settings: SeedSettings, explicit: string | undefined): Promise<string> {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('launchpad_seed.seed_runs') IS NOT NULL AS present`);
  if (explicit) {
    if (exists.present && (await runIdTaken(db, explicit)))
      throw new ConfigurationError(`Input 'run-id': run ${explicit} is already recorded; choose another id.`);
    return explicit;
  }
  let candidate = settings.defaultRunId;
  for (let attempt = 2; exists.present && (await runIdTaken(db, candidate)); attempt++) candidate = `${settings.defaultRunId}.${attempt}`;
  return candidate;
}

/** What a recorded run applied: the entries and digest it is recorded with, and its manifests to store once. */
interface Applied {
  entries: ManifestEntry[];
  snapshot: () => unknown;
  reuse?: ReuseRecord;
}

function appliedManifests(manifests: readonly Manifest[], reuse?: ReuseRecord): Applied {
  return { entries: manifestEntries(manifests), snapshot: () => manifests.map(toStored), reuse };
}

/**
 * Runs `work` in one locked transaction recorded as a seed run; any failure rolls everything back and is recorded.
 * `check` runs first under the same lock: what it refuses (a mistyped run id) leaves no trace, not even a failed run,
 * and when it finds nothing to do this way (undefined), the transaction is rolled back and false returned.
 */
async function recordedTransaction<T>(
  db: SeedDatabase,
  settings: SeedSettings,
  deps: SeedDeps,
  report: SeedReport,
  run: Omit<RunRecord, "runId" | "startedAt">,
  check: () => Promise<T | undefined>,
  work: (seq: string, checked: T) => Promise<Applied>,
  /** The digest a failed run is recorded with, when the run had not worked it out yet. */
  digestOnFailure?: () => string,
): Promise<boolean> {
  const record: RunRecord = { ...run, runId: settings.defaultRunId, startedAt: new Date() };
  await beginLocked(db, lockOptions(settings, deps));
  let checked: T | undefined;
  try {
    checked = await check();
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  if (checked === undefined) {
    await db.query("ROLLBACK");
    return false;
  }
  try {
    record.runId = await ownRunId(db, settings, run.command === "apply" ? settings.runId : undefined);
    report.runId = record.runId;
    const seq = await insertRun(db, record);
    const applied = await work(seq, checked);
    report.digest = setDigest(applied.entries);
    const counts = totals(report.tables);
    await finishRun(db, seq, {
      manifests: applied.entries,
      digest: report.digest,
      counts: { ...counts, tables: report.tables },
      snapshot: applied.snapshot,
      reuse: applied.reuse,
    });
    await db.query("COMMIT");
    deps.logger.info(`Committed seed run ${record.runId} on ${db.where}.`);
    return true;
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    report.digest ??= digestOnFailure?.();
    const message = deps.secrets.redact(errorMessage(error));
    await recordFailedRun(db, record, { digest: report.digest, error: message }, lockOptions(settings, deps)).catch((recordError) =>
      deps.logger.warning(`Could not record the failed run: ${deps.secrets.redact(errorMessage(recordError))}`),
    );
    throw error;
  }
}

export function totals(tables: readonly TableCounts[]): Omit<TableCounts, "table"> {
  const sum = (field: keyof Omit<TableCounts, "table">) => tables.reduce((total, counts) => total + counts[field], 0);
  return { inserted: sum("inserted"), updated: sum("updated"), deleted: sum("deleted"), unchanged: sum("unchanged") };
}

async function writeTables(
  db: SeedDatabase,
  prepared: PreparedTable[],
  seq: string,
  deps: SeedDeps,
  counts: Map<string, TableCounts>,
): Promise<void> {
  for (const table of prepared) {
    deps.signal?.throwIfAborted();
    const written = await upsertTable(db, table, seq);
    const row = {
      table: table.manifest.table,
      ...written,
      deleted: 0,
      unchanged: table.manifest.rows.length - written.inserted - written.updated,
    };
    counts.set(row.table, row);
    deps.logger.info(`${row.table}: ${row.inserted} inserted, ${row.updated} updated`);
  }
}

async function upsertAll(
  db: SeedDatabase,
  prepared: PreparedTable[],
  seq: string,
  deps: SeedDeps,
  report: SeedReport,
  pruneSince?: string,
): Promise<void> {
  const counts = new Map<string, TableCounts>();
  // A cancelled job stops between tables (and before pruning); the transaction is rolled back and nothing is half-applied.
  const announce = () => deps.logger.info("Cancellation requested: stopping before the next table; nothing of this run will be committed.");
  deps.signal?.addEventListener("abort", announce, { once: true });
  try {
    await writeTables(db, prepared, seq, deps, counts);
  } finally {
    deps.signal?.removeEventListener("abort", announce);
  }
  deps.signal?.throwIfAborted();
  // Children before parents, so a foreign key never blocks a prune.
  for (const table of [...prepared].reverse()) {
    if (!table.manifest.prune && pruneSince === undefined) continue;
    const deleted = await pruneTable(db, table, table.manifest.prune ? undefined : pruneSince);
    counts.get(table.manifest.table)!.deleted = deleted;
  }
  report.tables.push(...counts.values());
}

function applyRecord(settings: SeedSettings) {
  const { env, operator, gitSha, toolVersion } = settings;
  return { command: "apply", env, operator, gitSha, toolVersion } as const;
}

/** The files an apply read (see unchanged.ts): every manifest, and the schema files they name. */
export interface AppliedFiles {
  read: ReadFiles;
  schemaFiles: string[];
}

/**
 * When the outcome depended on nothing but the files read (no secret from the environment, no approval), the run
 * records their digest with a mark of each table, for the next apply.
 */
export async function applyRun(
  db: SeedDatabase,
  manifests: Manifest[],
  settings: SeedSettings,
  deps: SeedDeps,
  report: SeedReport,
  files?: AppliedFiles,
): Promise<void> {
  await recordedTransaction(
    db,
    settings,
    deps,
    report,
    applyRecord(settings),
    async () => true,
    async (seq) => {
      report.migrations = await applyMigrations(db, listMigrations(settings.migrationsDir, settings.workspace), report.runId!, deps.logger);
      const prepared = await prepareAll(db, manifests, deps);
      // Hashed between the round trips of the writes, while the database works.
      const digesting = digestInSlices(manifests);
      await upsertAll(db, prepared, seq, deps, report);
      const reuse = files && dependsOnFilesAlone(manifests) ? await reuseRecord(db, files, prepared, report) : undefined;
      await digesting;
      return appliedManifests(manifests, reuse);
    },
    () => setDigest(manifestEntries(manifests)),
  );
}

function dependsOnFilesAlone(manifests: readonly Manifest[]): boolean {
  return secretNames(manifests).length === 0 && !manifests.some((manifest) => manifest.requiresApproval);
}

async function reuseRecord(
  db: SeedDatabase,
  files: AppliedFiles,
  prepared: readonly PreparedTable[],
  report: SeedReport,
): Promise<ReuseRecord> {
  const names = prepared.map((table) => table.manifest.table);
  const marks = await tableMarks(db, names);
  const rows = new Map(report.tables.map((counts) => [counts.table, counts.inserted + counts.updated + counts.unchanged]));
  return {
    source: sourceDigest(files.read, files.schemaFiles),
    schemaFiles: files.schemaFiles,
    tables: names.map((table, index) => ({ table, rows: rows.get(table) ?? 0, mark: marks[index] })),
    skipped: report.skipped ?? [],
  };
}

/**
 * An apply of manifest files byte for byte those of the last run, into tables untouched since: a full apply would
 * read, compare and write nothing, so the run is recorded (as succeeded, every row unchanged) without parsing the
 * files or sending a row. Returns false, having changed nothing, when anything differs; the full apply then runs.
 */
export async function applyUnchanged(
  db: SeedDatabase,
  read: ReadFiles,
  settings: SeedSettings,
  deps: SeedDeps,
  report: SeedReport,
): Promise<boolean> {
  // Looked at first without the lock: on a first apply or after an edit, lint runs before anything waits for it.
  if (!reusable(await readLastRun(db), read)) return false;
  const migrations = listMigrations(settings.migrationsDir, settings.workspace);
  return recordedTransaction(
    db,
    settings,
    deps,
    report,
    applyRecord(settings),
    async () => {
      const last = await readLastRun(db);
      const reuse = reusable(last, read);
      return last && reuse && (await stillUnchanged(db, reuse, migrations)) ? { last, reuse } : undefined;
    },
    async (_seq, { last, reuse }) => {
      const entries = last.manifests;
      report.unchangedSince = last.runId;
      report.skipped = reuse.skipped;
      report.tables.push(...unchangedCounts(reuse));
      deps.logger.info(
        `${entries.length} manifests, ${entries.reduce((sum, entry) => sum + entry.rows, 0)} rows: the same files as run ${last.runId}, into tables untouched since; nothing to compare.`,
      );
      logCounts(deps, report.tables, "");
      return {
        entries,
        snapshot: () => {
          throw new Error(`the stored manifests of run ${last.runId} are missing`);
        },
        reuse,
      };
    },
  );
}

/**
 * Replays a past run's stored manifests in one transaction and prunes the seeder-owned rows created after it, in any
 * table. Migrations are not undone: schema changes only move forward.
 */
export async function rollbackRun(db: SeedDatabase, settings: SeedSettings, deps: SeedDeps, report: SeedReport): Promise<void> {
  const target = settings.runId;
  if (!target)
    throw new ConfigurationError(
      `${inputLabel(SEED_INPUTS.runId)} is required for rollback: give the run to roll back to (see the history command).`,
    );
  const { env, operator, gitSha, toolVersion } = settings;
  report.rolledBackTo = target;
  await recordedTransaction(
    db,
    settings,
    deps,
    report,
    { command: "rollback", env, operator, gitSha, toolVersion, rollbackOf: target },
    async () => {
      const stored = await readRunSnapshot(db, target);
      if (!stored)
        throw new ConfigurationError(
          `Input 'run-id': no succeeded seed run ${target} is recorded in ${db.where}; see the history command.`,
        );
      const manifests = inEnvironment(readSnapshot(stored.snapshot, target), settings.env, report);
      requireApproval(manifests, settings);
      return { seq: stored.seq, manifests };
    },
    async (seq, stored) => {
      const manifests = stored.manifests;
      const prepared = await prepareAll(db, manifests, deps);
      await upsertAll(db, prepared, seq, deps, report, stored.seq);
      const replayed = new Set(manifests.map((manifest) => manifest.table));
      const others = (await tablesOwnedSince(db, stored.seq)).filter((owned) => !replayed.has(owned.table));
      for (const owned of [...(await foreignKeyOrder(db, others))].reverse()) {
        const deleted = await pruneAllSince(db, owned.table, owned.key, stored.seq);
        report.tables.push({ table: owned.table, inserted: 0, updated: 0, deleted, unchanged: 0 });
        deps.logger.info(`${owned.table}: ${deleted} deleted (seeded after run ${target})`);
      }
      return appliedManifests(manifests);
    },
  );
}
