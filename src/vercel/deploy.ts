import type { DeploymentOptions } from "@vercel/client";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { retry, type Sleep } from "../lib/retry.js";
import { type ApiScope, UploadQuotaError, type VercelApi, VercelApiError, vercelRetry } from "./api.js";
import type { ClientFiles, ClientRequest, ClientRun, VercelDeployClient } from "./client.js";
import { type FileStats, formatBytes, UploadProgress } from "./progress.js";
import { failureError, quotaMessage, stillMissing } from "./refusals.js";
import type { ArchiveMode } from "./settings.js";
import { uploadMissing } from "./uploader.js";
import { waitForReady } from "./wait.js";

/** Vercel refuses a deployment that lists more files than this. */
export const FILE_LIMIT = 15_000;
/** `auto` sends an archive when more than this is missing from Vercel: past it, per-file uploads stop paying off. */
export const ARCHIVE_PAST = { files: 1_000, bytes: 100 * 1024 * 1024 };

export interface DeployRequest extends ApiScope {
  /** Project root (absolute) and, when prebuilt, the Build Output directory (absolute). */
  path: string;
  prebuilt: boolean;
  outputDir: string;
  target: string;
  meta: Record<string, string>;
  gitMetadata?: DeploymentOptions["gitMetadata"];
  archive: ArchiveMode;
  aliasWaitMs: number;
  /** Our own aliases follow at READY, so READY alone ends the wait. */
  aliasesRequested: boolean;
}

export interface DeployedInfo {
  id: string;
  url: string;
  inspectorUrl?: string;
}

/** How the files went to Vercel, and why: the summary shows it. */
export interface UploadChoice {
  mode: "files" | "archive";
  reason: string;
  /** The per-file refusal that made us switch to an archive: it carries the quota's reset time. */
  quota?: UploadQuotaError;
}

export interface DeployOutcome {
  ok: boolean;
  /** Vercel's last readyState, or our phase before the deployment existed (HASHING, CREATING, UPLOADING). */
  state: string;
  deployment?: DeployedInfo;
  files: FileStats;
  upload: UploadChoice;
  attempts: number;
  /** One readable sentence when not ok. */
  error?: string;
  /** READY, but something a person should know (no alias from Vercel). */
  warning?: string;
}

export interface DeployDependencies {
  logger: Logger;
  /** Job cancellation combined with the `timeout` deadline. */
  signal: AbortSignal;
  client: VercelDeployClient;
  api: VercelApi;
  /** Called once the deployment exists, e.g. to point the GitHub deployment status at the inspector. */
  onCreated?: (deployment: DeployedInfo) => void | Promise<void>;
  sleep?: Sleep;
  now?: () => number;
  attempts?: number;
  /** How long a stopped client run may take to wind down before it counts as hung. */
  stopGraceMs?: number;
}

/**
 * Deploys through the client: chooses per-file or archive uploads, uploads per-file contents itself (with retries
 * and quota handling), then waits for READY. Transient failures before the deployment exists start the creation
 * over (hashes are cheap, stored files are not uploaded again); the client itself only retries network errors.
 */
export async function deployWithClient(request: DeployRequest, deps: DeployDependencies): Promise<DeployOutcome> {
  const progress = new UploadProgress(deps.logger);
  const outcome: DeployOutcome = {
    ok: false,
    state: "HASHING",
    files: progress.stats,
    upload: { mode: "files", reason: "" },
    attempts: 0,
  };
  try {
    const fileCount = await deps.client.countFiles(request);
    outcome.upload = firstChoice(request.archive, fileCount);
    await retry(
      async (attempt) => {
        outcome.attempts = attempt;
        await createDeployment(request, deps, progress, outcome, fileCount);
      },
      vercelRetry("Deploy", { attempts: deps.attempts ?? 3, baseMs: 1_000, maxMs: 8_000, ...pick(deps) }),
    );
    const deployment = outcome.deployment as DeployedInfo;
    const ready = await waitForReady(
      deps.api,
      deployment.id,
      { aliasesRequested: request.aliasesRequested, aliasWaitMs: request.aliasWaitMs },
      { ...pick(deps), now: deps.now, onState: (state) => (outcome.state = state) },
    );
    outcome.warning = ready.warning;
    if (ready.warning) deps.logger.warning(ready.warning);
    outcome.ok = true;
  } catch (error) {
    outcome.error = deps.signal.aborted
      ? stoppedMessage(deps.signal.reason, outcome)
      : error instanceof UploadQuotaError
        ? quotaMessage(error, outcome.upload.mode, request.archive, outcome.upload.quota?.resetAt)
        : errorMessage(error);
  }
  return outcome;
}

const pick = (deps: DeployDependencies) => ({ logger: deps.logger, signal: deps.signal, sleep: deps.sleep });

function firstChoice(setting: ArchiveMode, fileCount: number): UploadChoice {
  if (setting === "always") return { mode: "archive", reason: "archive: always" };
  if (setting === "never") return { mode: "files", reason: "archive: never" };
  if (fileCount > FILE_LIMIT) {
    return { mode: "archive", reason: `${fileCount} files, more than the ${FILE_LIMIT.toLocaleString("en-US")} a deployment may list` };
  }
  return { mode: "files", reason: "Vercel already stored every file" };
}

function stoppedMessage(reason: unknown, outcome: DeployOutcome): string {
  const where = outcome.deployment ? `deployment ${outcome.deployment.id}` : "the deployment";
  return `${errorMessage(reason)} Last known state of ${where}: ${outcome.state}.`;
}

/** One creation attempt: client runs until the deployment exists, with our per-file uploads between them. */
async function createDeployment(
  request: DeployRequest,
  deps: DeployDependencies,
  progress: UploadProgress,
  outcome: DeployOutcome,
  fileCount: number,
): Promise<void> {
  let uploadedThisAttempt = false;
  for (let run = 1; ; run++) {
    const archive = outcome.upload.mode === "archive";
    const end = await driveRun(deps.client.start(clientRequest(request, archive)), request, deps, progress, outcome, {
      fileCount,
      quiet: run > 1,
    });
    if (end.kind === "created") return;
    const bytes = end.missing.reduce((sum, sha) => sum + (end.files.get(sha)?.data?.length ?? end.files.get(sha)?.size ?? 0), 0);
    if (uploadedThisAttempt) throw stillMissing(end.missing.length);
    const described = `${end.missing.length} of ${progress.stats.unique} contents (${formatBytes(bytes)}) missing from Vercel`;
    if (request.archive === "auto" && (end.missing.length > ARCHIVE_PAST.files || bytes > ARCHIVE_PAST.bytes)) {
      switchToArchive(outcome, deps.logger, `${described}; auto archives past ${ARCHIVE_PAST.files} files or 100 MB`);
      continue;
    }
    if (request.archive === "auto") outcome.upload.reason = `${described}; auto archives past ${ARCHIVE_PAST.files} files or 100 MB`;
    progress.missing(end.missing);
    try {
      await uploadMissing(end.files, end.missing, request, {
        logger: deps.logger,
        signal: deps.signal,
        sleep: deps.sleep,
        root: request.path,
        onUploaded: (sha) => progress.uploaded(sha),
      });
    } catch (error) {
      if (!(error instanceof UploadQuotaError) || request.archive === "never") throw error;
      switchToArchive(outcome, deps.logger, `the upload quota ${error.quota} ran out after ${progress.stats.uploaded} per-file uploads`);
      outcome.upload.quota = error;
      continue;
    }
    uploadedThisAttempt = true;
  }
}

function clientRequest(request: DeployRequest, archive: boolean): ClientRequest {
  return {
    token: request.token,
    teamId: request.teamId,
    apiUrl: request.apiUrl,
    path: request.path,
    prebuilt: request.prebuilt,
    outputDir: request.outputDir,
    archive,
    deployment: { target: request.target, project: request.projectId, meta: request.meta, gitMetadata: request.gitMetadata },
  };
}

function switchToArchive(outcome: DeployOutcome, logger: Logger, reason: string): void {
  logger.info(`Sending the files as an archive instead: ${reason}.`);
  outcome.upload = { mode: "archive", reason };
}

type RunEnd = { kind: "created" } | { kind: "missing"; files: ClientFiles; missing: string[] };

const STOPPED = Symbol("stopped");

/** Follows one client run to the created deployment, or (per-file) to the list of missing contents. */
async function driveRun(
  run: ClientRun,
  request: DeployRequest,
  deps: DeployDependencies,
  progress: UploadProgress,
  outcome: DeployOutcome,
  options: { fileCount: number; quiet: boolean },
): Promise<RunEnd> {
  const archive = outcome.upload.mode === "archive";
  const stopped = new Promise<typeof STOPPED>((resolve) => {
    if (deps.signal.aborted) resolve(STOPPED);
    else deps.signal.addEventListener("abort", () => resolve(STOPPED), { once: true });
  });
  outcome.state = "HASHING";
  try {
    for (;;) {
      const stage = await Promise.race([run.next(), stopped]);
      if (stage === STOPPED) throw deps.signal.reason;
      if (!stage) throw new VercelApiError(`The Vercel client stopped in state ${outcome.state}.`, undefined, undefined, false);
      switch (stage.type) {
        case "hashed":
          if (archive) progress.archived(stage.files, options.fileCount);
          else progress.hashed(stage.files, options.quiet);
          outcome.state = "CREATING";
          break;
        case "missing":
          outcome.state = "UPLOADING";
          if (!archive) return { kind: "missing", files: stage.files, missing: stage.missing };
          // Archive parts are few and large: the client uploads them itself.
          progress.missing(stage.missing);
          break;
        case "uploaded":
          progress.uploaded(stage.sha);
          break;
        case "created": {
          const created = stage.deployment;
          outcome.deployment = { id: created.id, url: `https://${created.url}`, inspectorUrl: created.inspectorUrl };
          outcome.state = created.readyState ?? "QUEUED";
          deps.logger.info(`Created ${created.id} (${outcome.state}): ${outcome.deployment.url}`);
          if (created.inspectorUrl) deps.logger.info(`Inspect: ${created.inspectorUrl}`);
          await deps.onCreated?.(outcome.deployment);
          return { kind: "created" };
        }
        case "message":
          if (stage.level === "warning") deps.logger.warning(`Vercel: ${stage.text}`);
          else deps.logger.info(`Vercel: ${stage.text}`);
          break;
        case "failed":
          throw failureError(stage.failure, request, { state: outcome.state, fileCount: options.fileCount, archive });
      }
    }
  } finally {
    await run.stop(deps.stopGraceMs);
  }
}
