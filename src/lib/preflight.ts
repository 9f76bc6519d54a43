import type { ActionName } from "./action-inputs.js";
import type { Logger } from "./logger.js";
import type { Secrets } from "./secrets.js";

/** What one Launchpad step of a workflow gets when `launchpad preflight` runs it locally. */
export interface PreflightContext {
  /** The consumer repo (the workspace), absolute. */
  root: string;
  /** The step's `with:` inputs, evaluated against the local context, with action.yml's defaults filled in. */
  with: Readonly<Record<string, string>>;
  logger: Logger;
  secrets: Secrets;
  signal: AbortSignal;
  /** The environment the step's commands see: the caller's, plus the job's and step's `env:`. */
  env: NodeJS.ProcessEnv;
  /** Where local modes write their reports (`<root>/.launchpad`). */
  reportDir: string;
  /** Runs when the job ends: for what a later step of the same job uses (a local server standing in for a deploy). */
  onJobEnd(cleanup: () => Promise<void>): void;
}

export interface PreflightOutcome {
  ok: boolean;
  /** One line for the job's table. */
  headline: string;
  /** The step's section of the report: the same markdown its action writes to the job summary. */
  markdown: string;
  /** The step's outputs, as later steps read them (`steps.<id>.outputs.<name>`). */
  outputs?: Record<string, string>;
  /** The step could not run locally (e.g. its URL evaluates to empty); listed, not counted as a failure. */
  skipped?: boolean;
}

/** The local mode of one Launchpad action: what its step does in `launchpad preflight`, with no cloud credentials. */
export interface PreflightStep {
  /** The action's folder name: `actions/<action>`. */
  action: ActionName;
  run(context: PreflightContext): Promise<PreflightOutcome>;
}
