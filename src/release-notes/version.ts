import semver from "semver";
import { ConfigurationError } from "../lib/errors.js";
import { quoteValue } from "../lib/inputs.js";
import { parseConventional } from "./conventional.js";
import type { CommitInfo, PullRequestInfo, RangeChanges } from "./model.js";
import { INPUTS } from "./settings.js";

export type Bump = "major" | "minor" | "patch";

const MAJOR_LABELS = ["breaking", "major", "breaking-change"];
const MINOR_LABELS = ["feature", "enhancement", "minor"];
const ORDER: Bump[] = ["patch", "minor", "major"];

function textBump(subject: string, body: string): Bump {
  const message = parseConventional(subject, body);
  if (message.breaking) return "major";
  return message.type === "feat" ? "minor" : "patch";
}

function labelBump(labels: string[]): Bump {
  const lower = labels.map((label) => label.toLowerCase());
  if (lower.some((label) => MAJOR_LABELS.includes(label))) return "major";
  return lower.some((label) => MINOR_LABELS.includes(label)) ? "minor" : "patch";
}

const higher = (a: Bump, b: Bump): Bump => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

export function pullRequestBump(pull: PullRequestInfo): Bump {
  let bump = higher(labelBump(pull.labels), textBump(pull.title, pull.body));
  for (const commit of pull.commits) bump = higher(bump, commitBump(commit));
  return bump;
}

export function commitBump(commit: CommitInfo): Bump {
  return textBump(commit.subject, commit.body);
}

/** The largest bump any change asks for: breaking → major, feature → minor, anything else → patch. */
export function rangeBump(changes: RangeChanges): Bump {
  let bump: Bump = "patch";
  for (const pull of changes.pullRequests) bump = higher(bump, pullRequestBump(pull));
  for (const commit of changes.loneCommits) bump = higher(bump, commitBump(commit));
  return bump;
}

/** The version of a tag without its prefix, or undefined when it is not SemVer. */
export function tagVersion(tag: string, prefix: string): string | undefined {
  if (!tag.startsWith(prefix)) return undefined;
  return semver.valid(tag.slice(prefix.length)) ?? undefined;
}

/** The SemVer version of the `version` input (a leading tag prefix is allowed), or a ConfigurationError. */
export function parseExplicitVersion(explicit: string, prefix: string): string {
  const bare = prefix && explicit.startsWith(prefix) ? explicit.slice(prefix.length) : explicit;
  const version = semver.valid(bare);
  if (!version)
    throw new ConfigurationError(`Input '${INPUTS.version}' got ${quoteValue(explicit)}; expected a SemVer version such as 1.4.0.`);
  return version;
}

/** An explicit version is checked; otherwise the previous one (0.0.0 without a tag) is bumped. */
export function resolveVersion(options: { explicit?: string; previous?: string; fromTag?: string; prefix: string; bump: Bump }): string {
  const { explicit, previous, fromTag, prefix, bump } = options;
  if (explicit) {
    const version = parseExplicitVersion(explicit, prefix);
    if (previous && !semver.gt(version, previous)) {
      throw new ConfigurationError(
        `Input '${INPUTS.version}' got ${quoteValue(explicit)}; it must be greater than ${previous}, the version of ${fromTag}.`,
      );
    }
    return version;
  }
  if (fromTag && !previous) {
    throw new ConfigurationError(
      `Input '${INPUTS.from}' is ${quoteValue(fromTag)}, which is not a SemVer tag with prefix '${prefix}'; set '${INPUTS.version}' explicitly.`,
    );
  }
  return semver.inc(previous ?? "0.0.0", bump) as string;
}
