import type { DeploymentOptions, VercelClientOptions } from "@vercel/client";
import { createDeployment as clientCreateDeployment } from "@vercel/client";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { retry, type Sleep } from "../lib/retry.js";
import { type ApiScope, VercelApiError, vercelRetry } from "./api.js";
import { handleEvent, type Step } from "./events.js";
import { type FileStats, UploadProgress } from "./progress.js";

export type CreateDeployment = (
  clientOptions: VercelClientOptions,
  deploymentOptions?: DeploymentOptions,
) => AsyncIterableIterator<{ type: string; payload: any }>;

export interface DeployRequest extends ApiScope {
  /** Project root (absolute) and, when prebuilt, the Build Output directory (absolute). */
  path: string;
  prebuilt: boolean;
  outputDir: string;
  target: string;
  meta: Record<string, string>;
  gitMetadata?: DeploymentOptions["gitMetadata"];
}

export interface DeployedInfo {
  id: string;
  url: string;
  inspectorUrl?: string;
}

export interface DeployOutcome {
  ok: boolean;
  /** Vercel's last readyState, or our phase before the deployment existed (HASHING, CREATING, UPLOADING). */
  state: string;
  deployment?: DeployedInfo;
  files: FileStats;
  attempts: number;
  /** One readable sentence when not ok. */
  error?: string;
  /** The client's iterator did not wind down within the grace period (a request still hangs): the entry must exit. */
  abandoned: boolean;
}

export interface DeployDependencies {
  logger: Logger;
  /** Job cancellation combined with the `timeout` deadline. */
  signal: AbortSignal;
  createDeployment?: CreateDeployment;
  /** Called once the deployment exists, e.g. to point the GitHub deployment status at the inspector. */
  onCreated?: (deployment: DeployedInfo) => void | Promise<void>;
  sleep?: Sleep;
  attempts?: number;
  /** How long to wait for the client to wind down after we stop it. */
  windDownMs?: number;
}

const WOUND_DOWN = Symbol("wound down");

/**
 * Drives @vercel/client's createDeployment: logs its events as progress, treats READY+aliases, ERROR, CANCELED and
 * our deadline as terminal, and starts over (hashes are cheap, stored files are not uploaded again) when an HTTP
 * failure before the deployment exists was transient: the client itself only retries network errors.
 */
export async function deployWithClient(request: DeployRequest, deps: DeployDependencies): Promise<DeployOutcome> {
  const progress = new UploadProgress(deps.logger);
  const outcome: DeployOutcome = { ok: false, state: "HASHING", files: progress.stats, attempts: 0, abandoned: false };
  try {
    await retry(
      async (attempt) => {
        outcome.attempts = attempt;
        const step = await runAttempt(request, deps, progress, outcome);
        if (step.kind === "failed") {
          // After the deployment exists a failure is the build's, not the wire's: never start a second deployment.
          throw new VercelApiError(step.error, undefined, undefined, step.transient && !outcome.deployment);
        }
      },
      vercelRetry("Deploy", {
        attempts: deps.attempts ?? 3,
        baseMs: 1_000,
        maxMs: 8_000,
        logger: deps.logger,
        signal: deps.signal,
        sleep: deps.sleep,
      }),
    );
    outcome.ok = true;
  } catch (error) {
    outcome.ok = false;
    outcome.error = deps.signal.aborted ? stoppedMessage(deps.signal.reason, outcome) : errorMessage(error);
  }
  return outcome;
}

function stoppedMessage(reason: unknown, outcome: DeployOutcome): string {
  const where = outcome.deployment ? `deployment ${outcome.deployment.id}` : "the deployment";
  const hint = outcome.state === "READY" ? " It is READY but Vercel had not finished assigning its aliases." : "";
  return `${errorMessage(reason)} Last known state of ${where}: ${outcome.state}.${hint}`;
}

async function runAttempt(
  request: DeployRequest,
  deps: DeployDependencies,
  progress: UploadProgress,
  outcome: DeployOutcome,
): Promise<Step> {
  const create = deps.createDeployment ?? (clientCreateDeployment as unknown as CreateDeployment);
  // The client polls forever on READY-without-aliases and CANCELED. Aborting this signal with an
  // "alias-assigned" event for our deployment is the one way it offers to end that loop from outside.
  const aliasSignal = new AbortController();
  const clientOptions: VercelClientOptions = {
    token: request.token,
    teamId: request.teamId,
    apiUrl: request.apiUrl,
    path: request.path,
    prebuilt: request.prebuilt,
    vercelOutputDir: request.prebuilt ? request.outputDir : undefined,
    userAgent: "launchpad-vercel-deploy",
    aliasAssignedSignal: aliasSignal.signal,
  };
  const deploymentOptions = {
    target: request.target,
    project: request.projectId,
    meta: request.meta,
    gitMetadata: request.gitMetadata,
  } as DeploymentOptions;
  const iterator = create(clientOptions, deploymentOptions);
  const stopped = new Promise<typeof WOUND_DOWN>((resolve) => {
    if (deps.signal.aborted) resolve(WOUND_DOWN);
    else deps.signal.addEventListener("abort", () => resolve(WOUND_DOWN), { once: true });
  });
  outcome.state = "HASHING";
  let step: Step = { kind: "continue" };
  let finished = false;
  try {
    while (step.kind === "continue") {
      const next = await Promise.race([iterator.next(), stopped]);
      if (next === WOUND_DOWN) throw deps.signal.reason;
      if (next.done) {
        finished = true;
        step =
          outcome.state === "READY"
            ? { kind: "done" }
            : { kind: "failed", error: `The Vercel client stopped in state ${outcome.state}.`, transient: false };
        break;
      }
      step = await handleEvent(next.value, request, deps, progress, outcome);
    }
  } catch (error) {
    if (deps.signal.aborted) {
      outcome.abandoned = !(await windDown(iterator, aliasSignal, outcome, deps.windDownMs));
      throw deps.signal.reason;
    }
    if (error instanceof VercelApiError) step = { kind: "failed", error: error.message, transient: error.transient };
    // Thrown (not yielded) by the client: unreadable files, a bad path, a network failure while hashing/creating.
    else
      step = {
        kind: "failed",
        error: `Deploy failed: ${errorMessage(error)}`,
        transient: /fetch failed|ECONN|socket/i.test(String((error as Error)?.cause ?? error)),
      };
  }
  if (!finished) outcome.abandoned = !(await windDown(iterator, aliasSignal, outcome, deps.windDownMs));
  return step;
}

/**
 * Ends the client's iteration so no timer or request keeps the process alive: a forged alias-assigned event breaks
 * its polling loop, then return() closes the generator (and the ones it delegates to) without further requests.
 */
async function windDown(
  iterator: AsyncIterableIterator<unknown>,
  aliasSignal: AbortController,
  outcome: DeployOutcome,
  graceMs = 3_000,
): Promise<boolean> {
  if (outcome.deployment && !aliasSignal.signal.aborted) {
    aliasSignal.abort({
      type: "alias-assigned",
      deploymentId: outcome.deployment.id,
      date: Date.now(),
      alias: [],
      aliasError: null,
      aliasWarning: null,
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
    timer.unref();
  });
  try {
    const closed = (iterator.return?.() ?? Promise.resolve()).then(
      () => true,
      () => true,
    );
    return await Promise.race([closed, late]);
  } finally {
    clearTimeout(timer);
  }
}
