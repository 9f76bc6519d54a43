import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Logger, silentLogger } from "../src/lib/logger.js";
import { Secrets } from "../src/lib/secrets.js";
import { runSeed, type SeedCommand, type SeedSettings } from "../src/seed/seed.js";
import { createTestDatabase } from "../test/support/postgres.js";
import { type BenchRow, type BenchScenario, timed } from "./harness.js";

const ROWS = 50_000;
const ROUNDS = 2;
const TABLE_SQL =
  "CREATE TABLE market_symbols (symbol text PRIMARY KEY, base text NOT NULL, quote text NOT NULL, tick_size numeric NOT NULL, max_leverage integer NOT NULL, active boolean NOT NULL, meta jsonb NOT NULL);";
const RESET_SQL = "DROP SCHEMA IF EXISTS launchpad_seed CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;";

interface Symbol {
  symbol: string;
  base: string;
  quote: string;
  tick_size: string;
  max_leverage: number;
  active: boolean;
  meta: { venue: string; rank: number };
}

function symbols(): Symbol[] {
  return Array.from({ length: ROWS }, (_, index) => ({
    symbol: `S${index}-USD`,
    base: `S${index}`,
    quote: "USD",
    tick_size: index % 2 ? "0.01" : "0.0001",
    max_leverage: 1 + (index % 20),
    active: index % 7 !== 0,
    meta: { venue: index % 3 ? "binance" : "coinbase", rank: index },
  }));
}

function writeWorkspace(rows: Symbol[]): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-seed-bench-"));
  mkdirSync(join(root, "migrations"));
  mkdirSync(join(root, "seed"));
  writeFileSync(join(root, "migrations/001_market_symbols.sql"), TABLE_SQL);
  const lines = rows.map(
    (row) =>
      `  - { symbol: ${row.symbol}, base: ${row.base}, quote: ${row.quote}, tick_size: "${row.tick_size}", max_leverage: ${row.max_leverage}, active: ${row.active}, meta: { venue: ${row.meta.venue}, rank: ${row.meta.rank} } }`,
  );
  writeFileSync(join(root, "seed/market-symbols.yaml"), `table: market_symbols\nkey: symbol\nrows:\n${lines.join("\n")}\n`);
  return root;
}

/** The baseline: one plain (unguarded) unnest upsert of the same rows, arrays built in memory. */
async function plainUpsert(client: pg.Client, rows: Symbol[]): Promise<number> {
  const result = await client.query(
    `INSERT INTO market_symbols SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::int[], $6::bool[], $7::jsonb[])
     ON CONFLICT (symbol) DO UPDATE SET base = excluded.base, quote = excluded.quote, tick_size = excluded.tick_size,
       max_leverage = excluded.max_leverage, active = excluded.active, meta = excluded.meta`,
    [
      rows.map((row) => row.symbol),
      rows.map((row) => row.base),
      rows.map((row) => row.quote),
      rows.map((row) => row.tick_size),
      rows.map((row) => row.max_leverage),
      rows.map((row) => row.active),
      rows.map((row) => JSON.stringify(row.meta)),
    ],
  );
  return result.rowCount ?? 0;
}

async function rowByRow(client: pg.Client, rows: Symbol[]): Promise<void> {
  await client.query("BEGIN");
  for (const row of rows) {
    await client.query({
      name: "insert-symbol",
      text: "INSERT INTO market_symbols VALUES ($1, $2, $3, $4, $5, $6, $7)",
      values: [row.symbol, row.base, row.quote, row.tick_size, row.max_leverage, row.active, JSON.stringify(row.meta)],
    });
  }
  await client.query("COMMIT");
}

/** Rows whose physical tuple changed between two snapshots of ctids: what an update really wrote. */
async function ctids(client: pg.Client): Promise<Map<string, string>> {
  const result = await client.query<{ symbol: string; ctid: string }>("SELECT symbol, ctid::text AS ctid FROM market_symbols");
  return new Map(result.rows.map((row) => [row.symbol, row.ctid]));
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/**
 * 50,000 rows into a real PostgreSQL: the seeder's fresh apply, no-op re-apply and verify (end to end, YAML included),
 * against a plain unnest upsert of the same rows and a row-by-row insert, on the same server in the same run.
 */
export const seedScenario: BenchScenario = {
  name: "seed",
  async run() {
    const database = await createTestDatabase("launchpad_bench");
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const rows = symbols();
    const root = writeWorkspace(rows);
    const settings = (command: SeedCommand): SeedSettings => ({
      command,
      workspace: root,
      manifestsDir: join(root, "seed"),
      migrationsDir: join(root, "migrations"),
      databaseUrl: database.url,
      pgliteDir: join(root, ".launchpad/pglite"),
      env: "bench",
      defaultRunId: "bench",
      operator: "bench",
      gitSha: "",
      lockTimeoutMs: 60_000,
      toolVersion: "bench",
    });
    // The database phase starts when lint reports the manifests clean: everything before is reading YAML.
    let parsedAt = 0;
    const logger: Logger = {
      ...silentLogger,
      info: (message) => {
        if (message.includes("lint clean")) parsedAt = performance.now();
      },
    };
    const seed = async (command: SeedCommand) => {
      const started = performance.now();
      const result = await runSeed(settings(command), { logger, secrets: new Secrets(), env: {} });
      const ended = performance.now();
      return { result, parseMs: parsedAt - started, databaseMs: ended - parsedAt };
    };
    try {
      const applies: Array<{ total: number; parseMs: number; databaseMs: number }> = [];
      const baselines: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await client.query(RESET_SQL);
        await client.query(TABLE_SQL);
        baselines.push((await timed(() => plainUpsert(client, rows))).ms);
        await client.query(RESET_SQL);
        const apply = await timed(() => seed("apply"));
        applies.push({ total: apply.ms, parseMs: apply.result.parseMs, databaseMs: apply.result.databaseMs });
      }
      // The last fresh apply left the seeder's data in place: the no-op and verify runs start from it.
      const before = await ctids(client);
      const noop = await timed(() => seed("apply"));
      const after = await ctids(client);
      const rewritten = [...before].filter(([symbol, ctid]) => after.get(symbol) !== ctid).length;
      const { totals } = noop.result.result;
      const reported = totals.inserted + totals.updated + totals.deleted;
      const verify = await timed(() => seed("verify"));
      if (!verify.result.result.ok) throw new Error(`verify found ${verify.result.result.drift.length} drifted rows after apply`);
      const plainAgain = await timed(() => plainUpsert(client, rows));
      await client.query("DROP TABLE market_symbols");
      await client.query(TABLE_SQL);
      const byRow = await timed(() => rowByRow(client, rows));
      const pick = (field: "total" | "parseMs" | "databaseMs") => median(applies.map((apply) => apply[field]));
      const baseline = median(baselines);
      return [
        {
          scenario: "seed",
          metric: "fresh apply, database phase",
          value: pick("databaseMs"),
          unit: "ms",
          baseline,
          maxRatio: 1.5,
          note: "vs plain unnest upsert",
        },
        {
          scenario: "seed",
          metric: "fresh apply, database phase vs row-by-row insert",
          value: pick("databaseMs"),
          unit: "ms",
          baseline: byRow.ms,
          maxRatio: 0.1,
          note: "target ≥10× faster",
        },
        {
          scenario: "seed",
          metric: "fresh apply, end to end",
          value: pick("total"),
          unit: "ms",
          baseline,
          note: `incl. ${pick("parseMs").toFixed(0)} ms reading the 50k-row YAML`,
        },
        {
          scenario: "seed",
          metric: "no-op re-apply, database phase",
          value: noop.result.databaseMs,
          unit: "ms",
          baseline,
          note: `end to end ${noop.ms.toFixed(0)} ms`,
        },
        {
          scenario: "seed",
          metric: "no-op re-apply: rows written",
          value: Math.max(reported, rewritten),
          unit: "rows",
          maxValue: 0,
          note: `reported ${reported}, tuples rewritten ${rewritten}`,
        },
        {
          scenario: "seed",
          metric: "unguarded unnest re-upsert: rows rewritten",
          value: plainAgain.result,
          unit: "rows",
          note: `${plainAgain.ms.toFixed(0)} ms; what the guard avoids`,
        },
        {
          scenario: "seed",
          metric: "verify, database phase",
          value: verify.result.databaseMs,
          unit: "ms",
          baseline,
          note: `end to end ${verify.ms.toFixed(0)} ms`,
        },
        {
          scenario: "seed",
          metric: "row-by-row insert",
          value: byRow.ms,
          unit: "ms",
          baseline,
          note: "prepared, one transaction, loopback",
        },
      ] satisfies BenchRow[];
    } finally {
      await client.end();
      await database.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
