import { type ApiScope, describeVercelError, isTransientStatus, UploadQuotaError, uploadQuotaName, VercelApiError } from "./api.js";
import type { ClientFailure } from "./client.js";
import { INPUTS } from "./settings.js";

const AUTH_CODES = new Set(["forbidden", "not_authorized", "unauthorized", "invalid_token", "team_unauthorized"]);
const FILE_CAP = /should NOT have more than (\d+) items/;

/** Turns a failure the client reported before the deployment existed into one sentence, and whether to try again. */
export function failureError(
  failure: ClientFailure,
  scope: ApiScope,
  where: { state: string; fileCount: number; archive: boolean },
): VercelApiError {
  const quota = uploadQuotaName(failure);
  // The client keeps only code and message of a refused upload: the reset time is in Vercel's message.
  if (quota) return new UploadQuotaError(quota, failure.message);
  const cap = FILE_CAP.exec(failure.message);
  if (cap) {
    return new VercelApiError(
      `Vercel refused the deployment: it lists ${where.fileCount} files and a deployment may list at most ${cap[1]} (${failure.message.replace(/\.$/, "")}). Set ${INPUTS.archive}: auto (the default) or always to upload them as one archive.`,
      failure.status,
      failure.code,
      false,
    );
  }
  if (failure.code === "missing_files") return stillMissing(failure.missing?.length);
  const uploading = where.state === "UPLOADING" && where.archive;
  const what = uploading ? "upload the archive parts" : "create the deployment";
  const status = failure.status ?? (failure.code && AUTH_CODES.has(failure.code) ? 403 : undefined);
  if (status !== undefined) {
    return new VercelApiError(describeVercelError(status, failure, scope, what), status, failure.code, isTransientStatus(status));
  }
  if (failure.code && uploading) {
    // A refused part upload: the client dropped the status; another attempt may get through.
    return new VercelApiError(describeVercelError(undefined, failure, scope, what), undefined, failure.code, true);
  }
  // No HTTP status: the request never got an answer (the client retries network errors itself, then gives up).
  return new VercelApiError(
    `Could not reach Vercel to ${what}: ${failure.message}${failure.cause ? ` (${failure.cause})` : ""}.`,
    undefined,
    undefined,
    true,
  );
}

/** Vercel lacks contents we (or the client) uploaded: worth one more attempt, then the likely causes. */
export function stillMissing(count: number | undefined): VercelApiError {
  return new VercelApiError(
    `Vercel still reported ${count ?? "some"} files missing after they were uploaded. The output changed while deploying, or the uploads went to another account: check team-id.`,
    400,
    "missing_files",
    true,
  );
}

/** The one line for a used-up upload quota: which quota, when it resets, and what to change. */
export function quotaMessage(error: UploadQuotaError, mode: "files" | "archive", setting: string, knownReset?: Date): string {
  const resetAt = error.resetAt ?? knownReset;
  const reset = resetAt ? ` It resets at ${resetAt.toISOString()}.` : "";
  const said = error.vercelMessage ? ` Vercel said: ${error.vercelMessage}` : "";
  const fix =
    mode === "archive"
      ? " Even the archive parts were refused: wait for the reset, or raise the plan's upload limit."
      : setting === "never"
        ? ` Set ${INPUTS.archive}: always (or auto) to upload a few archive parts instead of one request per file.`
        : "";
  return `Vercel's file-upload quota ${error.quota} is used up, so no file can be uploaded until it resets.${reset}${said}${fix}`;
}
