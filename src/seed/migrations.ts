import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { describePgError, type SeedDatabase } from "./database.js";

export interface MigrationFile {
  name: string;
  /** Workspace-relative, for messages. */
  file: string;
  sql: string;
  checksum: string;
}

/** The `.sql` files of the migrations folder in name order; none when the folder does not exist. */
export function listMigrations(dir: string | undefined, root: string): MigrationFile[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), "utf8");
      return { name, file: relative(root, join(dir, name)), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Runs each migration not yet applied, inside the caller's transaction, and records its checksum. An applied file
 * that has changed since stops everything: editing history would leave databases that ran the old text different.
 */
export async function applyMigrations(db: SeedDatabase, files: readonly MigrationFile[], runId: string, logger: Logger): Promise<string[]> {
  const applied = await readAppliedMigrations(db);
  const ran: string[] = [];
  for (const file of files) {
    const previous = applied.get(file.name);
    if (previous) {
      if (previous.checksum !== file.checksum) {
        throw new ConfigurationError(
          `${file.file}: this migration was applied by run ${previous.run_id} and has changed since (checksum ${previous.checksum.slice(0, 12)} → ${file.checksum.slice(0, 12)}); add a new migration file instead of editing an applied one.`,
        );
      }
      continue;
    }
    try {
      await db.exec(file.sql);
    } catch (error) {
      throw new ConfigurationError(`${file.file}${sqlPlace(file.sql, error)}: migration failed: ${describePgError(error)}`);
    }
    await db.query("INSERT INTO launchpad_seed.migrations (name, checksum, run_id) VALUES ($1, $2, $3)", [file.name, file.checksum, runId]);
    logger.info(`Applied migration ${file.file}`);
    ran.push(file.name);
  }
  return ran;
}

/** The migrations recorded as applied, by file name. */
export async function readAppliedMigrations(db: SeedDatabase): Promise<Map<string, { checksum: string; run_id: string }>> {
  const rows = await db.query<{ name: string; checksum: string; run_id: string }>(
    "SELECT name, checksum, run_id FROM launchpad_seed.migrations",
  );
  return new Map(rows.map((row) => [row.name, row]));
}

/** `:line:col` of a PostgreSQL error position inside the file, when the server gave one. */
function sqlPlace(sql: string, error: unknown): string {
  const position = Number((error as { position?: string }).position);
  if (!Number.isSafeInteger(position) || position < 1) return "";
  const before = sql.slice(0, position - 1).split("\n");
  return `:${before.length}:${before[before.length - 1].length + 1}`;
}
