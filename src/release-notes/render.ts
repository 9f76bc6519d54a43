import picomatch from "picomatch";
import { LIMITS } from "../lib/summary.js";
import type { Category, NotesConfig } from "./config.js";
import { parseConventional } from "./conventional.js";
import type { CommitInfo, Person, PullRequestInfo, RangeChanges } from "./model.js";
import { readSections, type SectionKind } from "./sections.js";
import type { BlockName, Template, ValueName } from "./template.js";

/** A piece of the notes: an entry (a pull request or commit, possibly several lines) or surrounding text. */
export interface NoteBlock {
  text: string;
  entry: boolean;
}

export interface NotesValues {
  version: string;
  previousVersion: string;
  date: string;
  releaseOwner: string;
  customerCommUrl: string;
  compareUrl: string;
}

export interface RenderedNotes {
  /** The whole text. */
  full: string;
  /** The text for the release body: the whole text, or cut under the limit with a note. */
  body: string;
  truncated: boolean;
  entriesLeftOut: number;
  pullRequests: number;
  excluded: number;
}

const OPERATIONAL_LABELS = ["migration", "ops", "feature-flag"];
const OTHER = "Other changes";
const NONE = "_None._";

const lower = (values: string[]) => values.map((value) => value.toLowerCase());
const person = (who: Person) => (who.login ? `@${who.name}` : who.name);
const reference = (pull: PullRequestInfo) => `#${pull.number}`;
const entryLine = (pull: PullRequestInfo) => `- ${pull.title} (${reference(pull)}) by ${person(pull.author)}`;

export function isExcluded(config: NotesConfig, author: Person, labels: string[] = []): boolean {
  const excludedLabels = lower(config.excludeLabels);
  return lower(labels).some((label) => excludedLabels.includes(label)) || config.excludeAuthors.includes(author.name);
}

/** The first category whose labels, conventional type or path globs match the pull request. */
export function categoryOf(pull: PullRequestInfo, categories: Category[]): Category | undefined {
  const labels = lower(pull.labels);
  const type = parseConventional(pull.title).type;
  return categories.find(
    (category) =>
      lower(category.labels).some((label) => labels.includes(label)) ||
      (type !== undefined && lower(category.types).includes(type)) ||
      (category.paths.length > 0 && pull.files.some((file) => picomatch.isMatch(file, category.paths, { dot: true }))),
  );
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}

function sectionEntries(
  pulls: Array<{ pull: PullRequestInfo; sections: Partial<Record<SectionKind, string>> }>,
  kind: SectionKind,
): NoteBlock[] {
  return pulls
    .filter(
      ({ pull, sections }) =>
        sections[kind] || (kind === "operational" && lower(pull.labels).some((label) => OPERATIONAL_LABELS.includes(label))),
    )
    .map(({ pull, sections }) => {
      const labels = pull.labels.filter((label) => OPERATIONAL_LABELS.includes(label.toLowerCase()));
      const head = `- **${pull.title}** (${reference(pull)})${kind === "operational" && labels.length ? ` [${labels.join(", ")}]` : ""}`;
      return { text: sections[kind] ? `${head}\n${indent(sections[kind] as string)}` : head, entry: true };
    });
}

function contributors(pulls: PullRequestInfo[], commits: CommitInfo[]): NoteBlock[] {
  const people = new Map<string, Person>();
  for (const who of [...pulls.map((pull) => pull.author), ...commits.map((commit) => commit.author)]) {
    if (!people.has(who.name.toLowerCase())) people.set(who.name.toLowerCase(), who);
  }
  const sorted = [...people.values()].sort(
    (a, b) => Number(a.bot) - Number(b.bot) || a.name.localeCompare(b.name, "en", { sensitivity: "base" }),
  );
  return sorted.length ? [{ text: sorted.map(person).join(", "), entry: false }] : [];
}

/** The lists the template's block placeholders expand into. */
export function buildBlocks(
  changes: RangeChanges,
  config: NotesConfig,
): { blocks: Record<BlockName, NoteBlock[]>; included: PullRequestInfo[] } {
  const included = changes.pullRequests.filter((pull) => !isExcluded(config, pull.author, pull.labels));
  const lone = changes.loneCommits.filter((commit) => !isExcluded(config, commit.author));
  const byCategory = new Map<string, PullRequestInfo[]>();
  const highlights: NoteBlock[] = [];
  for (const pull of included) {
    const category = categoryOf(pull, config.categories);
    const title = category?.title ?? OTHER;
    byCategory.set(title, [...(byCategory.get(title) ?? []), pull]);
    if (category?.highlight) highlights.push({ text: entryLine(pull), entry: true });
  }
  const userFacing: NoteBlock[] = [];
  for (const title of [...config.categories.map((category) => category.title), OTHER]) {
    const pulls = byCategory.get(title);
    if (!pulls?.length) continue;
    userFacing.push({ text: `${userFacing.length ? "\n" : ""}#### ${title}`, entry: false });
    userFacing.push(...pulls.map((pull) => ({ text: entryLine(pull), entry: true })));
  }
  const withSections = included.map((pull) => ({ pull, sections: readSections(pull.body) }));
  return {
    included,
    blocks: {
      highlights,
      "user-facing-changes": userFacing,
      "operational-notes": sectionEntries(withSections, "operational"),
      "rollback-plan": sectionEntries(withSections, "rollback"),
      "known-issues": sectionEntries(withSections, "knownIssues"),
      "commits-without-pull-request": lone.map((commit) => ({
        text: `- ${commit.subject} (${commit.sha.slice(0, 7)}) by ${person(commit.author)}`,
        entry: true,
      })),
      contributors: contributors(included, lone),
    },
  };
}

function placeholderValue(name: ValueName, values: NotesValues, changes: RangeChanges, pulls: number): string {
  switch (name) {
    case "version":
      return values.version;
    case "previous-version":
      return values.previousVersion || "none";
    case "date":
      return values.date;
    case "release-owner":
      return values.releaseOwner ? `@${values.releaseOwner.replace(/^@/, "")}` : "_not set_";
    case "customer-comm":
      return values.customerCommUrl || "_not set_";
    case "compare-url":
      return values.compareUrl;
    case "pull-requests":
      return String(pulls);
    case "commits":
      return String(changes.commitCount);
  }
}

export function renderNotes(
  changes: RangeChanges,
  config: NotesConfig,
  template: Template,
  values: NotesValues,
  limit: number = LIMITS.releaseBody,
): RenderedNotes {
  const { blocks, included } = buildBlocks(changes, config);
  const parts: NoteBlock[] = [];
  for (const part of template.parts) {
    if (part.kind === "block") {
      const list = blocks[part.name];
      parts.push(...(list.length ? list : [{ text: NONE, entry: false }]));
    } else {
      const text = part.pieces
        .map((piece) => (typeof piece === "string" ? piece : placeholderValue(piece.value, values, changes, included.length)))
        .join("");
      parts.push({ text, entry: false });
    }
  }
  const full = `${parts.map((part) => part.text).join("\n")}\n`;
  const cut = truncateBlocks(parts, limit, values.compareUrl);
  return {
    full,
    body: cut?.body ?? full,
    truncated: Boolean(cut),
    entriesLeftOut: cut?.left ?? 0,
    pullRequests: changes.pullRequests.length,
    excluded: changes.pullRequests.length - included.length,
  };
}

/** Keeps whole blocks (so the cut falls at a line boundary) until the note about what was left out still fits. */
function truncateBlocks(parts: NoteBlock[], limit: number, compareUrl: string): { body: string; left: number } | undefined {
  const total = parts.reduce((sum, part) => sum + part.text.length + 1, 0);
  if (total <= limit) return undefined;
  const entries = parts.filter((part) => part.entry).length;
  const note = (left: number) =>
    `\n> **Truncated:** ${left} of ${entries} entries were left out to stay within GitHub's ${limit.toLocaleString("en-US")}-character release body limit. ` +
    `${compareUrl ? `See every change in the [compare view](${compareUrl}); ` : ""}the notes-file output holds the whole text.\n`;
  let size = 0;
  let kept = 0;
  let keptEntries = 0;
  // The note with the largest count is the longest one, so reserving its length is always enough.
  const reserve = note(entries).length;
  for (const part of parts) {
    if (size + part.text.length + 1 + reserve > limit) break;
    size += part.text.length + 1;
    kept++;
    if (part.entry) keptEntries++;
  }
  const left = entries - keptEntries;
  return {
    body: `${parts
      .slice(0, kept)
      .map((part) => part.text)
      .join("\n")}\n${note(left)}`,
    left,
  };
}
