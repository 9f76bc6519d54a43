import { randomBytes } from "node:crypto";
import { lstatSync } from "node:fs";
import { resolve } from "node:path";
import { inputNames, outputNames } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import { outside } from "../lib/path-within.js";
import { LAUNCHPAD_VERSION } from "../lib/version.js";
import { resolveWorkspacePath } from "../lib/workspace-path.js";
import { SEED_COMMANDS, type SeedSettings } from "./seed.js";

/** Input and output names of the seed action, defined once for the action, the CLI and action.yml tests. */
export const SEED_INPUTS = inputNames("seed");

export const SEED_OUTPUTS = outputNames("seed");

export const DEFAULT_MANIFESTS = "infrastructure/seed-data";
export const DEFAULT_MIGRATIONS = "infrastructure/migrations";
/** The embedded database, relative to the workspace, used when database-url is empty. */
export const PGLITE_DIR = ".launchpad/pglite";
export const DEFAULT_DATADOG_SITE = "datadoghq.com";
/** Supabase's transaction pooler (Supavisor in transaction mode); its session pooler listens on 5432. */
const TRANSACTION_POOLER_PORT = "6543";
/** Another seed run holds the lock for as long as its transaction; an hour is past any sane one. */
const LOCK_TIMEOUT_RANGE = { min: "0s", max: "1h" };
/** The commands that read the manifests folder (rollback replays the stored run, history reads the database). */
const READS_MANIFESTS: readonly string[] = ["lint", "plan", "apply", "verify"];
/** The commands that need the approval record (in production, for requires-approval manifests). */
const READS_APPROVAL_RECORD: readonly string[] = ["apply", "rollback"];

export interface SeedContext {
  workspace: string;
  actor: string;
  sha: string;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT, when running in Actions. */
  runId?: string;
  runAttempt?: string;
  /** RUNNER_TEMP in Actions, where the approval action writes its record: `approval-record` may point there too. */
  runnerTemp?: string;
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
  const { workspace } = context;
  const env = inputs.optional(SEED_INPUTS.env, "local");
  if (!/^[\w.-]{1,64}$/.test(env))
    throw new ConfigurationError(`${inputLabel(SEED_INPUTS.env)} got ${quoteValue(env)}; expected a short name such as staging.`);
  const command = inputs.choice(SEED_INPUTS.command, SEED_COMMANDS, "apply");
  const manifests = inputs.optional(SEED_INPUTS.manifests, DEFAULT_MANIFESTS);
  const approvalRecord = inputs.optional(SEED_INPUTS.approvalRecord);
  return {
    command,
    workspace,
    manifestsDir: READS_MANIFESTS.includes(command)
      ? resolveWorkspacePath(workspace, SEED_INPUTS.manifests, manifests, "directory")
      : resolve(workspace, manifests),
    migrationsDir: migrationsFolder(workspace, inputs.optional(SEED_INPUTS.migrations, DEFAULT_MIGRATIONS)),
    databaseUrl,
    pgliteDir: resolve(workspace, PGLITE_DIR),
    env,
    runId: inputs.optional(SEED_INPUTS.runId) || undefined,
    defaultRunId: defaultRunId(context),
    operator: inputs.optional(SEED_INPUTS.operator, context.actor || "unknown"),
    gitSha: context.sha,
    lockTimeoutMs: inputs.duration(SEED_INPUTS.lockTimeout, "60s", LOCK_TIMEOUT_RANGE),
    toolVersion: `launchpad ${LAUNCHPAD_VERSION}`,
    approvalRecord: approvalRecord && READS_APPROVAL_RECORD.includes(command) ? approvalRecordFile(approvalRecord, context) : undefined,
    datadog: readDatadog(inputs),
  };
}

/**
 * The approval record, a file in the workspace or in the runner's temp folder, where the approval action writes it
 * (its `record` output) so that a later step of the same job can pass it on.
 */
function approvalRecordFile(value: string, context: SeedContext): string {
  const temp = context.runnerTemp;
  const root = temp && !outside(resolve(temp), resolve(context.workspace, value)) ? temp : context.workspace;
  return resolveWorkspacePath(root, SEED_INPUTS.approvalRecord, value, "file");
}

/**
 * The migrations folder, checked like every path input, except that a folder that does not exist is skipped (as
 * action.yml says): a repository without migrations needs no input. Anything else wrong with it is refused by name.
 */
function migrationsFolder(workspace: string, value: string): string | undefined {
  try {
    return resolveWorkspacePath(workspace, SEED_INPUTS.migrations, value, "directory");
  } catch (error) {
    const path = resolve(workspace, value);
    if (!outside(resolve(workspace), path) && doesNotExist(path)) return undefined;
    throw error;
  }
}

/** Nothing at all at `path` (a dangling symbolic link is something, and the resolver's refusal stands). */
function doesNotExist(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
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
      throw new ConfigurationError(`${inputLabel(SEED_INPUTS.datadogSite)} got ${quoteValue(site)}; expected ${expected}.`);
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
