import { normalize } from "./config.js";
import { type PrBody, parsePrBody, plainText, type Section } from "./markdown.js";
import type {
  ChangedFile,
  ComplianceAnnotation,
  ComplianceConfig,
  PullRequestFacts,
  Review,
  ReviewerRule,
  RuleRow,
  SectionRule,
  Verdict,
} from "./model.js";

/** Members per "org/slug", or why they could not be read. */
export type TeamMembers = Map<string, { members: string[] } | { error: string }>;

export interface JudgeInputs {
  config: ComplianceConfig;
  facts: PullRequestFacts;
  teams: TeamMembers;
  /** The file's text at the head commit (from the checkout), or undefined when it is not there. */
  readFile(path: string): string | undefined;
}

const PLACEHOLDERS = new Set(["todo", "tbd", "tbc", "...", "…", "-"]);
const NOT_APPLICABLE = new Set(["n/a", "na", "not applicable", "none"]);

/** Judges every rule against the facts: the one place the verdict is decided, for the action and the CLI. */
export function judge(inputs: JudgeInputs): Verdict {
  const { config, facts } = inputs;
  const body = parsePrBody(facts.body);
  const changed = facts.files.filter((file) => file.status !== "removed");
  const touches = (match: (path: string) => boolean) => touchesAny(facts.files, match);
  const notes: string[] = [];
  const waived = waiverOf(inputs, notes);

  const checklist = config.checklist
    .filter((item) => !item.whenPaths || touches(item.whenPaths))
    .map((item): RuleRow => {
      // The same item may appear twice (a template copy); any ticked one counts.
      const boxes = body.checkboxes.filter((candidate) => item.matches(candidate.text));
      const box = boxes.find((candidate) => candidate.checked) ?? boxes[0];
      const rule = item.whenPaths ? `${item.label} (paths changed)` : item.label;
      if (box?.checked) return { kind: "checklist", rule, state: "met", detail: "ticked" };
      if (waived) return { kind: "checklist", rule, state: "waived", detail: waived };
      return { kind: "checklist", rule, state: "missing", detail: box ? "not ticked" : "no such checkbox in the PR body" };
    });
  const sections = config.sections.map((rule) => judgeSection(rule, body));
  const annotations: ComplianceAnnotation[] = [];
  const texts = new Map<string, string | undefined>();
  const readOnce = (path: string) => (texts.has(path) ? texts.get(path) : texts.set(path, inputs.readFile(path)).get(path));
  const disclosures = config.disclosures.flatMap((rule) => judgeDisclosure(rule, changed, readOnce, annotations, notes));
  const reviewers = config.reviewers.filter((rule) => touches(rule.paths)).map((rule) => judgeReviewers(rule, facts, inputs.teams, notes));

  const rows = [...checklist, ...sections, ...disclosures.map((entry) => entry.row), ...reviewers.map((entry) => entry.row)];
  const unchecked = checklist.filter((row) => row.state === "missing").length;
  const violations = disclosures.reduce((sum, entry) => sum + entry.count, 0);
  const missingReviews = reviewers.reduce((sum, entry) => sum + entry.missing, 0);
  const passed = rows.every((row) => row.state !== "missing" && row.state !== "violated");
  return { passed, rows, annotations, unchecked, violations, missingReviews, notes };
}

/** Why checklist items are waived, or undefined: the label is on the PR and whoever applied it last is a waiver. */
function waiverOf({ config, facts, teams }: JudgeInputs, notes: string[]): string | undefined {
  const label = config.waiveLabel;
  if (!label || !facts.labels.includes(label)) return undefined;
  const actor = facts.waiveLabelActor;
  const viaTeam = config.waivers.teams.find((team) => {
    const entry = teams.get(team);
    return actor !== undefined && entry !== undefined && "members" in entry && entry.members.includes(actor);
  });
  if (actor && (config.waivers.users.includes(actor) || viaTeam)) return `waived by '${label}', applied by @${actor}`;
  notes.push(
    actor
      ? `The '${label}' label was applied by @${actor}, who is not among the waivers; it waives nothing.`
      : `The '${label}' label is on the PR, but no event says who applied it; it waives nothing.`,
  );
  return undefined;
}

function judgeSection(rule: SectionRule, body: PrBody): RuleRow {
  const row = (state: RuleRow["state"], detail: string): RuleRow => ({ kind: "section", rule: `## ${rule.heading}`, state, detail });
  const section = body.sections.find((candidate) => normalize(candidate.heading) === normalize(rule.heading));
  if (!section) return row("missing", "no such heading in the PR body");
  const problem = sectionProblem(section, rule.allowNa);
  return problem ? row("missing", problem) : row("met", "filled in");
}

function sectionProblem(section: Section, allowNa: boolean): string | undefined {
  // Subheadings structure a section; they are not its content.
  const blocks = section.content.filter((node) => node.type !== "heading");
  const text = normalize(blocks.map((node) => plainText(node)).join(" "));
  if (!text) return blocks.length ? "only an HTML comment or placeholder tag" : "empty";
  if (text.startsWith("<") && text.endsWith(">")) return "only the template's placeholder";
  if (PLACEHOLDERS.has(text)) return `only the placeholder '${text}'`;
  if (NOT_APPLICABLE.has(text.replace(/\.$/, "")) && !allowNa) return `'${text}' is not allowed here (allow-na is off)`;
  return undefined;
}

function judgeDisclosure(
  rule: ComplianceConfig["disclosures"][number],
  changed: ChangedFile[],
  readFile: JudgeInputs["readFile"],
  annotations: ComplianceAnnotation[],
  notes: string[],
): Array<{ row: RuleRow; count: number }> {
  const files = changed.filter((file) => rule.files(file.path));
  const entries: Array<{ row: RuleRow; count: number }> = [];
  for (const phrase of rule.require) {
    const missing = files.filter((file) => !phrase.test(readFile(file.path) ?? ""));
    for (const file of missing)
      annotations.push({
        path: file.path,
        startLine: file.addedLines?.[0]?.line ?? 1,
        level: "failure",
        title: "Missing disclosure",
        message: `${file.path} must contain ${JSON.stringify(phrase.source)} (rule for ${rule.filesText}).`,
      });
    entries.push({
      row: {
        kind: "disclosure",
        rule: `require ${phrase.source} in ${rule.filesText}`,
        state: missing.length ? "violated" : "met",
        detail: missing.length
          ? `missing in ${listFew(missing.map((file) => file.path))}`
          : files.length
            ? `all ${files.length} changed file(s) carry it`
            : "no changed file matches",
      },
      count: missing.length,
    });
  }
  const patchless = files.filter((file) => file.addedLines === undefined);
  if (rule.forbid.length && patchless.length)
    notes.push(
      `${patchless.length} changed file(s) came without a patch (binary or too large), so forbidden phrases were not checked in: ${listFew(patchless.map((file) => file.path))}.`,
    );
  for (const phrase of rule.forbid) {
    const hits = files.flatMap((file) =>
      (file.addedLines ?? []).filter((added) => phrase.test(added.text)).map((added) => ({ file, added })),
    );
    for (const { file, added } of hits)
      annotations.push({
        path: file.path,
        startLine: added.line,
        level: "failure",
        title: "Forbidden phrase",
        message: `Added line matches the forbidden ${JSON.stringify(phrase.source)} (rule for ${rule.filesText}).`,
      });
    entries.push({
      row: {
        kind: "disclosure",
        rule: `forbid ${phrase.source} in ${rule.filesText}`,
        state: hits.length ? "violated" : "met",
        detail: hits.length ? `on ${listFew(hits.map(({ file, added }) => `${file.path}:${added.line}`))}` : "not on any added line",
      },
      count: hits.length,
    });
  }
  return entries;
}

/** The teams whose members the verdict needs: those of reviewer rules the PR triggers, and the waivers' when the label is on. */
export function teamsNeeded(config: ComplianceConfig, facts: PullRequestFacts): string[] {
  const touched = config.reviewers.filter((rule) => touchesAny(facts.files, rule.paths)).flatMap((rule) => rule.teams);
  const waiving = config.waiveLabel && facts.labels.includes(config.waiveLabel) ? config.waivers.teams : [];
  return [...new Set([...touched, ...waiving])];
}

function touchesAny(files: readonly ChangedFile[], match: (path: string) => boolean): boolean {
  return files.some((file) => match(file.path) || (file.previousPath !== undefined && match(file.previousPath)));
}

/** A user's latest deciding review counts; an approval counts only on the head SHA; the author never counts. */
export function approvers(reviews: readonly Review[], headSha: string, author: string): Set<string> {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.login.toLowerCase(), review);
  }
  const approved = new Set<string>();
  for (const [login, review] of latest)
    if (review.state === "APPROVED" && review.commitId === headSha && login !== author.toLowerCase()) approved.add(login);
  return approved;
}

function judgeReviewers(
  rule: ReviewerRule,
  facts: PullRequestFacts,
  teams: TeamMembers,
  notes: string[],
): { row: RuleRow; missing: number } {
  const who = [...rule.teams.map((team) => `@${team}`), ...rule.users.map((user) => `@${user}`)].join(", ");
  const name = `${rule.min} approval(s) from ${who} for ${rule.pathsText}`;
  if (!facts.reviews)
    return { row: { kind: "reviewers", rule: name, state: "skipped", detail: "reviews are checked on GitHub only" }, missing: 0 };
  const eligible = new Set(rule.users.map((user) => user.toLowerCase()));
  const unreadable: string[] = [];
  for (const team of rule.teams) {
    const entry = teams.get(team);
    if (!entry || "error" in entry) unreadable.push(`${team} (${entry && "error" in entry ? entry.error : "not read"})`);
    else for (const member of entry.members) eligible.add(member.toLowerCase());
  }
  if (unreadable.length) notes.push(`Could not read the members of ${unreadable.join(", ")}; their approvals could not be counted.`);
  const approved = [...approvers(facts.reviews ?? [], facts.headSha, facts.author)].filter((login) => eligible.has(login));
  const missing = Math.max(0, rule.min - approved.length);
  return {
    row: {
      kind: "reviewers",
      rule: name,
      state: missing ? "missing" : "met",
      detail: `${approved.length}/${rule.min} on ${facts.headSha.slice(0, 7)}${approved.length ? `: ${approved.map((login) => `@${login}`).join(", ")}` : ""}`,
    },
    missing,
  };
}

function listFew(items: string[], shown = 5): string {
  return items.length <= shown ? items.join(", ") : `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}
