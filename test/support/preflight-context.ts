import { join } from "node:path";
import { silentLogger } from "../../src/lib/logger.js";
import type { PreflightContext } from "../../src/lib/preflight.js";
import { Secrets } from "../../src/lib/secrets.js";

/**
 * What `launchpad preflight` hands one step's local mode: `with` as the workflow's step gives it; no environment
 * from this shell unless `overrides.env` gives one. `cleanups` collects what the step leaves for the job's end.
 */
export function stepContext(root: string, inputs: Record<string, string>, overrides: Partial<PreflightContext> = {}) {
  const cleanups: Array<() => Promise<void>> = [];
  const context: PreflightContext = {
    root,
    with: inputs,
    logger: silentLogger,
    secrets: new Secrets(),
    signal: new AbortController().signal,
    env: {},
    reportDir: join(root, ".launchpad"),
    onJobEnd: (cleanup) => cleanups.push(cleanup),
    ...overrides,
  };
  return { context, cleanups };
}
