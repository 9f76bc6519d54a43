import { ConfigurationError } from "../lib/errors.js";
import { describePgError, type SeedDatabase } from "./database.js";
import { hashSecret, secretMatches } from "./secret-values.js";
import { type Column, describeTable, encodeValue, quoteIdent, quoteTable, refuseSpellingTraps, type TableShape } from "./tables.js";
import { formatPlaceText, isSecretRef, type Manifest } from "./types.js";

/** A manifest matched to its table, with one text array per column ready for `unnest` binds. */
export interface PreparedTable {
  manifest: Manifest;
  shape: TableShape;
  params: Array<Array<string | null>>;
}

const OWNED = "launchpad_seed.owned_rows";

/** `src`: the manifest rows as typed values, from one text array per column (one round trip for any row count). */
function sourceCte(shape: TableShape, columns: Column[] = shape.columns): string {
  const binds = columns.map((_, index) => `$${index + 1}::text[]`).join(", ");
  const names = columns.map((column) => quoteIdent(column.name));
  const casts = columns.map((column) => `u.${quoteIdent(column.name)}::${column.type} AS ${quoteIdent(column.name)}`);
  return `src AS (SELECT u.i, ${casts.join(", ")} FROM unnest(${binds}) WITH ORDINALITY AS u(${names.join(", ")}, i))`;
}

/** The key as the text of a JSON array of text: how owned rows are recorded and matched, the same for every key type. */
function keyJson(alias: string, shape: TableShape): string {
  return `to_jsonb(ARRAY[${shape.key.map((column) => `${alias}.${quoteIdent(column.name)}::text`).join(", ")}])::text`;
}

function keyMatch(left: string, right: string, shape: TableShape): string {
  return shape.key.map((column) => `${left}.${quoteIdent(column.name)} = ${right}.${quoteIdent(column.name)}`).join(" AND ");
}

/** Compares `t.c` with `excluded.c`: json has no equality operator, so it is compared as jsonb. */
function comparable(alias: string, column: Column): string {
  const ref = `${alias}.${quoteIdent(column.name)}`;
  return column.type === "json" ? `${ref}::jsonb` : ref;
}

function nonKey(shape: TableShape): Column[] {
  return shape.columns.slice(shape.key.length);
}

/**
 * Encodes the manifest for its table, column by column. Hashed secrets reuse the stored hash when it still matches the
 * secret (a fresh salt would make every run rewrite the row); otherwise they get a new hash.
 */
export async function prepareTable(db: SeedDatabase, manifest: Manifest, secretValues: Map<string, string>): Promise<PreparedTable> {
  const shape = await describeTable(db, manifest);
  refuseSpellingTraps(manifest, shape);
  const { rows } = manifest;
  const hashed = shape.columns.filter((column) => rows.some((row) => isHashedSecret(row[column.name])));
  const stored = hashed.length ? await storedValues(db, manifest, shape, hashed) : new Map<number, Record<string, string | null>>();
  const params: Array<Array<string | null>> = [];
  for (const column of shape.columns) {
    const { name } = column;
    const values = new Array<string | null>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const value = rows[index][name];
      // Most values are plain scalars: the same text encodeValue gives them, without its checks.
      if (typeof value === "string" && !column.isJson) values[index] = value;
      else if (value === null || value === undefined) values[index] = null;
      else if (!isSecretRef(value)) values[index] = encodeValue(value, column);
      else {
        const secret = secretValues.get(value.secret)!;
        let resolved: string | null = secret;
        if (value.hash) {
          const current = stored.get(index + 1)?.[name] ?? null;
          resolved = (await secretMatches(secret, current)) ? current : await hashSecret(secret);
        }
        values[index] = encodeValue(resolved, column);
      }
    }
    params.push(values);
  }
  return { manifest, shape, params };
}

function isHashedSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && isSecretRef(value) && Boolean(value.hash);
}

/**
 * A text[] bind as the array literal PostgreSQL reads, written by the native JSON.stringify when that is exact: with
 * no backslash in it, JSON's `["a",null]` and the literal `{"a",null}` hold the same elements (an unquoted null is
 * NULL). Anything that needs escaping goes to the driver's own array encoding.
 */
function textArrayBind(values: Array<string | null>): string | Array<string | null> {
  const json = JSON.stringify(values);
  return json.includes("\\") ? values : `{${json.slice(1, -1)}}`;
}

const binds = new WeakMap<PreparedTable, Array<string | Array<string | null>>>();

/** The column binds of a prepared table, encoded once and shared by every statement that sends them. */
function columnBinds(table: PreparedTable): Array<string | Array<string | null>> {
  let encoded = binds.get(table);
  if (!encoded) {
    encoded = table.params.map(textArrayBind);
    binds.set(table, encoded);
  }
  return encoded;
}

async function storedValues(
  db: SeedDatabase,
  manifest: Manifest,
  shape: TableShape,
  columns: Column[],
): Promise<Map<number, Record<string, string | null>>> {
  const keyParams = shape.key.map((column) => textArrayBind(manifest.rows.map((row) => encodeValue(row[column.name], column))));
  const selected = columns.map((column) => `d.${quoteIdent(column.name)}::text AS ${quoteIdent(column.name)}`).join(", ");
  const rows = await db.query<Record<string, string | null>>(
    `WITH ${sourceCte(shape, shape.key)} SELECT s.i::text AS i, ${selected} FROM src s JOIN ${shape.sql} d ON ${keyMatch("d", "s", shape)}`,
    keyParams,
  );
  return new Map(rows.map((row) => [Number(row.i), row]));
}

export interface Comparison {
  missing: string[][];
  changed: Array<{ key: string[]; columns: string[] }>;
  unchanged: number;
}

/** Row-by-row comparison of the manifest with the table, typed values against typed values; no hashing shortcut. */
export async function compareTable(db: SeedDatabase, table: PreparedTable): Promise<Comparison> {
  const { shape } = table;
  const others = nonKey(shape);
  const differs = others.length
    ? `(${others.map((column) => comparable("s", column)).join(", ")}) IS DISTINCT FROM (${others.map((column) => comparable("d", column)).join(", ")})`
    : "false";
  const changedColumns = others.length
    ? `array_to_json(array_remove(ARRAY[${others.map((column) => `CASE WHEN ${comparable("s", column)} IS DISTINCT FROM ${comparable("d", column)} THEN ${sqlString(column.name)} END`).join(", ")}], NULL))::text`
    : "'[]'";
  const rows = await failsAs(
    table,
    "reading",
    db.query<{ status: string; key: string | null; columns: string | null; n: number }>(
      `WITH ${sourceCte(shape)},
     cmp AS (
       SELECT ${keyJson("s", shape)} AS key,
              CASE WHEN d.ctid IS NULL THEN 'missing' WHEN ${differs} THEN 'changed' ELSE 'same' END AS status,
              ${changedColumns} AS columns
       FROM src s LEFT JOIN ${shape.sql} d ON ${keyMatch("d", "s", shape)})
     SELECT status, key, columns, 1 AS n FROM cmp WHERE status <> 'same'
     UNION ALL SELECT 'same', NULL, NULL, count(*)::int FROM cmp WHERE status = 'same'`,
      columnBinds(table),
    ),
  );
  const result: Comparison = { missing: [], changed: [], unchanged: 0 };
  for (const row of rows) {
    if (row.status === "same") result.unchanged = Number(row.n);
    else if (row.status === "missing") result.missing.push(JSON.parse(row.key!));
    else result.changed.push({ key: JSON.parse(row.key!), columns: JSON.parse(row.columns!) });
  }
  return result;
}

/** Rows the seeder created in this table that the manifest no longer lists and that still exist. */
export async function ownedExtras(db: SeedDatabase, table: PreparedTable): Promise<string[][]> {
  const { shape } = table;
  const keyParams = columnBinds(table).slice(0, shape.key.length);
  const rows = await db.query<{ key: string }>(
    `WITH ${sourceCte(shape, shape.key)}
     SELECT DISTINCT o.key FROM ${OWNED} o
     WHERE o.table_name = $${shape.key.length + 1}
       AND NOT EXISTS (SELECT 1 FROM src s WHERE ${keyJson("s", shape)} = o.key)
       AND EXISTS (SELECT 1 FROM ${shape.sql} d WHERE ${keyJson("d", shape)} = o.key)
     ORDER BY 1`,
    [...keyParams, table.manifest.table],
  );
  return rows.map((row) => JSON.parse(row.key));
}

/**
 * One statement per table: the manifest rows are first joined with the table, and only those missing or different go
 * on to a guarded upsert, so a re-run writes nothing (and spends no insert attempt on an unchanged row); the rows it
 * inserted are recorded as owned by this run (only those may ever be pruned). The upsert keeps its own conflict
 * handling and guard, so a row another session writes meanwhile is still handled as before.
 */
export async function upsertTable(db: SeedDatabase, table: PreparedTable, runSeq: string): Promise<{ inserted: number; updated: number }> {
  const { shape } = table;
  const names = shape.columns.map((column) => quoteIdent(column.name)).join(", ");
  const others = nonKey(shape);
  const distinct = (left: string, right: string) =>
    `(${others.map((column) => comparable(left, column)).join(", ")}) IS DISTINCT FROM (${others.map((column) => comparable(right, column)).join(", ")})`;
  const conflict = others.length
    ? `DO UPDATE SET ${others.map((column) => `${quoteIdent(column.name)} = excluded.${quoteIdent(column.name)}`).join(", ")}
       WHERE ${distinct("t", "excluded")}`
    : "DO NOTHING";
  const next = table.params.length;
  const [counts] = await failsAs(
    table,
    "writing",
    db.query<{ inserted: number; updated: number }>(
      `WITH ${sourceCte(shape)},
     todo AS (
       SELECT s.* FROM src s LEFT JOIN ${shape.sql} d ON ${keyMatch("d", "s", shape)}
       WHERE d.ctid IS NULL${others.length ? ` OR ${distinct("s", "d")}` : ""}),
     up AS (
       INSERT INTO ${shape.sql} AS t (${names}) SELECT ${names} FROM todo
       ON CONFLICT (${shape.key.map((column) => quoteIdent(column.name)).join(", ")}) ${conflict}
       RETURNING (xmax = 0) AS inserted, ${keyJson("t", shape)} AS key),
     owned AS (
       INSERT INTO ${OWNED} (table_name, key, key_columns, run_seq) SELECT $${next + 1}, key, $${next + 3}::jsonb, $${next + 2}::bigint FROM up WHERE inserted)
     SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, (count(*) FILTER (WHERE NOT inserted))::int AS updated FROM up`,
      [...columnBinds(table), table.manifest.table, runSeq, JSON.stringify(table.manifest.key)],
    ),
  );
  return { inserted: Number(counts.inserted), updated: Number(counts.updated) };
}

/**
 * Deletes seeder-owned rows the manifest no longer lists (with `sinceSeq`: only those created after that run, as a
 * rollback does); rows anyone else created are never touched.
 */
export async function pruneTable(db: SeedDatabase, table: PreparedTable, sinceSeq?: string): Promise<number> {
  const { shape } = table;
  const keyParams = columnBinds(table).slice(0, shape.key.length);
  const [result] = await failsAs(
    table,
    "pruning",
    db.query<{ deleted: number }>(
      `WITH ${sourceCte(shape, shape.key)},
     gone AS (
       DELETE FROM ${OWNED} o WHERE o.table_name = $${shape.key.length + 1} AND o.run_seq > $${shape.key.length + 2}::bigint
         AND NOT EXISTS (SELECT 1 FROM src s WHERE ${keyJson("s", shape)} = o.key)
       RETURNING o.key),
     deleted AS (DELETE FROM ${shape.sql} d USING gone WHERE ${keyJson("d", shape)} = gone.key RETURNING 1)
     SELECT count(*)::int AS deleted FROM deleted`,
      [...keyParams, table.manifest.table, sinceSeq ?? "0"],
    ),
  );
  return Number(result.deleted);
}

/** A row the database refuses (bad value, constraint) is the manifest's mistake: say which table and why, in one line. */
async function failsAs<T>(table: PreparedTable, doing: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const where = formatPlaceText(table.manifest.locate(["table"]));
    throw new ConfigurationError(`${where}: ${doing} ${table.manifest.table} failed: ${describePgError(error)}`);
  }
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Tables holding seeder-owned rows created after a run, with their key columns: what a rollback must prune. */
export async function tablesOwnedSince(db: SeedDatabase, sinceSeq: string): Promise<Array<{ table: string; key: string[] }>> {
  const rows = await db.query<{ table_name: string; key_columns: string }>(
    `SELECT DISTINCT table_name, key_columns::text AS key_columns FROM ${OWNED} WHERE run_seq > $1::bigint ORDER BY 1`,
    [sinceSeq],
  );
  return rows.map((row) => ({ table: row.table_name, key: JSON.parse(row.key_columns) }));
}

/** Deletes every seeder-owned row of a table created after a run: for tables the rolled-back-to run did not seed. */
export async function pruneAllSince(db: SeedDatabase, table: string, key: string[], sinceSeq: string): Promise<number> {
  const shape: TableShape = {
    sql: quoteTable(table),
    columns: [],
    key: key.map((name) => ({ name, type: "text", isArray: false, isJson: false })),
  };
  const [result] = await db.query<{ deleted: number }>(
    `WITH gone AS (DELETE FROM ${OWNED} o WHERE o.table_name = $1 AND o.run_seq > $2::bigint RETURNING o.key),
     deleted AS (DELETE FROM ${shape.sql} d USING gone WHERE ${keyJson("d", shape)} = gone.key RETURNING 1)
     SELECT count(*)::int AS deleted FROM deleted`,
    [table, sinceSeq],
  );
  return Number(result.deleted);
}
