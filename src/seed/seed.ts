import { existsSync } from "node:fs";
import { ConfigurationError, errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import type { Secrets } from "../lib/secrets.js";
import { requireApproval } from "./approval-check.js";
import { type OpenOptions, openDatabase, type SeedDatabase } from "./database.js";
import { inEnvironment } from "./environments.js";
import { lintManifests } from "./lint.js";
import { type ManifestSource, parseManifestSources, readManifestSources } from "./manifest.js";
import { renderSummary, type SeedReport } from "./report.js";
import { applyRun, applyUnchanged, comparisonRun, rollbackRun, totals } from "./runs.js";
import { resolveSecrets } from "./secret-values.js";
import { manifestEntries, setDigest } from "./snapshot.js";
import { readHistory } from "./store.js";
import { submitSuccessGauge } from "./success-gauge.js";
import { type Diagnostic, formatPlaceText, type Manifest, type TableCounts } from "./types.js";
import { type ReadFiles, schemaFilesOf } from "./unchanged.js";

export const SEED_COMMANDS = ["lint", "plan", "apply", "verify", "rollback", "history"] as const;
export type SeedCommand = (typeof SEED_COMMANDS)[number];

export interface SeedSettings {
  command: SeedCommand;
  /** The checkout; reported file paths are relative to it. */
  workspace: string;
  manifestsDir: string;
  /** The migrations folder; skipped when it does not exist. */
  migrationsDir?: string;
  /** postgres:// URL, or empty for the embedded PGlite data dir. */
  databaseUrl: string;
  pgliteDir: string;
  env: string;
  /** apply: this run's id; rollback: the run to roll back to. */
  runId?: string;
  /** The id to record when `runId` is not given (apply) or for the rollback run itself; made unique if taken. */
  defaultRunId: string;
  operator: string;
  /** The commit this run applies (GITHUB_SHA in Actions): recorded with the run and matched against the approval record's. */
  gitSha: string;
  lockTimeoutMs: number;
  toolVersion: string;
  /** The approval action's record file, needed for `requires-approval` manifests in production. */
  approvalRecord?: string;
  /** Where to submit the `seed.last_success_timestamp` gauge; off when no API key is given. */
  datadog?: { apiKey: string; apiUrl: string };
}

export interface SeedDeps {
  logger: Logger;
  secrets: Secrets;
  /** Where `{ secret: NAME }` values are read from. */
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** For tests: open the database some other way. */
  open?: (options: OpenOptions) => Promise<SeedDatabase>;
}

export interface SeedResult extends SeedReport {
  /** false when lint found problems or verify found drift. */
  ok: boolean;
  totals: Omit<TableCounts, "table">;
  summary: string;
}

/** Runs one seed command end to end and returns counts, drift and the summary markdown. */
export async function runSeed(settings: SeedSettings, deps: SeedDeps): Promise<SeedResult> {
  const report: SeedReport = {
    command: settings.command,
    env: settings.env,
    tables: [],
    drift: [],
    diagnostics: [],
    changes: [],
    migrations: [],
  };
  if (settings.command === "lint")
    loadAndLint(settings, report, deps.logger, readManifestSources(settings.manifestsDir, settings.workspace));
  else if (settings.command === "apply") await applyCommand(settings, deps, report);
  else if (settings.command === "plan" || settings.command === "verify") {
    const manifests = checkedManifests(settings, deps, report, readManifestSources(settings.manifestsDir, settings.workspace));
    await withDatabase(settings, deps, report, (db) => comparisonRun(db, manifests, settings, deps, report));
  } else {
    await withDatabase(settings, deps, report, async (db) => {
      if (settings.command === "history") report.history = await readHistory(db);
      else await rollbackRun(db, settings, deps, report);
    });
  }
  const ok = report.diagnostics.length === 0 && report.drift.length === 0;
  if (ok && settings.datadog && (settings.command === "apply" || settings.command === "verify")) {
    const runId = report.runId ?? report.lastRunId;
    const tags = { env: settings.env, ...(runId ? { run_id: runId } : {}), digest: report.digest ?? "" };
    report.gauge = (await submitSuccessGauge(settings.datadog, tags, deps)) ? "submitted" : "failed";
  }
  return { ...report, ok, totals: totals(report.tables), summary: deps.secrets.redact(renderSummary(report)) };
}

/**
 * apply reads the files first and only parses them when the database says they may have changed (see unchanged.ts).
 * Whatever is wrong with the manifests still comes first: when the database cannot be opened, they are checked
 * before that error is raised, as when they are parsed before it is opened.
 */
async function applyCommand(settings: SeedSettings, deps: SeedDeps, report: SeedReport): Promise<void> {
  const { workspace, toolVersion, env } = settings;
  const read: ReadFiles = { sources: readManifestSources(settings.manifestsDir, workspace), workspace, toolVersion, env };
  let checked: { manifests: Manifest[]; schemaFiles: string[] } | undefined;
  const check = () => {
    if (!checked) {
      const loaded: Manifest[] = [];
      const manifests = checkedManifests(settings, deps, report, read.sources, loaded);
      checked = { manifests, schemaFiles: schemaFilesOf(loaded, workspace) };
    }
    return checked;
  };
  // PGlite creates its data dir when opened; without one there is no earlier run, and nothing is opened before the check.
  if (!deps.open && !settings.databaseUrl && !existsSync(settings.pgliteDir)) check();
  await withDatabase(
    settings,
    deps,
    report,
    async (db) => {
      if (await applyUnchanged(db, read, settings, deps, report)) return;
      const { manifests, schemaFiles } = check();
      await applyRun(db, manifests, settings, deps, report, { read, schemaFiles });
    },
    check,
  );
}

/**
 * Parsed, linted, scoped to this environment, approved and with every secret read and masked: ready for the database.
 * `loaded` receives every manifest read, those of other environments too.
 */
function checkedManifests(
  settings: SeedSettings,
  deps: SeedDeps,
  report: SeedReport,
  sources: readonly ManifestSource[],
  loaded: Manifest[] = [],
): Manifest[] {
  loaded.push(...loadAndLint(settings, report, deps.logger, sources));
  if (report.diagnostics.length) throw lintFailure(report.diagnostics);
  const manifests = inEnvironment(loaded, settings.env, report);
  if (settings.command === "apply") requireApproval(manifests, settings);
  // A missing secret is found (and every value masked) before anything touches the database.
  resolveSecrets(manifests, deps.env, deps.secrets);
  return manifests;
}

function loadAndLint(settings: SeedSettings, report: SeedReport, logger: Logger, sources: readonly ManifestSource[]): Manifest[] {
  const loaded = parseManifestSources(sources);
  const diagnostics = [...loaded.diagnostics, ...lintManifests(loaded.manifests, loaded.documents, settings.workspace)];
  report.diagnostics = diagnostics;
  for (const problem of diagnostics) {
    logger.error(problem.message, { file: problem.file, startLine: problem.line, startColumn: problem.col, title: "seed lint" });
  }
  // apply works its digest out while the database is busy (see applyRun); the other commands report it from here.
  if (settings.command !== "apply") {
    const entries = manifestEntries(loaded.manifests);
    report.manifests = entries;
    report.digest = setDigest(entries);
  }
  if (!diagnostics.length)
    logger.info(
      `${loaded.manifests.length} manifests, ${loaded.manifests.reduce((sum, manifest) => sum + manifest.rows.length, 0)} rows: lint clean.`,
    );
  return loaded.manifests;
}

function lintFailure(diagnostics: Diagnostic[]): ConfigurationError {
  const [first] = diagnostics;
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more problems)` : "";
  return new ConfigurationError(`${formatPlaceText(first)}: ${first.message}${more}`);
}

async function withDatabase(
  settings: SeedSettings,
  deps: SeedDeps,
  report: SeedReport,
  work: (db: SeedDatabase) => Promise<void>,
  /** Runs when the database cannot be opened, before that error is raised. */
  beforeOpenFailure?: () => unknown,
): Promise<void> {
  const open = deps.open ?? openDatabase;
  let db: SeedDatabase;
  try {
    db = await open({
      databaseUrl: settings.databaseUrl,
      pgliteDir: settings.pgliteDir,
      lockTimeoutMs: settings.lockTimeoutMs,
      logger: deps.logger,
      signal: deps.signal,
    });
  } catch (error) {
    beforeOpenFailure?.();
    throw error;
  }
  report.where = db.where;
  try {
    await work(db);
  } catch (error) {
    deps.logger.debug(`seed ${settings.command} failed on ${db.where}: ${errorMessage(error)}`);
    throw error;
  } finally {
    await db.close();
  }
}
