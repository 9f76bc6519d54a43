import { ConfigurationError, errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { retry, type Sleep } from "../lib/retry.js";
import { type VercelApi, vercelRetry } from "./api.js";
import { INPUTS } from "./settings.js";

/** What `{{branch}}`, `{{pr}}` and `{{sha}}` stand for in this run. */
export interface AliasVariables {
  branch: string;
  pr?: number;
  sha: string;
}

/** A branch name as one DNS label part: lower case, [a-z0-9-], at most 48 characters, no leading/trailing dash. */
export function slugifyBranch(branch: string): string {
  return branch
    .toLowerCase()
    .replace(/^refs\/heads\//, "")
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 48)
    .replace(/^-+|-+$/g, "");
}

const PLACEHOLDER = /\{\{\s*([a-z]*)\s*\}\}/g;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Renders the alias lines. `{{sha}}` is the 7-character short sha. A line using `{{pr}}` outside a pull request is
 * skipped (with a notice) so one step can serve pushes and PRs; anything else that does not form a hostname is the
 * user's mistake and names the line.
 */
export function renderAliases(lines: Array<{ line: number; template: string }>, variables: AliasVariables, logger: Logger): string[] {
  const aliases: string[] = [];
  for (const { line, template } of lines) {
    let skip = false;
    const rendered = template.replace(PLACEHOLDER, (_all, name: string, column: number) => {
      if (name === "branch") return slugifyBranch(variables.branch);
      if (name === "sha") return variables.sha.slice(0, 7);
      if (name === "pr") {
        if (variables.pr === undefined) skip = true;
        return String(variables.pr ?? "");
      }
      throw new ConfigurationError(
        `Input '${INPUTS.alias}' line ${line}, column ${column + 1}: unknown placeholder {{${name}}}; use {{branch}}, {{pr}} or {{sha}}.`,
      );
    });
    if (skip) {
      logger.info(`Skipping alias '${template}': {{pr}} is only defined on pull requests.`);
      continue;
    }
    const alias = rendered.toLowerCase().replace(/^https?:\/\//, "");
    if (!HOSTNAME.test(alias)) {
      throw new ConfigurationError(
        `Input '${INPUTS.alias}' line ${line}: '${template}' renders to '${alias}', which is not a hostname (labels of a-z, 0-9 and '-', at most 63 characters each).`,
      );
    }
    if (!aliases.includes(alias)) aliases.push(alias);
  }
  return aliases;
}

export interface AliasResult {
  alias: string;
  ok: boolean;
  error?: string;
}

/** Assigns every alias in parallel, each retried on transient failures; all are attempted even when one fails. */
export async function assignAliases(
  api: VercelApi,
  deploymentId: string,
  aliases: string[],
  deps: { logger: Logger; signal?: AbortSignal; sleep?: Sleep; attempts?: number },
): Promise<AliasResult[]> {
  return Promise.all(
    aliases.map(async (alias) => {
      try {
        await retry(
          () => api.assignAlias(deploymentId, alias),
          vercelRetry(`Alias ${alias}`, {
            attempts: deps.attempts ?? 4,
            baseMs: 500,
            maxMs: 5_000,
            logger: deps.logger,
            signal: deps.signal,
            sleep: deps.sleep,
          }),
        );
        deps.logger.info(`Aliased https://${alias} → ${deploymentId}`);
        return { alias, ok: true };
      } catch (error) {
        return { alias, ok: false, error: errorMessage(error) };
      }
    }),
  );
}
