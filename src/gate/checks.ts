import { relative } from "node:path";
import { resolveWorkspacePath } from "../lib/workspace-path.js";
import { type GateSettings, INPUTS } from "./settings.js";

/**
 * What can be checked before any command runs, so a mistake is named before minutes of lint and tests: the working
 * directory is a folder in the workspace, and an audit file an earlier step should have written is a file there
 * (not reached through a symbolic link out of it). Globs are checked when read, and their matches when matched.
 */
export async function checkBeforeRunning(settings: GateSettings): Promise<void> {
  const { workspace, workingDirectory, audit } = settings;
  const shown = (path: string) => relative(workspace, path) || ".";
  resolveWorkspacePath(workspace, INPUTS.workingDirectory, shown(workingDirectory), "directory");
  if (audit.mode === "file") resolveWorkspacePath(workspace, INPUTS.audit, shown(audit.path), "file");
}
