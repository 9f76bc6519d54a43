/**
 * The one module that touches @vercel/client. It lists the files (the client's file tree), hashes them, sends the
 * creation request, and is stopped as soon as the deployment exists: waiting for READY is ours (src/vercel/wait.ts),
 * because the client polls forever on READY-without-aliases and CANCELED. Contents we already hold (hashed by an
 * earlier run, or the archive parts of src/vercel/archive.ts) are handed to the client's own creation step, so it
 * neither walks nor reads the files again; the client's `archive: 'tgz'` (tar-fs + gzip level 6 on one core, about
 * 45 MB/s) is not used.
 *
 * What this module relies on inside @vercel/client 18.4 (test/vercel/client.test.ts pins each one):
 * - `upload(files, clientOptions, deploymentOptions)` in dist/upload.js is the step createDeployment runs after
 *   collecting the files: creation, `file-count`, uploads, creation again; given `isDirectory`, it names each file
 *   relative to `path`, exactly as for the files it collected itself;
 * - `file-count` is yielded before any upload starts, so a run stopped there uploads nothing;
 * - a run stopped at `created` sends no further request;
 * - `fetchApi` adds VERCEL_TEAM_ID from the environment to every URL, so the team is passed only when that
 *   variable does not already carry it;
 * - a request that never answers cannot be cancelled (creation has no signal), so a run that does not wind down
 *   after `stop()` is "hung" and the process ends with `exitIfClientHung()` once the step has reported.
 */
import type { DeploymentOptions, VercelClientOptions } from "@vercel/client";
import { buildFileTree, createDeployment } from "@vercel/client";
import { upload as uploadStep } from "@vercel/client/dist/upload.js";

/** One entry of the client's files map: the paths sharing a content, and the content when it was read. */
export interface ClientFile {
  names: string[];
  data?: Buffer;
  size?: number;
  mode?: number;
}

export type ClientFiles = Map<string, ClientFile>;

export interface ClientRequest {
  token: string;
  teamId?: string;
  apiUrl: string;
  /** Project root (absolute) and, when prebuilt, the Build Output directory (absolute). */
  path: string;
  prebuilt: boolean;
  outputDir: string;
  /**
   * Contents we already hold: the files a previous run hashed, or the archive parts. The client then creates the
   * deployment from these without walking or reading `path`; undefined lets it collect and hash the files itself.
   */
  files?: ClientFiles;
  deployment: { target: string; project: string; meta: Record<string, string>; gitMetadata?: DeploymentOptions["gitMetadata"] };
}

export interface CreatedDeployment {
  id: string;
  url: string;
  inspectorUrl?: string;
  readyState?: string;
}

/** A failure the client reported: the HTTP status when there was an answer, Vercel's code and message. */
export interface ClientFailure {
  status?: number;
  code?: string;
  message: string;
  missing?: string[];
  invalidToken?: boolean;
  /** The network error's code when the request got no answer (ECONNRESET, UND_ERR_SOCKET…). */
  cause?: string;
}

/** What one run reports, in order: hashed, missing (when Vercel lacks contents), uploaded…, then created or failed. */
export type ClientStage =
  | { type: "hashed"; files: ClientFiles }
  | { type: "missing"; files: ClientFiles; missing: string[] }
  | { type: "uploaded"; sha: string }
  | { type: "created"; deployment: CreatedDeployment }
  | { type: "message"; level: "warning" | "info"; text: string }
  | { type: "failed"; failure: ClientFailure };

export interface ClientRun {
  /** The next stage; undefined once the client has nothing more to say. Continuing past `missing` lets the client upload. */
  next(): Promise<ClientStage | undefined>;
  /** Ends the run without further requests; resolves within `graceMs` even when a request hangs. */
  stop(graceMs?: number): Promise<void>;
}

export interface VercelDeployClient {
  start(request: ClientRequest): ClientRun;
  /** The files (absolute paths) a deployment of `path` lists, without reading them: the client's own file tree. */
  listFiles(request: Pick<ClientRequest, "path" | "prebuilt" | "outputDir">): Promise<string[]>;
}

type ClientEvents = AsyncIterator<{ type: string; payload: any }>;
type CreateFn = (options: VercelClientOptions, deployment?: DeploymentOptions) => ClientEvents;
type UploadFn = (files: ClientFiles, options: VercelClientOptions, deployment: DeploymentOptions) => ClientEvents;

let hungRuns = 0;

/** The real client. `env` is the environment the client reads VERCEL_TEAM_ID from (process.env). */
export function createVercelClient(
  env: NodeJS.ProcessEnv,
  create: CreateFn = createDeployment as CreateFn,
  fromFiles: UploadFn = uploadStep as unknown as UploadFn,
): VercelDeployClient {
  return {
    start: (request) =>
      startRun(
        request.files
          ? // collectDeploymentFiles sets isDirectory before this step; the file names are relative to `path` by it.
            fromFiles(request.files, { ...clientOptions(request, env), isDirectory: true }, { ...deploymentOptions(request), version: 2 })
          : create(clientOptions(request, env), deploymentOptions(request)),
      ),
    async listFiles(request) {
      const tree = await buildFileTree(
        request.path,
        { isDirectory: true, prebuilt: request.prebuilt, vercelOutputDir: request.prebuilt ? request.outputDir : undefined },
        () => {},
      );
      return tree.fileList;
    },
  };
}

function clientOptions(request: ClientRequest, env: NodeJS.ProcessEnv): VercelClientOptions {
  return {
    token: request.token,
    // The client appends VERCEL_TEAM_ID itself; passing the same team again would send it twice on some calls.
    teamId: env.VERCEL_TEAM_ID && env.VERCEL_TEAM_ID === request.teamId ? undefined : request.teamId,
    apiUrl: request.apiUrl,
    path: request.path,
    prebuilt: request.prebuilt,
    vercelOutputDir: request.prebuilt ? request.outputDir : undefined,
    userAgent: "launchpad-vercel-deploy",
  };
}

function deploymentOptions(request: ClientRequest): DeploymentOptions {
  return { ...request.deployment, meta: { ...request.deployment.meta } };
}

function startRun(events: ClientEvents): ClientRun {
  let pending: Promise<unknown> | undefined;
  let stopped = false;
  return {
    async next() {
      for (;;) {
        if (stopped) return undefined;
        const step = events.next();
        pending = step;
        let result: IteratorResult<{ type: string; payload: any }>;
        try {
          result = await step;
        } catch (error) {
          // Thrown, not yielded: unreadable files, a bad path.
          stopped = true;
          return { type: "failed", failure: toFailure(error) };
        } finally {
          pending = undefined;
        }
        if (result.done) return undefined;
        const stage = toStage(result.value);
        if (stage) return stage;
      }
    },
    async stop(graceMs = 3_000) {
      if (stopped) return;
      stopped = true;
      // return() waits for a request in flight; past the grace period that request is hung.
      const closed = (pending ?? Promise.resolve()).then(
        () => events.return?.(),
        () => events.return?.(),
      );
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
        timer.unref();
      });
      const ended = await Promise.race([
        closed.then(
          () => true,
          () => true,
        ),
        late,
      ]);
      clearTimeout(timer);
      if (!ended) hungRuns++;
    },
  };
}

function toStage(event: { type: string; payload: any }): ClientStage | undefined {
  const payload = event.payload;
  switch (event.type) {
    case "hashes-calculated":
      return { type: "hashed", files: new Map(Object.entries(payload as Record<string, ClientFile>)) };
    case "file-count":
      return { type: "missing", files: payload.total as ClientFiles, missing: [...(payload.missing as string[])] };
    case "file-uploaded":
      return { type: "uploaded", sha: payload.sha };
    case "created":
      return {
        type: "created",
        deployment: { id: payload.id, url: payload.url, inspectorUrl: payload.inspectorUrl, readyState: payload.readyState },
      };
    case "warning":
      return { type: "message", level: "warning", text: String(payload) };
    case "notice":
    case "tip":
      return { type: "message", level: "info", text: String(payload) };
    case "error":
      return { type: "failed", failure: toFailure(payload) };
    default:
      // all-files-uploaded, and the status events we never reach because runs stop at `created`.
      return undefined;
  }
}

function toFailure(payload: any): ClientFailure {
  const cause = payload?.cause?.code ?? payload?.cause?.cause?.code;
  return {
    status: typeof payload?.status === "number" ? payload.status : undefined,
    code: typeof payload?.code === "string" ? payload.code : undefined,
    message: String(payload?.message ?? payload ?? "unknown error"),
    missing: Array.isArray(payload?.missing) ? payload.missing : undefined,
    invalidToken: payload?.invalidToken === true ? true : undefined,
    cause: typeof cause === "string" ? cause : undefined,
  };
}

/** True when a stopped run still holds a request open; the process must then end by itself once it has reported. */
export function clientHung(): boolean {
  return hungRuns > 0;
}

/** Called by entries after the step has reported: a request the client cannot cancel must not keep the job alive. */
export function exitIfClientHung(): void {
  if (clientHung()) process.exit();
}
