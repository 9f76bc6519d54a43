import { createReadStream } from "node:fs";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { relative } from "node:path";
import type { Logger } from "../lib/logger.js";
import { sleep as defaultSleep, retry, type Sleep } from "../lib/retry.js";
import {
  type ApiScope,
  describeVercelError,
  isTransientStatus,
  limitReset,
  retryAfterMs,
  UploadQuotaError,
  uploadQuotaName,
  VercelApiError,
  vercelRetry,
} from "./api.js";
import type { ClientFile } from "./client.js";

export interface UploadDependencies {
  logger: Logger;
  signal: AbortSignal;
  onUploaded: (sha: string) => void;
  sleep?: Sleep;
  concurrency?: number;
  attempts?: number;
  /** Paths in messages are shown relative to this (the project root). */
  root?: string;
}

/**
 * Uploads the contents Vercel reported missing (POST /v2/files, as the client does), with a fixed pool of workers
 * over keep-alive connections and a retry per file on network errors, 429 (after its retry-after) and 5xx. The
 * client's own loop gives up on the first HTTP error and drops the body of the refusal, which names when an upload
 * quota resets. A used-up upload quota stops every upload at once: no other file could succeed.
 */
export async function uploadMissing(
  files: Map<string | undefined, ClientFile>,
  shas: readonly string[],
  scope: ApiScope,
  deps: UploadDependencies,
): Promise<void> {
  const https = scope.apiUrl.startsWith("https:");
  const concurrency = deps.concurrency ?? 50;
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency })
    : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  const stop = new AbortController();
  const onAbort = () => stop.abort(deps.signal.reason);
  deps.signal.addEventListener("abort", onAbort, { once: true });
  const queue = [...shas];
  const attempts = deps.attempts ?? 4;
  const wait = deps.sleep ?? defaultSleep;
  const worker = async () => {
    for (let sha = queue.shift(); sha !== undefined && !stop.signal.aborted; sha = queue.shift()) {
      const file = files.get(sha);
      if (!file)
        throw new VercelApiError(
          `The Vercel client reported content ${sha} missing that is not part of this deployment.`,
          undefined,
          undefined,
          false,
        );
      const shown = deps.root ? relative(deps.root, file.names[0]) : file.names[0];
      await retry(
        async (attempt) => {
          try {
            await uploadOne(sha, file, shown, scope, https ? httpsRequest : httpRequest, agent, stop.signal);
          } catch (error) {
            // Throttled: wait as long as Vercel asked before the backoff of the next try.
            const asked = error instanceof VercelApiError ? error.retryAfterMs : undefined;
            if (asked && attempt < attempts) await wait(asked, stop.signal);
            throw error;
          }
        },
        vercelRetry(`Upload of ${shown}`, {
          attempts,
          baseMs: 250,
          maxMs: 4_000,
          logger: deps.logger,
          signal: stop.signal,
          sleep: deps.sleep,
        }),
      );
      deps.onUploaded(sha);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, () =>
        worker().catch((error) => {
          // One file failing for good ends the upload: the others stop taking work and in-flight requests end.
          if (!stop.signal.aborted) stop.abort(error);
          throw error;
        }),
      ),
    );
  } catch {
    throw deps.signal.aborted ? deps.signal.reason : stop.signal.reason;
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
    agent.destroy();
  }
}

function uploadOne(
  sha: string,
  file: ClientFile,
  shown: string,
  scope: ApiScope,
  send: typeof httpRequest,
  agent: HttpAgent,
  signal: AbortSignal,
): Promise<void> {
  const size = file.data?.length ?? file.size ?? 0;
  const url = new URL(`${scope.apiUrl}/v2/files`);
  if (scope.teamId) url.searchParams.set("teamId", scope.teamId);
  const what = `upload ${shown}`;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: "POST",
        agent,
        signal,
        headers: {
          authorization: `Bearer ${scope.token}`,
          "content-type": "application/octet-stream",
          "content-length": String(size),
          "x-now-digest": sha,
          "x-now-size": String(size),
          "user-agent": "launchpad-vercel-deploy",
        },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => reject(networkError(error, what)));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          let body: any;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString());
          } catch {
            body = undefined;
          }
          const quota = status === 429 ? uploadQuotaName(body?.error) : undefined;
          if (quota) return reject(new UploadQuotaError(quota, String(body.error.message ?? ""), limitReset(body.error)));
          reject(
            new VercelApiError(
              describeVercelError(status, body?.error, scope, what),
              status,
              body?.error?.code,
              isTransientStatus(status),
              status === 429 ? retryAfterMs(response.headers["retry-after"]) : undefined,
            ),
          );
        });
      },
    );
    outgoing.on("error", (error) => reject(signal.aborted ? signal.reason : networkError(error, what)));
    if (file.data) outgoing.end(file.data);
    else
      createReadStream(file.names[0])
        .on("error", (error) => outgoing.destroy(error))
        .pipe(outgoing);
  });
}

function networkError(error: Error, what: string): VercelApiError {
  const code = (error as { code?: string }).code;
  const local = code === "ENOENT" || code === "EACCES" || code === "EISDIR";
  return new VercelApiError(`Could not ${what}: ${code ?? error.message}.`, undefined, code, !local);
}
