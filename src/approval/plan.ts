import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ConfigurationError } from "../lib/errors.js";
import { table } from "../lib/summary.js";
import { type ApprovalSettings, describeRule, INPUTS, STAGING_ENVIRONMENT } from "./settings.js";

const run = promisify(execFile);

/** What git knows locally about the commit to promote. */
export interface LocalCommit {
  /** HEAD, or undefined outside a git checkout. */
  head?: string;
  /** The commit the `version` tag points at. */
  tagged?: string;
  /** Tags that point at HEAD. */
  tagsAtHead: string[];
}

export interface ApprovalPlan {
  ok: boolean;
  headline: string;
  markdown: string;
}

async function git(root: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run("git", args, { cwd: root, encoding: "utf8" })).stdout.trim();
  } catch {
    return undefined;
  }
}

/** HEAD, the tags at it, and the version tag's commit, from git alone; a version tag that does not exist is a mistake. */
export async function readLocalCommit(root: string, version: string | undefined): Promise<LocalCommit> {
  const head = await git(root, ["rev-parse", "--verify", "-q", "HEAD"]);
  if (!head) return { tagsAtHead: [] };
  const tagsAtHead = ((await git(root, ["tag", "--points-at", "HEAD"])) ?? "").split("\n").filter(Boolean);
  if (!version) return { head, tagsAtHead };
  const tagged = await git(root, ["rev-parse", "--verify", "-q", `refs/tags/${version}^{commit}`]);
  if (!tagged)
    throw new ConfigurationError(`Input '${INPUTS.version}' got ${JSON.stringify(version)}, but the local repository has no such tag.`);
  return { head, tagged, tagsAtHead };
}

/** What `approval` would require of this commit, as a table: local facts only, no API. */
export function planApproval(settings: ApprovalSettings, local: LocalCommit): ApprovalPlan {
  const commit = local.tagged ?? settings.sha ?? local.head;
  if (settings.version && settings.sha && local.tagged && settings.sha !== local.tagged) {
    throw new ConfigurationError(
      `Input '${INPUTS.sha}' is ${settings.sha}, but '${INPUTS.version}' ${settings.version} points at ${local.tagged}; give one of them, or two that agree.`,
    );
  }
  const version = settings.version
    ? `${settings.version} → ${local.tagged}`
    : local.head
      ? local.tagsAtHead.length
        ? `none given; tags at HEAD: ${local.tagsAtHead.join(", ")}`
        : "none given, and no tag points at HEAD: the commit itself would be promoted"
      : "none given";
  const rows: unknown[][] = [
    ["environment", settings.environment],
    ["commit", commit ?? "not a git checkout: the run's GITHUB_SHA would be promoted"],
    ["version", version],
    ["approvals", `${settings.requiredApprovals} distinct of ${settings.approvers.map(describeRule).join(", ")}`],
    ["channels", "the dispatching actor, this run's environment reviews, approving reviews of the commit's pull requests"],
    ["self-approval", settings.allowSelfApproval ? "allowed" : "refused: authors and mergers of the commit's pull requests do not count"],
    ["required checks", settings.requiredChecks.length ? settings.requiredChecks.map((name) => `${name}: success`).join(", ") : "none"],
    [
      "staging",
      settings.requireStaging ? `a deployment of the commit in ${STAGING_ENVIRONMENT} whose latest status is success` : "not required",
    ],
    ["change ticket", settings.changeTicket ?? "not required outside production"],
  ];
  const headline = `${settings.requiredApprovals} approval${settings.requiredApprovals === 1 ? "" : "s"}, ${settings.requiredChecks.length} checks${settings.requireStaging ? ", staging" : ""} for ${commit ? commit.slice(0, 7) : "the run's commit"}${settings.version || local.tagsAtHead.length ? "" : " (no tag)"}`;
  return { ok: true, headline, markdown: table(["requirement", "would need"], rows) };
}
