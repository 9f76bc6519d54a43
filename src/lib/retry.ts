export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout as a promise that rejects early when the signal aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  baseMs?: number;
  maxMs?: number;
  /** Decides whether a failure is worth another try; default: every failure. */
  retryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: Sleep;
  random?: () => number;
  signal?: AbortSignal;
}

/** Full-jitter backoff: a delay drawn uniformly from [0, min(max, base * 2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/** The one retry mechanism of the suite. */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseMs = 500, maxMs = 10_000, retryable = () => true, onRetry, signal } = options;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error) || signal?.aborted) throw error;
      const delay = backoffDelay(attempt - 1, baseMs, maxMs, options.random);
      onRetry?.(error, attempt, delay);
      await wait(delay, signal);
    }
  }
}
