import { formatSourcePlace, type SourcePlace } from "../lib/yaml-source.js";

/** A value as written in a manifest row: plain YAML data, or a reference to a secret in the environment. */
export type ManifestValue = string | number | boolean | null | ManifestValue[] | { [key: string]: ManifestValue } | SecretRef;

/** `{ secret: ENV_NAME }`, optionally `hash: scrypt`: the value comes from the environment and is never stored in clear. */
export interface SecretRef {
  secret: string;
  hash?: "scrypt";
}

export type ManifestRow = Record<string, ManifestValue>;

/** A plain scalar YAML read as something other than what was written, at its path in the document. */
export interface Spelling {
  path: Array<string | number>;
  source: string;
  value: number | boolean | null;
}

/** A position in a manifest file, for `file:line:col` messages and annotations. */
export type Place = SourcePlace;

/** One parsed manifest; `locate` maps a path inside the document (e.g. ["rows", 3, "code"]) to its place. */
export interface Manifest {
  /** Path relative to the workspace (or the snapshot name when replayed from a stored run). */
  file: string;
  table: string;
  key: string[];
  rows: ManifestRow[];
  version?: string;
  prune: boolean;
  schema?: string;
  /** column → "table.column" it refers to, for the offline dangling-reference check. */
  references: Record<string, string>;
  /** The environments this manifest is applied in; every environment when absent. */
  environments?: string[];
  /** In an environment named `production`, apply and rollback need an approval record. */
  requiresApproval?: boolean;
  /** Plain scalars read as a value whose text differs from their spelling (`0x1F` → 31); empty for stored manifests. */
  spellings?: Spelling[];
  locate(path: ReadonlyArray<string | number>, options?: { key?: boolean }): Place;
}

/** What `lint` finds; each one becomes an annotation. */
export interface Diagnostic extends Place {
  message: string;
}

export interface TableCounts {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export type DriftKind = "missing" | "extra" | "changed";

export interface DriftItem {
  table: string;
  /** The row's key values, as text. */
  key: string[];
  kind: DriftKind;
  /** For `changed`: the columns that differ. */
  columns?: string[];
}

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as SecretRef).secret === "string";
}

export const formatPlaceText = formatSourcePlace;
