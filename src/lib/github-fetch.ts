import { defaults as actionsDefaults } from "@actions/github/lib/utils";
import { formatDuration } from "./duration.js";
import { RemoteError } from "./errors.js";

type Fetch = typeof globalThis.fetch;

/** The stop for one GitHub request (the job's cancellation or its deadline), carried through Octokit as an AbortError. */
class RequestStopped extends Error {
  // @octokit/request rethrows an AbortError as is; any other fetch failure becomes a 500 that plugin-retry retries.
  override name = "AbortError";
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** Statuses whose Response may not carry a body (the Fetch standard's "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The `request` options for getOctokit: @actions/github's own proxy-aware fetch and agent (Octokit.defaults merges
 * `request` shallowly, so both must be passed on), the fetch wrapped so that each attempt, body included, ends at
 * `timeoutMs` or when `signal` fires. The body is read inside the deadline: @octokit/request swallows a failed body
 * read and would hand back "" as the data.
 */
export function boundedRequestOptions(timeoutMs: number, signal?: AbortSignal): { fetch: Fetch; agent: unknown } {
  const proxyFetch = actionsDefaults.request?.fetch as Fetch;
  const fetch: Fetch = async (input, init = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const stops = [deadline, ...(signal ? [signal] : []), ...(init.signal ? [init.signal] : [])];
    const combined = AbortSignal.any(stops);
    try {
      const response = await proxyFetch(input, { ...init, signal: combined });
      const body = NULL_BODY.has(response.status) ? null : await response.arrayBuffer();
      const buffered = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      Object.defineProperty(buffered, "url", { value: response.url });
      return buffered;
    } catch (error) {
      if (signal?.aborted) throw new RequestStopped(signal.reason);
      if (deadline.aborted) {
        const { method = "GET" } = init;
        const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
        throw new RequestStopped(new RemoteError(`GitHub did not answer ${method} ${path} within ${formatDuration(timeoutMs)}.`));
      }
      throw error;
    }
  };
  return { fetch, agent: actionsDefaults.request?.agent };
}

/** For `octokit.hook.wrap("request", …)`, outside retry and throttling: the stop's own reason reaches the caller. */
export async function unwrapStopped<O, T>(request: (options: O) => T | Promise<T>, options: O): Promise<T> {
  try {
    return await request(options);
  } catch (error) {
    if (error instanceof RequestStopped) throw error.reason;
    throw error;
  }
}
