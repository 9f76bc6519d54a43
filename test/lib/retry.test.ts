import { describe, expect, it } from "vitest";
import { backoffDelay, retry } from "../../src/lib/retry.js";

describe("retry with full-jitter backoff", () => {
  it("draws each delay from [0, min(max, base·2^n)) using the injected random source", () => {
    expect(backoffDelay(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelay(10, 100, 1_000, () => 0.5)).toBe(500);
  });

  it("retries until success and sleeps through the injected sleep", async () => {
    const slept: number[] = [];
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`fail ${calls}`);
        return "ok";
      },
      { attempts: 5, baseMs: 100, random: () => 0.5, sleep: async (ms) => void slept.push(ms) },
    );
    expect(value).toBe("ok");
    expect(slept).toEqual([50, 100]);
  });

  it("gives up after the last attempt with the last error", async () => {
    let calls = 0;
    await expect(retry(async () => Promise.reject(new Error(`fail ${++calls}`)), { attempts: 3, sleep: async () => {} })).rejects.toThrow(
      "fail 3",
    );
  });

  it("does not retry errors the caller marks as final", async () => {
    let calls = 0;
    const work = async () => {
      calls++;
      throw Object.assign(new Error("unauthorised"), { status: 401 });
    };
    await expect(
      retry(work, { attempts: 5, retryable: (error) => (error as { status: number }).status >= 500, sleep: async () => {} }),
    ).rejects.toThrow("unauthorised");
    expect(calls).toBe(1);
  });

  it("stops waiting as soon as the signal aborts, through the signal it hands to sleep", async () => {
    const controller = new AbortController();
    // A sleep that never ends by itself: only the abort signal can end the wait.
    const endless = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));
    const outcome = retry(async () => Promise.reject(new Error("down")), { attempts: 5, signal: controller.signal, sleep: endless });
    setTimeout(() => controller.abort(new Error("cancelled")), 20);
    await expect(outcome).rejects.toThrow("cancelled");
  });
});
