import { randomBytes } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import type { Inputs } from "../lib/inputs.js";
import { LAUNCHPAD_VERSION } from "../lib/version.js";
import { SEED_COMMANDS, type SeedSettings } from "./seed.js";

/** Input and output names of the seed action, defined once for the action, the CLI and action.yml tests. */
export const SEED_INPUTS = {
  command: "command",
  manifests: "manifests",
  databaseUrl: "database-url",
  env: "env",
  runId: "run-id",
  migrations: "migrations",
  operator: "operator",
  lockTimeout: "lock-timeout",
  approvalRecord: "approval-record",
  datadogApiKey: "datadog-api-key",
  datadogSite: "datadog-site",
} as const;

export const SEED_OUTPUTS = {
  runId: "run-id",
  inserted: "inserted",
  updated: "updated",
  deleted: "deleted",
  unchanged: "unchanged",
  drift: "drift",
  digest: "digest",
} as const;

export const DEFAULT_MANIFESTS = "infrastructure/seed-data";
export const DEFAULT_MIGRATIONS = "infrastructure/migrations";
/** The embedded database, relative to the workspace, used when database-url is empty. */
export const PGLITE_DIR = ".launchpad/pglite";
export const DEFAULT_DATADOG_SITE = "datadoghq.com";
/** Supabase's transaction pooler (Supavisor in transaction mode); its session pooler listens on 5432. */
const TRANSACTION_POOLER_PORT = "6543";

export interface SeedContext {
  workspace: string;
  actor: string;
  sha: string;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT, when running in Actions. */
  runId?: string;
  runAttempt?: string;
  now?: Date;
}

export function readSeedSettings(inputs: Inputs, context: SeedContext): SeedSettings {
  const databaseUrl = inputs.optional(SEED_INPUTS.databaseUrl);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // The value itself is a secret: never echo it.
    throw new ConfigurationError(
      `Input '${SEED_INPUTS.databaseUrl}' must be a postgres:// or postgresql:// URL, or empty for the embedded PGlite database.`,
    );
  }
  if (databaseUrl && urlPort(databaseUrl) === TRANSACTION_POOLER_PORT) {
    throw new ConfigurationError(
      `Input '${SEED_INPUTS.databaseUrl}' uses port ${TRANSACTION_POOLER_PORT}, Supabase's transaction pooler, which keeps no session state or prepared statements between transactions; use the session pooler on port 5432 (same host) or the direct connection.`,
    );
  }
  const within = (path: string) => (isAbsolute(path) ? path : resolve(context.workspace, path));
  const env = inputs.optional(SEED_INPUTS.env, "local");
  if (!/^[\w.-]{1,64}$/.test(env))
    throw new ConfigurationError(`Input '${SEED_INPUTS.env}' got ${JSON.stringify(env)}; expected a short name such as staging.`);
  return {
    command: inputs.choice(SEED_INPUTS.command, SEED_COMMANDS, "apply"),
    workspace: context.workspace,
    manifestsDir: within(inputs.optional(SEED_INPUTS.manifests, DEFAULT_MANIFESTS)),
    migrationsDir: within(inputs.optional(SEED_INPUTS.migrations, DEFAULT_MIGRATIONS)),
    databaseUrl,
    pgliteDir: within(PGLITE_DIR),
    env,
    runId: inputs.optional(SEED_INPUTS.runId) || undefined,
    defaultRunId: defaultRunId(context),
    operator: inputs.optional(SEED_INPUTS.operator, context.actor || "unknown"),
    gitSha: context.sha,
    lockTimeoutMs: inputs.duration(SEED_INPUTS.lockTimeout, "60s"),
    toolVersion: `launchpad ${LAUNCHPAD_VERSION}`,
    approvalRecord: inputs.optional(SEED_INPUTS.approvalRecord) ? within(inputs.optional(SEED_INPUTS.approvalRecord)) : undefined,
    datadog: readDatadog(inputs),
  };
}

function urlPort(url: string): string | undefined {
  try {
    return new URL(url).port || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `datadog-site` is a Datadog site (`datadoghq.eu`, `us5.datadoghq.com`…), the API then being `https://api.<site>`.
 * An `http://` URL is accepted only for a loopback address: a local agent or a test's fake, never another host.
 */
function readDatadog(inputs: Inputs): SeedSettings["datadog"] {
  const apiKey = inputs.optional(SEED_INPUTS.datadogApiKey);
  const site = inputs.optional(SEED_INPUTS.datadogSite, DEFAULT_DATADOG_SITE);
  const expected = "a Datadog site such as datadoghq.com or datadoghq.eu (or a http://127.0.0.1:PORT URL for a local endpoint)";
  let apiUrl: string;
  if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(site)) apiUrl = `https://api.${site}`;
  else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(site);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || !["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname))
      throw new ConfigurationError(`Input '${SEED_INPUTS.datadogSite}' got ${JSON.stringify(site)}; expected ${expected}.`);
    apiUrl = parsed.origin;
  }
  return apiKey ? { apiKey, apiUrl } : undefined;
}

/** `gh-<run>-<attempt>` in Actions (a re-run gets a new id); otherwise a time-stamped local id. */
function defaultRunId(context: SeedContext): string {
  if (context.runId) return `gh-${context.runId}-${context.runAttempt || "1"}`;
  const stamp = (context.now ?? new Date()).toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  return `local-${stamp}-${randomBytes(2).toString("hex")}`;
}
