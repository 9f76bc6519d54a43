import { createHash } from "node:crypto";

/**
 * The approval action's audit record, as written to its record file and to the deployment payload: the record's
 * fields plus `digest`, the SHA-256 (hex) of the canonical JSON of every other field. Seed reads the same file.
 */
export interface AuditRecordFile {
  environment: string;
  sha: string;
  digest: string;
  [field: string]: unknown;
}

/** JSON with object keys sorted at every depth and no white space, so equal records hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The digest of a record: SHA-256 over the canonical JSON of all its fields but `digest`. */
export function recordDigest(record: Record<string, unknown>): string {
  const { digest: _digest, ...fields } = record;
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}

/** True when the record carries a digest and it matches its other fields. */
export function hasValidDigest(record: Record<string, unknown>): boolean {
  return typeof record.digest === "string" && record.digest === recordDigest(record);
}
