import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { inputNames, outputNames } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import { resolveWorkspacePath } from "../lib/workspace-path.js";

/** Input and output names of the release-notes action, defined once for the entry, the CLI and the metadata test. */
export const INPUTS = inputNames("release-notes");

export const OUTPUTS = outputNames("release-notes");

export const SOURCES = ["api", "git"] as const;
export type Source = (typeof SOURCES)[number];
export const DEFAULT_CONFIG = ".github/release-notes.yml";

export interface ReleaseNotesSettings {
  from?: string;
  to: string;
  version?: string;
  /** Absolute path; a missing file at the default path means the built-in categories. */
  configPath: string;
  configGiven: boolean;
  /** Absolute path, or undefined for the built-in template. */
  templatePath?: string;
  source: Source;
  /** `api` source: the branch whose merged pull requests are listed; undefined means the repository's default branch. */
  baseBranch?: string;
  draftRelease: boolean;
  tagPrefix: string;
  customerCommUrl: string;
  releaseOwner: string;
  /** The repository's root, where git runs and relative paths resolve. */
  workspace: string;
  /** `git` source only: when the workspace is a folder inside a larger repository, keep only changes under it. */
  onlyUnderWorkspace?: boolean;
}

/**
 * Reads every input. `config` and `template` must be files inside the workspace, refused naming the input otherwise;
 * only the default config may be missing (the built-in categories apply then).
 */
export function readReleaseNotesSettings(
  inputs: Inputs,
  where: { workspace: string; actor?: string; sha?: string; ref?: string },
): ReleaseNotesSettings {
  const workspace = resolve(where.workspace);
  const to = inputs.optional(INPUTS.to, where.sha || "HEAD");
  const customerCommUrl = inputs.optional(INPUTS.customerCommUrl);
  if (customerCommUrl && !/^https?:\/\/[^/\s]/.test(customerCommUrl)) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.customerCommUrl)} got ${quoteValue(customerCommUrl)}; expected an http:// or https:// URL.`,
    );
  }
  const template = inputs.optional(INPUTS.template);
  const config = inputs.optional(INPUTS.config, DEFAULT_CONFIG);
  const configGiven = config !== DEFAULT_CONFIG;
  const defaultMissing = !configGiven && !existsSync(resolve(workspace, DEFAULT_CONFIG));
  return {
    from: inputs.optional(INPUTS.from) || undefined,
    to,
    version: inputs.optional(INPUTS.version) || undefined,
    configPath: defaultMissing ? resolve(workspace, DEFAULT_CONFIG) : resolveWorkspacePath(workspace, INPUTS.config, config, "file"),
    configGiven,
    templatePath: template ? resolveWorkspacePath(workspace, INPUTS.template, template, "file") : undefined,
    source: inputs.choice(INPUTS.source, SOURCES, "api"),
    baseBranch: inputs.optional(INPUTS.baseBranch) || branchOf(where.ref),
    draftRelease: inputs.boolean(INPUTS.draftRelease, false),
    tagPrefix: inputs.optional(INPUTS.tagPrefix, "v"),
    customerCommUrl,
    releaseOwner: inputs.optional(INPUTS.releaseOwner, where.actor ?? ""),
    workspace,
  };
}

/** The branch a `refs/heads/…` ref names; a tag or pull request ref names none. */
function branchOf(ref?: string): string | undefined {
  return ref?.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
}
