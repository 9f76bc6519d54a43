import { relative, resolve } from "node:path";
import { inputNames, outputNames } from "../lib/action-inputs.js";
import type { Inputs } from "../lib/inputs.js";
import { resolveWorkspacePath } from "../lib/workspace-path.js";

/** Input and output names of the compliance action (action.yml holds their defaults and descriptions). */
export const INPUTS = inputNames("compliance");

export const OUTPUTS = outputNames("compliance");

/** The CLI's own flags for local mode. */
export const LOCAL_FLAGS = { bodyFile: "body-file", base: "base" } as const;

export const DEFAULT_CONFIG = ".github/compliance.yml";
export const DEFAULT_CHECK_NAME = "compliance";

export interface ComplianceSettings {
  /** Absolute path of the rules file. */
  configPath: string;
  /** How messages name it: relative to the workspace, as the user wrote it. */
  configShown: string;
  /** Repository root: changed files are read from here. */
  workspace: string;
  checkName: string;
  comment: boolean;
}

/** Reads every input; the rules file must be a file inside the workspace (refused naming `config` otherwise). */
export function readComplianceSettings(inputs: Inputs, where: { workspace: string }): ComplianceSettings {
  const workspace = resolve(where.workspace);
  const config = inputs.optional(INPUTS.config, DEFAULT_CONFIG);
  const configPath = resolveWorkspacePath(workspace, INPUTS.config, config, "file");
  return {
    configPath,
    configShown: relative(workspace, configPath) || config,
    workspace,
    checkName: inputs.optional(INPUTS.checkName, DEFAULT_CHECK_NAME),
    comment: inputs.boolean(INPUTS.comment, true),
  };
}
