import pg from "pg";
import { RemoteError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { lockDataDir } from "./data-dir-lock.js";

export type Row = Record<string, unknown>;

/**
 * The two drivers behind one small interface. Results are normalised so callers never see a driver difference:
 * PGlite returns int8 as BigInt where `pg` returns a string, so BigInts become strings. The seeder casts anything it
 * compares to text in SQL, so the remaining type differences (numeric, timestamps, collation) do not matter.
 */
export interface SeedDatabase {
  kind: "pglite" | "postgres";
  /** Where the data lives, safe to print (no credentials). */
  where: string;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters, e.g. a migration file. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when empty, the embedded PGlite data dir is used. */
  databaseUrl?: string;
  pgliteDir: string;
  /** How long to wait for a PGlite data dir held by another process. */
  lockTimeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

export async function openDatabase(options: OpenOptions): Promise<SeedDatabase> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options);
}

async function openPostgres(url: string): Promise<SeedDatabase> {
  const client = new pg.Client({ connectionString: url, application_name: "launchpad-seed" });
  let lost: Error | undefined;
  // Without a listener a dropped connection would crash the process instead of failing the query in flight.
  client.on("error", (error) => {
    lost = error;
  });
  const host = safeHost(url);
  try {
    await client.connect();
  } catch (error) {
    throw new RemoteError(`Cannot connect to PostgreSQL at ${host}: ${describePgError(error)}`);
  }
  return {
    kind: "postgres",
    where: `PostgreSQL at ${host}`,
    async query(sql, params) {
      if (lost) throw new RemoteError(`The connection to PostgreSQL at ${host} was lost: ${lost.message}`);
      const result = await client.query(sql, params);
      return result.rows;
    },
    async exec(sql) {
      await client.query(sql);
    },
    close: () => client.end().catch(() => undefined),
  };
}

async function openPglite(options: OpenOptions): Promise<SeedDatabase> {
  const lock = await lockDataDir(options.pgliteDir, { timeoutMs: options.lockTimeoutMs, logger: options.logger, signal: options.signal });
  try {
    // Loaded only when needed: the WASM build is large and slow to start.
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create(options.pgliteDir);
    return {
      kind: "pglite",
      where: `PGlite at ${options.pgliteDir}`,
      async query(sql, params) {
        const result = await db.query<Row>(sql, params);
        return result.rows.map(normaliseRow) as any;
      },
      async exec(sql) {
        await db.exec(sql);
      },
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function normaliseRow(row: Row): Row {
  for (const [name, value] of Object.entries(row)) if (typeof value === "bigint") row[name] = value.toString();
  return row;
}

/** host:port/db of a URL without its credentials. */
export function safeHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
  } catch {
    return "the given database-url";
  }
}

/** One line from a driver error: PostgreSQL's message plus its detail, never the parameters. */
export function describePgError(error: unknown): string {
  const pgError = error as { message?: string; detail?: string; code?: string };
  const message = pgError.message?.split("\n")[0] ?? String(error);
  return pgError.detail ? `${message} (${pgError.detail})` : message;
}
