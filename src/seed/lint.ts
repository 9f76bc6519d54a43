import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import { parse } from "yaml";
import { jsonPointerPath } from "../lib/yaml-path.js";
import { BUILT_IN_SCHEMAS, ENVELOPE_SCHEMA } from "./schemas.js";
import { manifestColumns } from "./tables.js";
import { type Diagnostic, isSecretRef, type Manifest, type ManifestValue } from "./types.js";

const addFormats: (ajv: Ajv) => void = (formatsModule as any).default ?? formatsModule;

/** Schema, secret-reference and cross-row checks over parsed manifests; nothing here touches a database. */
export function lintManifests(manifests: readonly Manifest[], documents: Map<Manifest, unknown>, root: string): Diagnostic[] {
  // The built-in schemas are known to be valid: the meta-schema is only compiled to check a schema file (see below).
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);
  const envelope = ajv.compile(ENVELOPE_WITHOUT_ROW_SHAPE);
  const found: Diagnostic[] = [];
  const report = (manifest: Manifest, path: Array<string | number>, message: string, key = false) =>
    found.push({ ...manifest.locate(path, { key }), message });

  const valid: Manifest[] = [];
  for (const manifest of manifests) {
    const document = documents.get(manifest);
    const errors: AjvError[] = envelope(document) ? [] : [...(envelope.errors ?? [])];
    errors.push(...rowShapeErrors(document));
    if (errors.length) {
      for (const error of errors) reportAjvError(manifest, [], error, report);
      continue;
    }
    valid.push(manifest);
    checkRows(manifest, loadRowSchema(manifest, ajv, root, report), report);
  }
  checkTables(valid, report);
  checkDuplicateKeys(valid, report);
  checkReferences(valid, report);
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

/** The per-row checks. They run over every row of every manifest, so the common row (plain values) allocates nothing. */
function checkRows(manifest: Manifest, rowSchema: ValidateFunction | undefined, report: Report): void {
  const columns = manifestColumns(manifest);
  const mustHash = manifest.schema ? (BUILT_IN_SCHEMAS[manifest.schema]?.hashedSecrets ?? []) : [];
  const { rows, key } = manifest;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    let count = 0;
    let objects = false;
    for (const column in row) {
      count++;
      const value = row[column];
      if (typeof value === "object" && value !== null && !Array.isArray(value)) objects = true;
    }
    // Every row key is one of the columns, so a row with as many keys as there are columns lists them all.
    if (count !== columns.length) {
      const absent = columns.filter((column) => !(column in row));
      report(
        manifest,
        ["rows", index],
        `row has no ${absent.join(", ")}; every row lists the same columns (write ${absent[0]}: null for NULL)`,
      );
    }
    for (const column of key) {
      if (row[column] === undefined || row[column] === null)
        report(manifest, ["rows", index], `row has no value for key column '${column}'`);
    }
    if (objects || mustHash.length) checkSecrets(manifest, mustHash, row, index, report);
    if (rowSchema && !rowSchema(objects ? withoutSecrets(row) : row)) {
      for (const error of rowSchema.errors ?? []) reportAjvError(manifest, ["rows", index], error, report);
    }
  }
}

/** What reporting needs of an Ajv error. */
type AjvError = Pick<ErrorObject, "instancePath" | "keyword" | "params" | "message">;

const { items: ROW_SHAPE, ...ROWS_ARRAY } = ENVELOPE_SCHEMA.properties.rows;
/** The envelope but for the shape of each row, which `rowShapeErrors` checks once per column name instead of per cell. */
const ENVELOPE_WITHOUT_ROW_SHAPE = { ...ENVELOPE_SCHEMA, properties: { ...ENVELOPE_SCHEMA.properties, rows: ROWS_ARRAY } };
const COLUMN_NAME = new RegExp(ROW_SHAPE.propertyNames.pattern, "u");

/**
 * The envelope's `rows.items` (each row an object, each key a column name), with the errors Ajv gives for it in the
 * same order: a 50,000-row manifest has a handful of distinct names, so each is tested once, not once per cell.
 */
function rowShapeErrors(document: unknown): AjvError[] {
  const rows = (document as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) return [];
  const errors: AjvError[] = [];
  const names = new Map<string, boolean>();
  let badNames = false;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      errors.push({ instancePath: `/rows/${index}`, keyword: "type", params: { type: "object" }, message: "must be object" });
      continue;
    }
    for (const name in row) {
      let fits = names.get(name);
      if (fits === undefined) {
        fits = COLUMN_NAME.test(name);
        names.set(name, fits);
      }
      badNames ||= !fits;
    }
  }
  if (!badNames) return errors;
  // Rare: go again, in Ajv's order (row by row, then key by key), with the type errors in their places.
  const all: typeof errors = [];
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    const instancePath = `/rows/${index}`;
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      all.push({ instancePath, keyword: "type", params: { type: "object" }, message: "must be object" });
      continue;
    }
    for (const name in row) {
      if (names.get(name)) continue;
      const { pattern } = ROW_SHAPE.propertyNames;
      all.push({ instancePath, keyword: "pattern", params: { pattern }, message: `must match pattern "${pattern}"` });
      all.push({ instancePath, keyword: "propertyNames", params: { propertyName: name }, message: "property name must be valid" });
    }
  }
  return all;
}

type Report = (manifest: Manifest, path: Array<string | number>, message: string, key?: boolean) => void;

/** The JSON Schema file a manifest's `schema:` names (relative to the manifest), or undefined for a built-in schema. */
export function schemaFilePath(manifest: Pick<Manifest, "file" | "schema">, root: string): string | undefined {
  if (!manifest.schema || BUILT_IN_SCHEMAS[manifest.schema] || !/\.(json|ya?ml)$/i.test(manifest.schema)) return undefined;
  return resolve(root, dirname(manifest.file), manifest.schema);
}

function loadRowSchema(manifest: Manifest, ajv: Ajv, root: string, report: Report): ValidateFunction | undefined {
  if (!manifest.schema) return undefined;
  const builtIn = BUILT_IN_SCHEMAS[manifest.schema];
  if (builtIn) return ajv.compile(builtIn.row);
  if (!/\.(json|ya?ml)$/i.test(manifest.schema)) {
    report(
      manifest,
      ["schema"],
      `unknown schema '${manifest.schema}'; use one of ${Object.keys(BUILT_IN_SCHEMAS).join(", ")} or a path to a JSON Schema file`,
    );
    return undefined;
  }
  const path = schemaFilePath(manifest, root)!;
  try {
    const schema = parse(readFileSync(path, "utf8"));
    // Throws "schema is invalid: …" as compile would with schema validation on.
    ajv.validateSchema(schema, true);
    return ajv.compile(schema);
  } catch (error) {
    report(manifest, ["schema"], `cannot use JSON Schema ${manifest.schema}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function reportAjvError(manifest: Manifest, base: Array<string | number>, error: AjvError, report: Report): void {
  const path = [...base, ...jsonPointerPath(error.instancePath)];
  const where = error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, ".")} ` : "";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    report(
      manifest,
      [...path, String(params.additionalProperty)],
      `unknown field '${params.additionalProperty}'${where ? ` in ${where.trim()}` : ""}`,
      true,
    );
  } else if (error.keyword === "enum") {
    report(
      manifest,
      path,
      `${where}must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`,
    );
  } else {
    report(manifest, path, `${where}${error.message}`);
  }
}

function checkSecrets(
  manifest: Manifest,
  mustHash: readonly string[],
  row: Record<string, ManifestValue>,
  index: number,
  report: Report,
): void {
  for (const column in row) {
    const value = row[column];
    // Plain values of columns that need no secret: nothing to check (most of a big manifest).
    if ((value === null || typeof value !== "object" || Array.isArray(value)) && !mustHash.includes(column)) continue;
    const path = ["rows", index, column];
    if (typeof value === "object" && value !== null && !Array.isArray(value) && "secret" in value) {
      const extra = Object.keys(value).filter((name) => name !== "secret" && name !== "hash");
      if (!isSecretRef(value) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.secret))
        report(manifest, path, "secret must name an environment variable, e.g. { secret: DEMO_PASSWORD }");
      else if (value.hash !== undefined && value.hash !== "scrypt") report(manifest, [...path, "hash"], "hash must be scrypt");
      else if (extra.length)
        report(manifest, [...path, extra[0]], `unknown field '${extra[0]}' in a secret reference; allowed are secret and hash`, true);
    } else if (mustHash.includes(column)) {
      report(manifest, path, `${column} must be a secret reference such as { secret: DEMO_PASSWORD, hash: scrypt }, never a literal`);
    }
    if (mustHash.includes(column) && isSecretRef(value) && value.hash === undefined)
      report(manifest, path, `${column} must be stored hashed: add hash: scrypt`);
  }
}

function withoutSecrets(row: Record<string, ManifestValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, isSecretRef(value) ? "<secret>" : value]));
}

function checkTables(manifests: readonly Manifest[], report: Report): void {
  const seen = new Map<string, Manifest>();
  for (const manifest of manifests) {
    const other = seen.get(manifest.table);
    if (other) report(manifest, ["table"], `table ${manifest.table} is already seeded by ${other.file}; keep one manifest per table`);
    else seen.set(manifest.table, manifest);
  }
}

export function keyText(manifest: Manifest, row: Record<string, ManifestValue>): string {
  return JSON.stringify(manifest.key.map((column) => scalarText(row[column])));
}

export function scalarText(value: ManifestValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function checkDuplicateKeys(manifests: readonly Manifest[], report: Report): void {
  for (const manifest of manifests) {
    const first = new Map<string | null, number>();
    // A one-column key (the common case) is told apart by its text alone; a longer one by the JSON of its texts.
    const [single] = manifest.key.length === 1 ? manifest.key : [];
    const { rows } = manifest;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      const key = single === undefined ? keyText(manifest, row) : scalarText(row[single]);
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, index);
      else {
        const at = manifest.locate(["rows", earlier]);
        report(
          manifest,
          ["rows", index, manifest.key[0]],
          `duplicate key ${manifest.key.map((column) => `${column}=${scalarText(row[column])}`).join(", ")} (first at line ${at.line})`,
        );
      }
    }
  }
}

/** Every reference from the built-in schema or the manifest, for lint and for foreign-key ordering without a database. */
export function referencesOf(manifest: Manifest): Record<string, string> {
  const builtIn = manifest.schema ? BUILT_IN_SCHEMAS[manifest.schema]?.references : undefined;
  return { ...builtIn, ...manifest.references };
}

function checkReferences(manifests: readonly Manifest[], report: Report): void {
  const byTable = new Map(manifests.map((manifest) => [manifest.table, manifest]));
  for (const manifest of manifests) {
    for (const [column, target] of Object.entries(referencesOf(manifest))) {
      const at = target.lastIndexOf(".");
      const [table, targetColumn] = [target.slice(0, at), target.slice(at + 1)];
      const referenced = byTable.get(table);
      if (!referenced) continue;
      const known = new Set(referenced.rows.map((row) => scalarText(row[targetColumn])));
      manifest.rows.forEach((row, index) => {
        const value = scalarText(row[column]);
        if (value !== null && !known.has(value)) {
          report(manifest, ["rows", index, column], `${column}=${value} refers to no ${target} in ${referenced.file}`);
        }
      });
    }
  }
}
