import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { hasValidDigest } from "../lib/audit-record.js";
import { ConfigurationError } from "../lib/errors.js";
import type { SeedSettings } from "./seed.js";
import { SEED_INPUTS } from "./settings.js";
import type { Manifest } from "./types.js";

/** The one environment where `requires-approval: true` manifests need the approval action's record. */
export const APPROVED_ENVIRONMENT = "production";

/**
 * apply and rollback of `requires-approval` manifests in production need the approval record: present, with a valid
 * digest, for this environment and for the commit this run applies (`gitSha`: GITHUB_SHA in Actions). Anything else is
 * refused before the database is touched, naming the manifest.
 */
export function requireApproval(manifests: readonly Manifest[], settings: SeedSettings): void {
  if (settings.env !== APPROVED_ENVIRONMENT) return;
  const needing = manifests.filter((manifest) => manifest.requiresApproval);
  if (!needing.length) return;
  const named = needing.map((manifest) => `${manifest.file} (${manifest.table})`).join(", ");
  const input = `Input '${SEED_INPUTS.approvalRecord}'`;
  const path = settings.approvalRecord;
  if (!path)
    throw new ConfigurationError(
      `${named} ${needing.length > 1 ? "have" : "has"} requires-approval: true; ${settings.command} in ${APPROVED_ENVIRONMENT} needs ${input}: the record file the approval action writes.`,
    );
  const shown = relative(settings.workspace, path) || path;
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "is not a readable JSON file";
    throw new ConfigurationError(`${input}: ${shown} ${why}; ${named} cannot be changed in ${APPROVED_ENVIRONMENT} without it.`);
  }
  if (!record || typeof record !== "object" || Array.isArray(record) || !hasValidDigest(record as Record<string, unknown>))
    throw new ConfigurationError(
      `${input}: ${shown} does not carry a valid digest (edited, or not written by the approval action); ${named} cannot be changed in ${APPROVED_ENVIRONMENT} with it.`,
    );
  const environment = (record as { environment?: unknown }).environment;
  if (environment !== settings.env)
    throw new ConfigurationError(
      `${input}: ${shown} approves environment ${JSON.stringify(environment)}, not ${settings.env}; ${named} cannot be changed with it.`,
    );
  const sha = (record as { sha?: unknown }).sha;
  const applying = settings.gitSha || "an unknown commit (no GITHUB_SHA and no git checkout)";
  if (typeof sha !== "string" || !settings.gitSha || sha.toLowerCase() !== settings.gitSha.toLowerCase())
    throw new ConfigurationError(
      `${input}: ${shown} approves commit ${typeof sha === "string" ? sha : JSON.stringify(sha ?? null)}, but this run applies ${applying}; ${named} cannot be changed in ${APPROVED_ENVIRONMENT} with it.`,
    );
}
