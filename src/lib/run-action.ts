import * as core from "@actions/core";
import { onCancel } from "./cancel.js";
import { type RunContext, readRunContext } from "./context.js";
import { errorMessage, isUserFacing } from "./errors.js";
import { envInputSource, Inputs } from "./inputs.js";
import type { AnnotationPlace, Logger } from "./logger.js";
import { Secrets } from "./secrets.js";
import { LIMITS, truncateBytes } from "./summary.js";

/** Everything an action entry needs from the runner, behind one object so entries stay thin. */
export interface ActionRun {
  inputs: Inputs;
  logger: Logger;
  secrets: Secrets;
  /** Fires on SIGINT/SIGTERM (job cancelled). */
  signal: AbortSignal;
  context: RunContext;
  env: NodeJS.ProcessEnv;
  setOutput(name: string, value: string | number | boolean): void;
  /** Appends markdown to the job summary, trimmed to GitHub's limit. */
  writeSummary(markdown: string): Promise<void>;
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

export interface RunActionOptions {
  /** Inputs whose values are masked before anything else runs. */
  secretInputs?: readonly string[];
  /** Environment variables holding secrets, masked the same way. */
  secretEnv?: readonly string[];
}

function toProperties(where?: AnnotationPlace): core.AnnotationProperties {
  return { ...where };
}

export function actionsLogger(secrets: Secrets): Logger {
  const redact = (text: string) => secrets.redact(text);
  return {
    info: (message) => core.info(redact(message)),
    warning: (message, where) => core.warning(redact(message), toProperties(where)),
    error: (message, where) => core.error(redact(message), toProperties(where)),
    notice: (message, where) => core.notice(redact(message), toProperties(where)),
    debug: (message) => core.debug(redact(message)),
    group: (name, work) => core.group(redact(name), work),
  };
}

/**
 * Runs an action's main or post step: masks secrets first, then runs `main`; any failure becomes one
 * `setFailed` line, with the stack only in debug output.
 */
export async function runAction(main: (run: ActionRun) => Promise<void>, options: RunActionOptions = {}): Promise<void> {
  const env = process.env;
  const secrets = new Secrets();
  secrets.onAdd((value) => core.setSecret(value));
  const inputs = new Inputs(envInputSource(env));
  for (const name of options.secretInputs ?? []) secrets.add(inputs.raw(name));
  for (const name of options.secretEnv ?? []) secrets.add(env[name]);

  const cancellation = onCancel();
  const run: ActionRun = {
    inputs,
    logger: actionsLogger(secrets),
    secrets,
    signal: cancellation.signal,
    context: readRunContext(env),
    env,
    setOutput: (name, value) => core.setOutput(name, secrets.redact(String(value))),
    async writeSummary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(truncateBytes(secrets.redact(markdown), LIMITS.jobSummaryBytes), true).write();
    },
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
  };
  try {
    await main(run);
  } catch (error) {
    if (!isUserFacing(error) && error instanceof Error && error.stack) core.debug(secrets.redact(error.stack));
    core.setFailed(secrets.redact(errorMessage(error)));
  } finally {
    cancellation.dispose();
  }
}
