import { isAbsolute, resolve } from "node:path";
import { inputNames, outputNames } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import { outside } from "../lib/path-within.js";
import { resolveWorkspacePath } from "../lib/workspace-path.js";

/** Input names, defined once for the action, the CLI flags and action.yml's tests. */
export const INPUTS = inputNames("vercel-deploy");

export const OUTPUTS = outputNames("vercel-deploy");

export const COMMANDS = ["deploy", "promote", "rollback"] as const;
export type VercelCommand = (typeof COMMANDS)[number];

export const ARCHIVE_MODES = ["auto", "always", "never"] as const;
export type ArchiveMode = (typeof ARCHIVE_MODES)[number];

export const DEFAULT_API_URL = "https://api.vercel.com";

export interface VercelSettings {
  command: VercelCommand;
  token: string;
  teamId?: string;
  projectId: string;
  /** `production`, `preview`, or a custom environment slug such as `staging`. */
  target: string;
  /** The project root, absolute. */
  path: string;
  prebuilt: boolean;
  /** The Build Output API directory, absolute. */
  outputDir: string;
  /** Alias templates with the input line they came from, rendered after the deployment is READY. */
  aliases: Array<{ line: number; template: string }>;
  githubToken?: string;
  githubDeployment: boolean;
  /** Undefined means "on pull requests". */
  githubComment: boolean;
  timeoutMs: number;
  apiUrl: string;
  /** The deployment id or URL that `promote` and `rollback` act on. */
  deployment?: string;
  /** `auto`: an archive past 15,000 files or when many files are missing; `always`/`never` force one way. */
  archive: ArchiveMode;
  /** How long a READY deployment may wait for Vercel's automatic aliases when none were requested. */
  aliasWaitMs: number;
}

const TARGET = /^[a-z0-9][a-z0-9-]*$/;

/** The longest `timeout`: a Vercel build is cut at 45 minutes, uploads of a big output take a while on top. */
const TIMEOUT_RANGE = { min: "1s", max: "6h" };
/** `alias-wait` bounds the wait for Vercel's automatic aliases, which come within seconds when they come. */
const ALIAS_WAIT_RANGE = { min: "0s", max: "10m" };

/**
 * `output-dir` is relative to `path` and must stay in the workspace; whether it holds a Build Output is checked
 * before the deploy, with advice on building it (run.ts).
 */
function readOutputDir(inputs: Inputs, workspace: string, path: string): string {
  const value = inputs.optional(INPUTS.outputDir, ".vercel/output");
  const outputDir = isAbsolute(value) ? value : resolve(path, value);
  if (outside(resolve(workspace), outputDir)) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.outputDir)} got ${quoteValue(value)}: the path leaves the workspace; give a folder inside it, relative to '${INPUTS.path}'.`,
    );
  }
  return outputDir;
}

/**
 * Reads and checks every input; `workspace` anchors relative paths (GITHUB_WORKSPACE or the CLI's cwd).
 * `VERCEL_TEAM_ID` from `env` stands in for an empty team-id, as the Vercel CLI reads it.
 */
export function readVercelSettings(inputs: Inputs, workspace: string, env: NodeJS.ProcessEnv = {}): VercelSettings {
  const command = inputs.choice(INPUTS.command, COMMANDS, "deploy");
  const target = inputs.optional(INPUTS.target, "preview");
  if (!TARGET.test(target)) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.target)} got ${quoteValue(target)}; expected preview, production or a custom environment slug such as staging.`,
    );
  }
  // Only a deploy reads the project folder: promote and rollback act on a deployment that exists already.
  const pathValue = inputs.optional(INPUTS.path, ".");
  const path = command === "deploy" ? resolveWorkspacePath(workspace, INPUTS.path, pathValue, "directory") : resolve(workspace, pathValue);
  const apiUrl = inputs.optional(INPUTS.apiUrl, DEFAULT_API_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(apiUrl)) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.apiUrl)} got ${quoteValue(apiUrl)}; expected an http(s) URL such as ${DEFAULT_API_URL}.`,
    );
  }
  const deployment = inputs.optional(INPUTS.deployment) || undefined;
  if (command !== "deploy" && !deployment) {
    throw new ConfigurationError(
      `Input '${INPUTS.deployment}' is required for command '${command}': give the deployment id (dpl_…) or URL.`,
    );
  }
  const timeoutMs = inputs.duration(INPUTS.timeout, "15m", TIMEOUT_RANGE);
  const teamId = inputs.optional(INPUTS.teamId) || env.VERCEL_TEAM_ID || undefined;
  // @vercel/client adds VERCEL_TEAM_ID from the environment to its URLs on top of the team it is given.
  if (env.VERCEL_TEAM_ID && teamId !== env.VERCEL_TEAM_ID) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.teamId)} is ${quoteValue(teamId ?? "")} but VERCEL_TEAM_ID in the environment is ${quoteValue(env.VERCEL_TEAM_ID)}; the Vercel client would send both. Make them match or unset VERCEL_TEAM_ID.`,
    );
  }
  return {
    command,
    token: inputs.required(INPUTS.token),
    teamId,
    projectId: inputs.required(INPUTS.projectId),
    target,
    path,
    prebuilt: inputs.boolean(INPUTS.prebuilt, true),
    outputDir: readOutputDir(inputs, workspace, path),
    aliases: inputs.lines(INPUTS.alias).map(({ line, text }) => ({ line, template: text })),
    githubToken: inputs.optional(INPUTS.githubToken) || undefined,
    githubDeployment: inputs.boolean(INPUTS.githubDeployment, true),
    githubComment: inputs.boolean(INPUTS.githubComment, true),
    timeoutMs,
    apiUrl,
    deployment,
    archive: inputs.choice(INPUTS.archive, ARCHIVE_MODES, "auto"),
    aliasWaitMs: inputs.duration(INPUTS.aliasWait, "20s", ALIAS_WAIT_RANGE),
  };
}
