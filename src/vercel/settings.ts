import { isAbsolute, resolve } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import type { Inputs } from "../lib/inputs.js";

/** Input names, defined once for the action, the CLI flags and action.yml's tests. */
export const INPUTS = {
  token: "token",
  teamId: "team-id",
  projectId: "project-id",
  target: "target",
  path: "path",
  prebuilt: "prebuilt",
  outputDir: "output-dir",
  alias: "alias",
  githubToken: "github-token",
  githubDeployment: "github-deployment",
  githubComment: "github-comment",
  timeout: "timeout",
  apiUrl: "api-url",
  command: "command",
  deployment: "deployment",
} as const;

export const OUTPUTS = {
  url: "url",
  deploymentId: "deployment-id",
  inspectorUrl: "inspector-url",
  aliases: "aliases",
  state: "state",
  previousDeploymentId: "previous-deployment-id",
} as const;

export const COMMANDS = ["deploy", "promote", "rollback"] as const;
export type VercelCommand = (typeof COMMANDS)[number];

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
}

const TARGET = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads and checks every input; `workspace` anchors relative paths (GITHUB_WORKSPACE or the CLI's cwd).
 * `VERCEL_TEAM_ID` from `env` stands in for an empty team-id, as the Vercel CLI reads it.
 */
export function readVercelSettings(inputs: Inputs, workspace: string, env: NodeJS.ProcessEnv = {}): VercelSettings {
  const command = inputs.choice(INPUTS.command, COMMANDS, "deploy");
  const target = inputs.optional(INPUTS.target, "preview");
  if (!TARGET.test(target)) {
    throw new ConfigurationError(
      `Input '${INPUTS.target}' got ${JSON.stringify(target)}; expected preview, production or a custom environment slug such as staging.`,
    );
  }
  const path = resolve(workspace, inputs.optional(INPUTS.path, "."));
  const outputDir = inputs.optional(INPUTS.outputDir, ".vercel/output");
  const apiUrl = inputs.optional(INPUTS.apiUrl, DEFAULT_API_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(apiUrl)) {
    throw new ConfigurationError(
      `Input '${INPUTS.apiUrl}' got ${JSON.stringify(apiUrl)}; expected an http(s) URL such as ${DEFAULT_API_URL}.`,
    );
  }
  const deployment = inputs.optional(INPUTS.deployment) || undefined;
  if (command !== "deploy" && !deployment) {
    throw new ConfigurationError(
      `Input '${INPUTS.deployment}' is required for command '${command}': give the deployment id (dpl_…) or URL.`,
    );
  }
  const timeoutMs = inputs.duration(INPUTS.timeout, "15m");
  if (timeoutMs < 1_000) throw new ConfigurationError(`Input '${INPUTS.timeout}' must be at least 1s.`);
  return {
    command,
    token: inputs.required(INPUTS.token),
    teamId: inputs.optional(INPUTS.teamId) || env.VERCEL_TEAM_ID || undefined,
    projectId: inputs.required(INPUTS.projectId),
    target,
    path,
    prebuilt: inputs.boolean(INPUTS.prebuilt, true),
    outputDir: isAbsolute(outputDir) ? outputDir : resolve(path, outputDir),
    aliases: inputs.lines(INPUTS.alias).map(({ line, text }) => ({ line, template: text })),
    githubToken: inputs.optional(INPUTS.githubToken) || undefined,
    githubDeployment: inputs.boolean(INPUTS.githubDeployment, true),
    githubComment: inputs.boolean(INPUTS.githubComment, true),
    timeoutMs,
    apiUrl,
    deployment,
  };
}

/**
 * @vercel/client appends VERCEL_TEAM_ID from the process environment to every URL it calls, on top of the teamId
 * it was given, so a stale variable would send the deploy to another team than our alias and promote calls.
 * Entries read it into the settings first, then remove it with this.
 */
export function dropClientTeamEnv(env: NodeJS.ProcessEnv): void {
  delete env.VERCEL_TEAM_ID;
}
