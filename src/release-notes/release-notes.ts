import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import type { GitHubClient } from "../lib/github.js";
import type { Logger } from "../lib/logger.js";
import { table } from "../lib/summary.js";
import { type Repository, readApiChanges, resolveApiRange } from "./api-source.js";
import { loadConfig } from "./config.js";
import { Git } from "./git.js";
import { readGitChanges, resolveGitRange } from "./git-source.js";
import type { RangeChanges, ResolvedRange } from "./model.js";
import { type DraftRelease, upsertDraftRelease } from "./release.js";
import { type RenderedNotes, renderNotes } from "./render.js";
import { INPUTS, type OUTPUTS, type ReleaseNotesSettings } from "./settings.js";
import { loadTemplate } from "./template.js";
import { parseExplicitVersion, rangeBump, resolveVersion, tagVersion } from "./version.js";

export interface ReleaseNotesDependencies {
  logger: Logger;
  signal?: AbortSignal;
  /** Needed for `source: api` and for the draft release. */
  github?: GitHubClient;
  repository?: Repository;
  /** For compare links, e.g. https://github.com. */
  serverUrl: string;
  /** Where notes-file is written. */
  outputDir: string;
  now?: () => Date;
}

export interface ReleaseNotesResult {
  version: string;
  previousVersion: string;
  range: ResolvedRange;
  changes: RangeChanges;
  notes: RenderedNotes;
  notesFile: string;
  release?: DraftRelease;
  outputs: Record<(typeof OUTPUTS)[keyof typeof OUTPUTS], string>;
  summary: string;
  headline: string;
}

/** Reads the range from git or GitHub, fills the template, writes the notes file and, when asked, the one draft release. */
export async function runReleaseNotes(settings: ReleaseNotesSettings, deps: ReleaseNotesDependencies): Promise<ReleaseNotesResult> {
  // Every user mistake we can see without history is refused before anything is read or written.
  const config = loadConfig(settings.configPath, { required: settings.configGiven, root: settings.workspace });
  const template = loadTemplate(settings.templatePath, settings.workspace);
  if (settings.version) parseExplicitVersion(settings.version, settings.tagPrefix);
  const needsGitHub = settings.source === "api" || settings.draftRelease;
  if (needsGitHub && (!deps.github || !deps.repository)) {
    throw new ConfigurationError(
      `Input '${settings.draftRelease ? INPUTS.draftRelease : INPUTS.source}' needs GitHub: set '${INPUTS.githubToken}' (and GITHUB_REPOSITORY), or use source: git without a draft release.`,
    );
  }

  const withFiles = config.categories.some((category) => category.paths.length > 0);
  const { range, changes } = await deps.logger.group(`Reading the changes (${settings.source})`, () =>
    readRange(settings, deps, withFiles),
  );
  const previousVersion = range.fromTag ? (tagVersion(range.fromTag, settings.tagPrefix) ?? "") : "";
  const version = resolveVersion({
    explicit: settings.version,
    previous: previousVersion || undefined,
    fromTag: range.fromTag,
    prefix: settings.tagPrefix,
    bump: rangeBump(changes),
  });
  const notes = renderNotes(changes, config, template, {
    version,
    previousVersion,
    date: (deps.now?.() ?? new Date()).toISOString().slice(0, 10),
    releaseOwner: settings.releaseOwner,
    customerCommUrl: settings.customerCommUrl,
    compareUrl: compareUrl(deps, range),
  });
  mkdirSync(deps.outputDir, { recursive: true });
  const notesFile = join(deps.outputDir, `release-notes-${version}.md`);
  writeFileSync(notesFile, notes.full);
  if (notes.truncated)
    deps.logger.warning(
      `The notes exceed GitHub's release body limit; ${notes.entriesLeftOut} entries were left out of the body (the notes file has them all).`,
    );

  let release: DraftRelease | undefined;
  if (settings.draftRelease && deps.github && deps.repository) {
    const tag = `${settings.tagPrefix}${version}`;
    release = await upsertDraftRelease(deps.github, deps.repository, { tag, name: tag, body: notes.body, targetSha: range.toSha });
    deps.logger.info(`${release.created ? "Created" : "Updated"} the draft release ${tag}: ${release.url}`);
  }

  const headline = `${version}: ${changes.pullRequests.length} pull requests, ${changes.loneCommits.length} commits without one, since ${range.fromTag ?? "the first commit"}`;
  return {
    version,
    previousVersion,
    range,
    changes,
    notes,
    notesFile,
    release,
    headline,
    summary: summarize({ version, previousVersion, range, changes, notes, release }),
    outputs: {
      version,
      "previous-version": previousVersion,
      notes: notes.body,
      "notes-file": notesFile,
      "release-id": release ? String(release.id) : "",
      "release-url": release?.url ?? "",
      "pull-requests": String(changes.pullRequests.length),
      commits: String(changes.commitCount),
    },
  };
}

async function readRange(
  settings: ReleaseNotesSettings,
  deps: ReleaseNotesDependencies,
  withFiles: boolean,
): Promise<{ range: ResolvedRange; changes: RangeChanges }> {
  const ends = { from: settings.from, to: settings.to, tagPrefix: settings.tagPrefix };
  if (settings.source === "git") {
    const git = new Git(settings.workspace, deps.signal);
    if (!(await git.isRepository()))
      throw new ConfigurationError(`Input '${INPUTS.source}' is git, but ${settings.workspace} is not a git repository.`);
    const range = await resolveGitRange(git, ends);
    const under = settings.onlyUnderWorkspace ? await git.prefix() : "";
    return { range, changes: await readGitChanges(git, range, { under }) };
  }
  const github = deps.github as GitHubClient;
  const repository = deps.repository as Repository;
  const range = await resolveApiRange(github, repository, ends);
  const changes = await readApiChanges(github, repository, range, { withFiles, signal: deps.signal, baseBranch: settings.baseBranch });
  if (changes.readBy) deps.logger.info(`Read by ${changes.readBy}.`);
  const capped = changes.pullRequests.filter((pull) => pull.capped);
  if (capped.length) {
    const listed = capped.slice(0, 5).map((pull) => `#${pull.number} (${pull.capped})`);
    deps.logger.warning(
      `${capped.length} pull requests have more labels or changed files than one page of 100, and only the first 100 were read: ${listed.join(", ")}${capped.length > 5 ? ", …" : ""}.`,
    );
  }
  return { range, changes };
}

function compareUrl(deps: ReleaseNotesDependencies, range: ResolvedRange): string {
  if (!deps.repository) return "";
  const base = `${deps.serverUrl.replace(/\/$/, "")}/${deps.repository.owner}/${deps.repository.repo}`;
  return range.fromTag ? `${base}/compare/${range.fromTag}...${range.toSha}` : `${base}/commits/${range.toSha}`;
}

function summarize(result: Pick<ReleaseNotesResult, "version" | "previousVersion" | "range" | "changes" | "notes" | "release">): string {
  const { version, previousVersion, range, changes, notes, release } = result;
  const rows: unknown[][] = [
    ["version", version],
    ["previous version", previousVersion || "none (no earlier tag: all history)"],
    ["range", `${range.fromTag ?? "first commit"} … ${range.toSha.slice(0, 12)}`],
    ["pull requests", `${changes.pullRequests.length}${notes.excluded ? ` (${notes.excluded} excluded by config)` : ""}`],
    ["commits", `${changes.commitCount} (${changes.loneCommits.length} without a pull request)`],
    ...(changes.readBy ? [["read by", changes.readBy]] : []),
    [
      "release body",
      notes.truncated ? `truncated: ${notes.entriesLeftOut} entries left out` : `${notes.body.length.toLocaleString("en-US")} characters`,
    ],
  ];
  if (release) rows.push(["draft release", `${release.created ? "created" : "updated"}: ${release.url}`]);
  return `### Release notes ${version}\n\n${table(["", ""], rows)}\n${notes.body}`;
}
