import semver from "semver";
import { ConfigurationError } from "../lib/errors.js";
import { quoteValue } from "../lib/inputs.js";
import type { Git } from "./git.js";
import { type CommitInfo, isBotName, type PullRequestInfo, type RangeChanges, type ResolvedRange } from "./model.js";
import { INPUTS } from "./settings.js";
import { tagVersion } from "./version.js";

/** The ends of the range from local history: `to` must name a commit, `from` a tag that is its ancestor. */
export async function resolveGitRange(git: Git, options: { from?: string; to: string; tagPrefix: string }): Promise<ResolvedRange> {
  const toSha = await git.commitOf(options.to);
  if (!toSha)
    throw new ConfigurationError(`Input '${INPUTS.to}' got ${quoteValue(options.to)}, which names no commit or tag in this repository.`);
  if (options.from) {
    const fromSha = (await git.isTag(options.from)) ? await git.commitOf(`refs/tags/${options.from}`) : undefined;
    if (!fromSha)
      throw new ConfigurationError(`Input '${INPUTS.from}' got ${quoteValue(options.from)}; there is no such tag in this repository.`);
    if (!(await git.isAncestor(fromSha, toSha))) {
      throw new ConfigurationError(
        `Input '${INPUTS.from}': tag '${options.from}' (${fromSha.slice(0, 7)}) is not an ancestor of '${options.to}' (${toSha.slice(0, 7)}).`,
      );
    }
    return { fromTag: options.from, fromSha, toSha };
  }
  const latest = latestVersionTag(await git.tagsMerged(toSha), toSha, options.tagPrefix);
  return latest ? { fromTag: latest.name, fromSha: latest.sha, toSha } : { toSha };
}

/** The highest SemVer tag with the prefix, leaving out tags on `to` itself (a re-run on the release tag). */
export function latestVersionTag<T extends { name: string; sha: string }>(tags: T[], toSha: string, prefix: string): T | undefined {
  const versioned = tags
    .filter((tag) => tag.sha !== toSha)
    .map((tag) => ({ tag, version: tagVersion(tag.name, prefix) }))
    .filter((entry): entry is { tag: T; version: string } => Boolean(entry.version));
  versioned.sort((a, b) => semver.rcompare(a.version, b.version));
  return versioned[0]?.tag;
}

interface RawCommit extends CommitInfo {
  parents: string[];
}

const FIELD = "\x1f";
const RECORD = "\x1e";

async function readCommits(git: Git, revisions: string[]): Promise<Map<string, RawCommit>> {
  const text = await git.output([
    "log",
    `--format=${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%B${FIELD}`,
    "--name-only",
    "--diff-merges=first-parent",
    ...revisions,
    "--",
  ]);
  const commits = new Map<string, RawCommit>();
  for (const record of text.split(RECORD).slice(1)) {
    const [sha, parents, author, message, files = ""] = record.split(FIELD);
    const [subject, ...rest] = message.split("\n");
    commits.set(sha, {
      sha,
      parents: parents.split(" ").filter(Boolean),
      subject: subject.trim(),
      body: rest.join("\n").trim(),
      author: { name: author, bot: isBotName(author) },
      files: files.split("\n").filter(Boolean),
    });
  }
  return commits;
}

// GitHub's own message formats: "Merge pull request #12 from org/branch" and a squash title ending "(#12)".
const MERGE_PR = /^Merge pull request #(\d+) from \S+/;
const SQUASH_PR = /^(.*\S)\s+\(#(\d+)\)$/;

/** Every change of the range from local history, with pull request numbers read from merge and squash messages. */
export async function readGitChanges(git: Git, range: ResolvedRange, options: { under?: string } = {}): Promise<RangeChanges> {
  const revisions = range.fromSha ? [`${range.fromSha}..${range.toSha}`] : [range.toSha];
  const commits = await readCommits(git, revisions);
  const mainline = (await git.output(["rev-list", "--first-parent", ...revisions])).split("\n").filter(Boolean);
  const onMainline = new Set(mainline);
  const claimed = new Set<string>();
  const pullRequests: PullRequestInfo[] = [];
  const loneCommits: CommitInfo[] = [];
  // Oldest first, so each merge claims exactly the commits its second parent brought in.
  for (const sha of [...mainline].reverse()) {
    const commit = commits.get(sha);
    if (!commit) continue;
    const branch = commit.parents.length > 1 ? branchCommits(commit, commits, onMainline, claimed) : [];
    const pull = pullRequestOf(commit, branch);
    if (pull) pullRequests.unshift(pull);
    else loneCommits.unshift(...[commit, ...branch].map(withoutParents));
  }
  if (!options.under) return { pullRequests, loneCommits, commitCount: commits.size };
  // Only what touched a folder of the repository (the preflight's example app inside this repository).
  const under = options.under;
  const touches = (files: string[]) => files.some((file) => file.startsWith(under));
  return {
    pullRequests: pullRequests.filter((pull) => touches(pull.files)),
    loneCommits: loneCommits.filter((commit) => touches(commit.files)),
    commitCount: [...commits.values()].filter((commit) => touches(commit.files)).length,
  };
}

function branchCommits(merge: RawCommit, commits: Map<string, RawCommit>, mainline: Set<string>, claimed: Set<string>): RawCommit[] {
  const found: RawCommit[] = [];
  const pending = merge.parents.slice(1);
  while (pending.length) {
    const sha = pending.pop() as string;
    const commit = commits.get(sha);
    if (!commit || mainline.has(sha) || claimed.has(sha)) continue;
    claimed.add(sha);
    found.push(commit);
    pending.push(...commit.parents);
  }
  return found;
}

function pullRequestOf(commit: RawCommit, branch: RawCommit[]): PullRequestInfo | undefined {
  const merged = MERGE_PR.exec(commit.subject);
  if (merged && branch.length) {
    const title =
      commit.body
        .split("\n")
        .find((line) => line.trim())
        ?.trim() ?? commit.subject;
    const author = branch[branch.length - 1]?.author ?? commit.author;
    return pull(Number(merged[1]), title, "", author, [commit, ...branch]);
  }
  const squashed = SQUASH_PR.exec(commit.subject);
  if (squashed && !branch.length) return pull(Number(squashed[2]), squashed[1], commit.body, commit.author, [commit]);
  return undefined;
}

function pull(number: number, title: string, body: string, author: CommitInfo["author"], commits: RawCommit[]): PullRequestInfo {
  return {
    number,
    title,
    body,
    labels: [],
    author,
    files: [...new Set(commits.flatMap((commit) => commit.files))],
    commits: commits.map(withoutParents),
  };
}

function withoutParents({ parents: _parents, ...commit }: RawCommit): CommitInfo {
  return commit;
}
