import { inputNames, outputNames } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, quoteValue } from "../lib/inputs.js";

/** Input and output names of the approval action, defined once for the entry, the CLI and the tests (action.yml holds defaults). */
export const INPUTS = inputNames("approval");

export const OUTPUTS = outputNames("approval");

/** The environment whose deployment must have succeeded before promotion. */
export const STAGING_ENVIRONMENT = "staging";
export const DEFAULT_REQUIRED_CHECKS = ["quality-gate", "compliance"];

/** One entry of `approvers`: a GitHub user, or a team as `org/team-slug`. */
export type ApproverRule = { kind: "user"; login: string } | { kind: "team"; org: string; slug: string };

export interface ApprovalSettings {
  environment: string;
  /** A tag to resolve, or undefined to promote `sha`. */
  version?: string;
  /** The commit given explicitly (or the run's, when no version is given); undefined when the tag decides. */
  sha?: string;
  approvers: ApproverRule[];
  requiredApprovals: number;
  allowSelfApproval: boolean;
  requiredChecks: string[];
  requireStaging: boolean;
  changeTicket?: string;
}

// GitHub logins: alphanumerics and single hyphens, at most 39 characters; team slugs are lower-case words and hyphens.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SHA = /^[0-9a-f]{40}$/i;
const TAG = /^[^\s~^:?*[\\]+$/;

/**
 * Reads and checks the inputs; `runSha` (GITHUB_SHA) is the commit when neither `version` nor `sha` is given, or null
 * when the caller finds the commit itself (the local plan reads git's HEAD).
 */
export function readApprovalSettings(inputs: Inputs, runSha: string | null): ApprovalSettings {
  const environment = inputs.optional(INPUTS.environment, "production");
  const version = inputs.raw(INPUTS.version) || undefined;
  if (version && !TAG.test(version.replace(/^refs\/tags\//, ""))) {
    throw new ConfigurationError(`Input '${INPUTS.version}' got ${quoteValue(version)}; expected a tag name such as v1.4.2.`);
  }
  const sha = readSha(inputs, runSha, Boolean(version));
  const approvers = readApprovers(inputs);
  const requiredApprovals = inputs.integer(INPUTS.requiredApprovals, 1, { min: 1, max: 100 });
  const changeTicket = inputs.raw(INPUTS.changeTicket) || undefined;
  if (!changeTicket && environment === "production") {
    throw new ConfigurationError(
      `Input '${INPUTS.changeTicket}' is required when '${INPUTS.environment}' is production; give the change ticket, e.g. CHG-1234.`,
    );
  }
  const requiredChecks = inputs.raw(INPUTS.requiredChecks) ? inputs.list(INPUTS.requiredChecks) : DEFAULT_REQUIRED_CHECKS;
  return {
    environment,
    version: version?.replace(/^refs\/tags\//, ""),
    sha,
    approvers,
    requiredApprovals,
    allowSelfApproval: inputs.boolean(INPUTS.allowSelfApproval, false),
    requiredChecks: [...new Set(requiredChecks)],
    requireStaging: inputs.boolean(INPUTS.requireStaging, true),
    changeTicket,
  };
}

/** The explicit commit; else, without a version, the run's. With a version the tag decides, and for the local plan git's HEAD. */
function readSha(inputs: Inputs, runSha: string | null, hasVersion: boolean): string | undefined {
  const value = inputs.raw(INPUTS.sha) || (hasVersion || runSha === null ? "" : runSha);
  if (!value) {
    if (hasVersion || runSha === null) return undefined;
    throw new ConfigurationError(`Input '${INPUTS.sha}' is empty and so is '${INPUTS.version}'; give the commit or the tag to promote.`);
  }
  if (!SHA.test(value)) {
    throw new ConfigurationError(`Input '${INPUTS.sha}' got ${quoteValue(value)}; expected a full 40-character commit SHA.`);
  }
  return value.toLowerCase();
}

function readApprovers(inputs: Inputs): ApproverRule[] {
  const items = inputs.list(INPUTS.approvers);
  if (items.length === 0) {
    throw new ConfigurationError(
      `Input '${INPUTS.approvers}' is empty; list users and org/team slugs who may approve, e.g. "alice, blockbuilders/release-managers".`,
    );
  }
  const rules = new Map<string, ApproverRule>();
  for (const item of items) {
    const text = item.replace(/^@/, "");
    const [first, second, ...rest] = text.split("/");
    if (second === undefined && LOGIN.test(first)) rules.set(first.toLowerCase(), { kind: "user", login: first });
    else if (rest.length === 0 && second !== undefined && LOGIN.test(first) && TEAM_SLUG.test(second)) {
      rules.set(`${first}/${second}`.toLowerCase(), { kind: "team", org: first, slug: second.toLowerCase() });
    } else {
      throw new ConfigurationError(
        `Input '${INPUTS.approvers}' got ${quoteValue(item)}; expected a GitHub login (alice) or an org/team slug (blockbuilders/release-managers).`,
      );
    }
  }
  return [...rules.values()];
}

export function describeRule(rule: ApproverRule): string {
  return rule.kind === "user" ? rule.login : `${rule.org}/${rule.slug}`;
}
