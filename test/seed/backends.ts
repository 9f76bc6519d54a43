import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { SeedDatabase } from "../../src/seed/database.js";
import { createTestDatabase, postgresAvailability, type TestDatabase } from "../support/postgres.js";

/** One database backend the seed suite runs against: embedded PGlite or a real PostgreSQL server. */
export interface Backend {
  name: "PGlite" | "PostgreSQL";
  /** Set when this backend cannot run here; the suite shows it in the skipped test names. */
  skipReason?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Empties the database between tests: the app's tables and the seeder's bookkeeping. */
  reset(): Promise<void>;
  /** Runs SQL as another client would (to tamper with rows, inspect them, hold locks). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** For core tests: the database-url to use (PostgreSQL) … */
  databaseUrl: string;
  /** … or how to open the shared in-memory PGlite (one instance per file: each costs ~2 s and ~750 MB). */
  open?: () => Promise<SeedDatabase>;
}

const RESET_SQL = "DROP SCHEMA IF EXISTS launchpad_seed CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;";

export function pgliteBackend(): Backend {
  let db: PGlite | undefined;
  const backend: Backend = {
    name: "PGlite",
    databaseUrl: "",
    async start() {
      const { PGlite } = await import("@electric-sql/pglite");
      db = await PGlite.create();
    },
    async stop() {
      await db?.close();
    },
    async reset() {
      await db!.exec(RESET_SQL);
    },
    async query(sql, params) {
      return (await db!.query(sql, params)).rows as any;
    },
    open: async () => ({
      kind: "pglite",
      where: "PGlite (in memory)",
      query: async (sql, params) => (await db!.query(sql, params)).rows as any,
      exec: async (sql) => {
        await db!.exec(sql);
      },
      // Shared by the whole file: closed in stop(), not after each run.
      close: async () => undefined,
    }),
  };
  return backend;
}

export function postgresBackend(): Backend {
  const availability = postgresAvailability();
  let database: TestDatabase | undefined;
  const backend: Backend = {
    name: "PostgreSQL",
    skipReason: availability.reason,
    databaseUrl: "",
    async start() {
      database = await createTestDatabase("launchpad_seed");
      backend.databaseUrl = database.url;
    },
    async stop() {
      await database?.dispose();
    },
    async reset() {
      await backend.query(RESET_SQL);
    },
    async query(sql, params) {
      const client = new pg.Client({ connectionString: backend.databaseUrl });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
  };
  return backend;
}

export const BACKENDS = [pgliteBackend, postgresBackend];

export const DEMO_SECRETS = {
  SEED_DEMO_EDUCATOR_PASSWORD: "planted-educator-secret-7Qx",
  SEED_DEMO_SUPPORT_PASSWORD: "planted-support-secret-9Kz",
};
