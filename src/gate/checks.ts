import { stat } from "node:fs/promises";
import { ConfigurationError } from "../lib/errors.js";
import { type GateSettings, INPUTS } from "./settings.js";

/**
 * What can be checked before any command runs, so a mistake is named before minutes of lint and tests: the working
 * directory exists, and an audit file an earlier step should have written is there. (Globs are checked when read.)
 */
export async function checkBeforeRunning(settings: GateSettings): Promise<void> {
  const directory = await stat(settings.workingDirectory).catch(() => undefined);
  if (!directory?.isDirectory()) {
    throw new ConfigurationError(
      `Input '${INPUTS.workingDirectory}' is ${settings.workingDirectory}, which ${directory ? "is not a directory" : "does not exist"}; give a directory relative to the workspace.`,
    );
  }
  const audit = settings.audit;
  if (audit.mode === "file" && !(await stat(audit.path).catch(() => undefined))?.isFile()) {
    throw new ConfigurationError(
      `Input '${INPUTS.audit}' names ${audit.path}, which does not exist; produce it in an earlier step or use npm, pnpm or none.`,
    );
  }
}
