import { errorMessage } from "../lib/errors.js";
import { describeVercelError, isTransientStatus } from "./api.js";
import type { DeployDependencies, DeployOutcome, DeployRequest } from "./deploy.js";
import type { UploadProgress } from "./progress.js";
import { uploadMissing } from "./uploader.js";

/** What one client event means for the attempt: go on, finished, or failed (and whether trying again could help). */
export type Step = { kind: "continue" } | { kind: "done" } | { kind: "failed"; error: string; transient: boolean };

/** Turns one @vercel/client event into progress lines and outcome fields. */
export async function handleEvent(
  event: { type: string; payload: any },
  request: DeployRequest,
  deps: DeployDependencies,
  progress: UploadProgress,
  outcome: DeployOutcome,
): Promise<Step> {
  const { logger } = deps;
  const payload = event.payload;
  switch (event.type) {
    case "hashes-calculated":
      progress.hashed(payload);
      outcome.state = "CREATING";
      return { kind: "continue" };
    case "file-count": {
      const missing: string[] = payload.missing ?? [];
      progress.missing(missing);
      outcome.state = "UPLOADING";
      if (missing.length) {
        // The client starts its own uploads only when we ask for the next event. It iterates the very arrays
        // this event carries, so after uploading them ourselves we empty them and it has nothing left to send.
        // (Should a client version copy them, it re-uploads: slower, still correct.)
        const shas = [...missing];
        missing.length = 0;
        if (Array.isArray(payload.uploads)) payload.uploads.length = 0;
        await uploadMissing(payload.total, shas, request, {
          logger,
          signal: deps.signal,
          sleep: deps.sleep,
          root: request.path,
          onUploaded: (sha) => progress.uploaded(sha),
        });
      }
      return { kind: "continue" };
    }
    case "file-uploaded":
      progress.uploaded(payload.sha);
      return { kind: "continue" };
    case "all-files-uploaded":
      logger.info("All missing files uploaded; creating the deployment.");
      outcome.state = "CREATING";
      return { kind: "continue" };
    case "created": {
      outcome.deployment = { id: payload.id, url: `https://${payload.url}`, inspectorUrl: payload.inspectorUrl };
      outcome.state = payload.readyState ?? "QUEUED";
      logger.info(`Created ${payload.id} (${outcome.state}): ${outcome.deployment.url}`);
      if (payload.inspectorUrl) logger.info(`Inspect: ${payload.inspectorUrl}`);
      await deps.onCreated?.(outcome.deployment);
      return { kind: "continue" };
    }
    case "building":
      outcome.state = "BUILDING";
      logger.info("Building…");
      return { kind: "continue" };
    case "ready":
      outcome.state = "READY";
      if (payload?.url && outcome.deployment) outcome.deployment.url = `https://${payload.url}`;
      logger.info(payload?.aliasAssigned ? "Ready." : "Ready; waiting for Vercel to assign the deployment's automatic aliases…");
      return { kind: "continue" };
    case "alias-assigned":
      outcome.state = "READY";
      return { kind: "done" };
    case "canceled":
      outcome.state = "CANCELED";
      return {
        kind: "failed",
        error: `Vercel canceled deployment ${payload?.id ?? outcome.deployment?.id ?? ""} (state CANCELED).`,
        transient: false,
      };
    case "checks-v2-failed":
      return { kind: "failed", error: "Vercel's deployment checks failed, so it did not assign the aliases.", transient: false };
    case "error":
      return describeClientError(payload, request, outcome);
    case "warning":
      logger.warning(`Vercel: ${String(payload)}`);
      return { kind: "continue" };
    case "notice":
    case "tip":
      logger.info(`Vercel: ${String(payload)}`);
      return { kind: "continue" };
    default:
      logger.debug(`vercel client event ${event.type}`);
      return { kind: "continue" };
  }
}

const AUTH_CODES = new Set(["forbidden", "not_authorized", "unauthorized", "invalid_token", "team_unauthorized"]);

/** Sorts the client's `error` events into a readable sentence and whether another attempt could help. */
function describeClientError(payload: any, request: DeployRequest, outcome: DeployOutcome): Step {
  if (payload?.code === "missing_files") {
    const count = payload.missing?.length ?? "some";
    return {
      kind: "failed",
      transient: true,
      error: `Vercel still reported ${count} files missing after they were uploaded. The output changed while deploying, or the uploads went to another account: check team-id.`,
    };
  }
  if (outcome.deployment && (payload?.readyState === "ERROR" || payload?.errorCode)) {
    outcome.state = "ERROR";
    const detail = [payload.errorCode, payload.errorMessage].filter(Boolean).join(": ");
    return {
      kind: "failed",
      transient: false,
      error: `Vercel deployment ${outcome.deployment.id} failed${detail ? ` (${detail})` : ""}. Build logs: ${outcome.deployment.inspectorUrl ?? outcome.deployment.url}`,
    };
  }
  if (outcome.deployment) {
    if (outcome.state !== "READY") outcome.state = "ERROR";
    return {
      kind: "failed",
      transient: false,
      error: `Vercel deployment ${outcome.deployment.id} failed: ${payload?.message ?? errorMessage(payload)}`,
    };
  }
  const status: number | undefined = typeof payload?.status === "number" ? payload.status : AUTH_CODES.has(payload?.code) ? 403 : undefined;
  if (status !== undefined) {
    return {
      kind: "failed",
      transient: isTransientStatus(status),
      error: describeVercelError(status, payload, request, "create the deployment"),
    };
  }
  // No HTTP status: the request never got an answer (the client retries network errors itself, then gives up).
  const cause = (payload as { cause?: { code?: string } })?.cause?.code;
  return {
    kind: "failed",
    transient: true,
    error: `Could not reach Vercel to create the deployment: ${payload?.message ?? errorMessage(payload)}${cause ? ` (${cause})` : ""}.`,
  };
}
