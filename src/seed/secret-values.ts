import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { ConfigurationError } from "../lib/errors.js";
import type { Secrets } from "../lib/secrets.js";
import { formatPlaceText, isSecretRef, type Manifest } from "./types.js";

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

const namesUsed = new WeakMap<Manifest, string[]>();

/** The variables one manifest reads, in the order of first use; found once per manifest (a scan of every value). */
function manifestSecretNames(manifest: Manifest): string[] {
  let names = namesUsed.get(manifest);
  if (!names) {
    const found = new Set<string>();
    for (const row of manifest.rows)
      for (const column in row) {
        const value = row[column];
        // Most values are plain scalars: only an object can be a secret reference.
        if (typeof value === "object" && value !== null && isSecretRef(value)) found.add(value.secret);
      }
    names = [...found];
    namesUsed.set(manifest, names);
  }
  return names;
}

/**
 * Reads every `{ secret: NAME }` the manifests use from the environment and registers each value as a secret before
 * anything can print it. A missing variable is a configuration error naming the variable and where it is first used.
 */
export function resolveSecrets(
  manifests: readonly Manifest[],
  env: Record<string, string | undefined>,
  secrets: Secrets,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const manifest of manifests) {
    for (const name of manifestSecretNames(manifest)) {
      if (values.has(name)) continue;
      const secret = env[name];
      if (!secret) throw missingSecret(manifest, name);
      secrets.add(secret);
      values.set(name, secret);
    }
  }
  return values;
}

/** The error for a variable that is not set, placed at its first use. */
function missingSecret(manifest: Manifest, name: string): ConfigurationError {
  for (const [index, row] of manifest.rows.entries())
    for (const column in row) {
      const value = row[column];
      if (!isSecretRef(value) || value.secret !== name) continue;
      const where = formatPlaceText(manifest.locate(["rows", index, column]));
      return new ConfigurationError(`${where}: environment variable ${name} is not set; ${manifest.table}.${column} needs it.`);
    }
  return new ConfigurationError(`Environment variable ${name} is not set; ${manifest.file} needs it.`);
}

/** Every environment variable the manifests read secrets from. */
export function secretNames(manifests: readonly Manifest[]): string[] {
  return [...new Set(manifests.flatMap(manifestSecretNames))].sort();
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
