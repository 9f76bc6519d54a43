import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { ConfigurationError } from "../lib/errors.js";
import type { Secrets } from "../lib/secrets.js";
import { formatPlaceText, isSecretRef, type Manifest } from "./types.js";

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/**
 * Reads every `{ secret: NAME }` the manifests use from the environment and registers each value as a secret before
 * anything can print it. A missing variable is a configuration error naming the variable and where it is used.
 */
export function resolveSecrets(
  manifests: readonly Manifest[],
  env: Record<string, string | undefined>,
  secrets: Secrets,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const manifest of manifests) {
    manifest.rows.forEach((row, index) => {
      for (const column in row) {
        const value = row[column];
        // Most values are plain scalars: only an object can be a secret reference.
        if (typeof value !== "object" || value === null || !isSecretRef(value) || values.has(value.secret)) continue;
        const secret = env[value.secret];
        if (!secret) {
          const where = formatPlaceText(manifest.locate(["rows", index, column]));
          throw new ConfigurationError(`${where}: environment variable ${value.secret} is not set; ${manifest.table}.${column} needs it.`);
        }
        secrets.add(secret);
        values.set(value.secret, secret);
      }
    });
  }
  return values;
}

/** Every environment variable the manifests read secrets from. */
export function secretNames(manifests: readonly Manifest[]): string[] {
  const names = new Set<string>();
  for (const manifest of manifests)
    for (const row of manifest.rows) for (const value of Object.values(row)) if (isSecretRef(value)) names.add(value.secret);
  return [...names].sort();
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64: self-describing, so parameters can change later. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Whether a stored hash still matches the secret; anything unparsable simply does not match (and gets rehashed). */
export async function secretMatches(secret: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split("$") ?? [];
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 1 << 20) return false;
  const expected = Buffer.from(parts[5], "base64");
  if (expected.length < 16) return false;
  const actual = await scrypt(secret, Buffer.from(parts[4], "base64"), expected.length, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}
