import { join } from "node:path";
import type { DeploymentOptions } from "@vercel/client";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { retry, type Sleep } from "../lib/retry.js";
import { type ApiScope, UploadQuotaError, type VercelApi, VercelApiError, vercelRetry } from "./api.js";
import { archivePartName, entriesFromFiles, packArchive, readEntries } from "./archive.js";
import type { ClientFiles, ClientRequest, ClientRun, VercelDeployClient } from "./client.js";
import { hashFiles } from "./files.js";
import { type FileStats, formatBytes, UploadProgress } from "./progress.js";
import { failureError, quotaMessage, stillMissing } from "./refusals.js";
import type { ArchiveMode } from "./settings.js";
import { uploadMissing } from "./uploader.js";
import { waitForReady } from "./wait.js";

/** Vercel refuses a deployment that lists more files than this. */
export const FILE_LIMIT = 15_000;
/**
 * `auto` sends an archive when more than this is missing from Vercel. Measured against the local fake (loopback, no
 * latency), per-file and archive first deploys take about the same time from 500 to 4,000 files (17 KB each), so
 * speed alone does not move the line there; over a real network every per-file upload is one more round trip, and
 * each counts against the account's daily upload quota (api-upload-free: 5,000), while an archive is one upload per
 * 100 MB. Past 1,000 files or 100 MB, per-file uploads stop paying off.
 */
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
 * Deploys through the client: lists the files once, hashes them once (src/vercel/files.ts), chooses per-file or
 * archive uploads (packing the archive ourselves, src/vercel/archive.ts), uploads what Vercel misses (files or parts,
 * with retries and quota handling), has the client create the deployment from the contents we hold, then waits for
 * READY. Transient failures before the deployment exists start the creation
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
  const held: HeldContents = { paths: [] };
  try {
    held.paths = await deps.client.listFiles(request);
    outcome.upload = firstChoice(request.archive, held.paths.length);
    await retry(
      async (attempt) => {
        outcome.attempts = attempt;
        await createDeployment(request, deps, progress, outcome, held);
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

/** What one deploy has read or packed so far: later runs and retries reuse it instead of reading the files again. */
interface HeldContents {
  paths: string[];
  /** The contents hashed (sha → paths and data), once they are. */
  files?: ClientFiles;
  /** The archive parts, once packed. */
  parts?: ClientFiles;
}

/**
 * Reads and hashes the files once, keeping their contents: uploads, the creation request and an archive (if Vercel
 * misses too many) all use them. Packing alongside the hashing, on speculation, was measured and left out: it saved
 * about 0.4 s of a 10,000-file first deploy but cost 0.15–0.7 s on every unchanged or one-file redeploy of the same
 * site (main-thread copies and CRC, and CPU the hashing needed), and redeploys are the common case.
 */
async function hashContents(held: HeldContents, deps: DeployDependencies, progress: UploadProgress): Promise<void> {
  held.files = await hashFiles(held.paths, { signal: deps.signal });
  progress.hashed(held.files);
}

/** One creation attempt: client runs until the deployment exists, with our uploads (files or parts) between them. */
async function createDeployment(
  request: DeployRequest,
  deps: DeployDependencies,
  progress: UploadProgress,
  outcome: DeployOutcome,
  held: HeldContents,
): Promise<void> {
  const fileCount = held.paths.length;
  let uploadedThisAttempt = false;
  for (;;) {
    const archive = outcome.upload.mode === "archive";
    if (archive && !held.parts) held.parts = await packParts(request, deps, held, progress);
    if (!archive && !held.files) await hashContents(held, deps, progress);
    const files = archive ? held.parts : held.files;
    const end = await driveRun(deps.client.start(clientRequest(request, files)), request, deps, progress, outcome, {
      fileCount,
      prepared: files !== undefined,
    });
    if (end.kind === "created") return;
    const bytes = end.missing.reduce((sum, sha) => sum + (end.files.get(sha)?.data?.length ?? end.files.get(sha)?.size ?? 0), 0);
    if (uploadedThisAttempt) throw stillMissing(end.missing.length);
    if (!archive) {
      const described = `${end.missing.length} of ${progress.stats.unique} contents (${formatBytes(bytes)}) missing from Vercel`;
      const rule = `auto archives past ${ARCHIVE_PAST.files} files or 100 MB`;
      if (request.archive === "auto" && (end.missing.length > ARCHIVE_PAST.files || bytes > ARCHIVE_PAST.bytes)) {
        switchToArchive(outcome, deps.logger, `${described}; ${rule}`);
        continue;
      }
      if (request.archive === "auto") outcome.upload.reason = `${described}; ${rule}`;
    }
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
      if (!(error instanceof UploadQuotaError) || request.archive === "never" || archive) throw error;
      switchToArchive(outcome, deps.logger, `the upload quota ${error.quota} ran out after ${progress.stats.uploaded} per-file uploads`);
      outcome.upload.quota = error;
      continue;
    }
    uploadedThisAttempt = true;
  }
}

/** Packs the deployment's files into archive parts, from the contents a per-file run already read when there are. */
async function packParts(
  request: DeployRequest,
  deps: DeployDependencies,
  held: HeldContents,
  progress: UploadProgress,
): Promise<ClientFiles> {
  const entries = held.files ? await entriesFromFiles(request.path, held.files.values()) : await readEntries(request.path, held.paths);
  const packed = await packArchive(entries, { signal: deps.signal });
  const parts: ClientFiles = new Map(
    packed.parts.map((part, index) => [part.sha, { names: [join(request.path, archivePartName(index))], data: part.data, mode: 0o666 }]),
  );
  progress.archived(parts, held.paths.length, packed.tarBytes);
  return parts;
}

function clientRequest(request: DeployRequest, files: ClientFiles | undefined): ClientRequest {
  return {
    token: request.token,
    teamId: request.teamId,
    apiUrl: request.apiUrl,
    path: request.path,
    prebuilt: request.prebuilt,
    outputDir: request.outputDir,
    files,
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
  options: { fileCount: number; prepared: boolean },
): Promise<RunEnd> {
  const archive = outcome.upload.mode === "archive";
  const stopped = new Promise<typeof STOPPED>((resolve) => {
    if (deps.signal.aborted) resolve(STOPPED);
    else deps.signal.addEventListener("abort", () => resolve(STOPPED), { once: true });
  });
  outcome.state = options.prepared ? "CREATING" : "HASHING";
  try {
    for (;;) {
      const stage = await Promise.race([run.next(), stopped]);
      if (stage === STOPPED) throw deps.signal.reason;
      if (!stage) throw new VercelApiError(`The Vercel client stopped in state ${outcome.state}.`, undefined, undefined, false);
      switch (stage.type) {
        case "hashed":
          progress.hashed(stage.files);
          outcome.state = "CREATING";
          break;
        case "missing":
          // Files and archive parts alike are uploaded by us (src/vercel/uploader.ts): retries and quota handling.
          outcome.state = "UPLOADING";
          return { kind: "missing", files: stage.files, missing: stage.missing };
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
