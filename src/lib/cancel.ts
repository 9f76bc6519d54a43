import { formatDuration } from "./duration.js";
import { CancelledError } from "./errors.js";

export interface Cancellation {
  signal: AbortSignal;
  /** Stops listening for signals. */
  dispose(): void;
}

/**
 * An AbortSignal fired on SIGINT/SIGTERM, as the runner sends them when a job is cancelled
 * (SIGINT, then SIGTERM ~7.5 s later, then a kill ~2.5 s after that), or when the deadline passes.
 */
export function onCancel(options: { timeoutMs?: number; processLike?: NodeJS.EventEmitter } = {}): Cancellation {
  const target = options.processLike ?? process;
  const controller = new AbortController();
  const handler = (signalName: string) => () => {
    if (!controller.signal.aborted) controller.abort(new CancelledError(`The job was cancelled (${signalName}).`));
  };
  const onInt = handler("SIGINT");
  const onTerm = handler("SIGTERM");
  target.on("SIGINT", onInt);
  target.on("SIGTERM", onTerm);
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          controller.abort(new CancelledError(`Timed out after ${formatDuration(options.timeoutMs!)}.`));
        }, options.timeoutMs);
  timer?.unref();
  return {
    signal: controller.signal,
    dispose() {
      target.off("SIGINT", onInt);
      target.off("SIGTERM", onTerm);
      if (timer) clearTimeout(timer);
    },
  };
}

/** Combines a job-level signal with a per-operation deadline. */
export function withDeadline(signal: AbortSignal | undefined, ms: number, what: string): AbortSignal {
  const deadline = AbortSignal.timeout(ms);
  const timeoutReason = new CancelledError(`${what} timed out after ${formatDuration(ms)}.`);
  const controller = new AbortController();
  const forward = (source: AbortSignal, reason: () => unknown) => {
    if (source.aborted) controller.abort(reason());
    else source.addEventListener("abort", () => controller.abort(reason()), { once: true });
  };
  forward(deadline, () => timeoutReason);
  if (signal) forward(signal, () => signal.reason);
  return controller.signal;
}
