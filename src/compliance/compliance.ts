import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { publishCheckRun } from "../lib/check-run.js";
import { errorMessage } from "../lib/errors.js";
import { type GitHubClient, isPermissionDenied } from "../lib/github.js";
import type { Logger } from "../lib/logger.js";
import { upsertStickyComment } from "../lib/sticky-comment.js";
import { loadComplianceConfig } from "./config.js";
import { judge, type TeamMembers, teamsNeeded } from "./evaluate.js";
import { fetchPullRequestFacts, fetchTeams, type PullTarget } from "./github-source.js";
import type { PullRequestFacts, Verdict } from "./model.js";
import { commentMarker, headline, renderComment, renderReport } from "./report.js";
import { type ComplianceSettings, OUTPUTS } from "./settings.js";

/** Where the facts come from: the API for a PR (the action), or git and a body file (local mode). */
export type FactsSource =
  | { kind: "github"; github: GitHubClient; pull: PullTarget; payloadHeadSha?: string }
  | { kind: "local"; facts: (waiveLabel?: string) => Promise<PullRequestFacts> };

export interface ComplianceDeps {
  source: FactsSource;
  logger: Logger;
  reportDir: string;
  redact(text: string): string;
}

export interface ComplianceResult {
  passed: boolean;
  headline: string;
  verdict: Verdict;
  summary: string;
  reportPath: string;
  outputs: Record<string, string | number | boolean>;
}

/** Loads the rules, gathers the facts, judges them, and reports in the check run, the summary and the sticky comment. */
export async function runCompliance(settings: ComplianceSettings, deps: ComplianceDeps): Promise<ComplianceResult> {
  const { source, logger } = deps;
  // A bad rules file fails here, before anything is written anywhere.
  const config = loadComplianceConfig(settings.configPath, settings.configShown);
  const facts =
    source.kind === "github"
      ? await fetchPullRequestFacts(source.github, source.pull, config.waiveLabel)
      : await source.facts(config.waiveLabel);
  const extraNotes: string[] = [];
  if (source.kind === "github" && source.payloadHeadSha && source.payloadHeadSha !== facts.headSha)
    extraNotes.push(
      `The event payload names head ${source.payloadHeadSha.slice(0, 7)}, but the PR is now at ${facts.headSha.slice(0, 7)} (a re-run replays the old payload): the body, reviews and files were read from the API; file contents from the checkout.`,
    );
  if (facts.changedFiles !== undefined && facts.changedFiles > facts.files.length) {
    const note = `The PR changes ${facts.changedFiles} files, but GitHub lists only the first ${facts.files.length}: rules were checked on those.`;
    logger.warning(note);
    extraNotes.push(note);
  }
  const needed = teamsNeeded(config, facts);
  const teams: TeamMembers = source.kind === "github" && needed.length ? await fetchTeams(source.github, needed) : new Map();
  const verdict = judge({ config, facts, teams, readFile: (path) => readWorkspaceFile(settings.workspace, path) });
  logger.info(`compliance: ${headline(verdict)} (${facts.files.length} changed file(s)).`);

  if (source.kind === "github") await publish(settings, source, facts.headSha, verdict, logger, extraNotes);
  else annotateInLog(verdict, logger);

  const summary = deps.redact(renderReport(verdict, settings.checkName, extraNotes));
  mkdirSync(deps.reportDir, { recursive: true });
  const reportPath = join(deps.reportDir, "compliance.md");
  writeFileSync(reportPath, summary);
  return {
    passed: verdict.passed,
    headline: headline(verdict),
    verdict,
    summary,
    reportPath,
    outputs: {
      [OUTPUTS.passed]: verdict.passed,
      [OUTPUTS.unchecked]: verdict.unchecked,
      [OUTPUTS.violations]: verdict.violations,
      [OUTPUTS.missingReviews]: verdict.missingReviews,
      [OUTPUTS.report]: reportPath,
    },
  };
}

/** The check run (annotations in batches of 50) and the sticky comment; a read-only token degrades to log annotations. */
async function publish(
  settings: ComplianceSettings,
  source: Extract<FactsSource, { kind: "github" }>,
  headSha: string,
  verdict: Verdict,
  logger: Logger,
  notes: string[],
): Promise<void> {
  const { owner, repo, number } = source.pull;
  const summary = renderReport(verdict, settings.checkName);
  const published = await publishCheckRun(
    source.github,
    { owner, repo, headSha, name: settings.checkName },
    {
      conclusion: verdict.passed ? "success" : "failure",
      title: headline(verdict),
      summary,
      text: "",
      annotations: verdict.annotations,
    },
    logger,
  );
  if (published.note) notes.push(published.note);
  if (!published.published) annotateInLog(verdict, logger);
  if (!settings.comment) return;
  try {
    const { action } = await upsertStickyComment(
      source.github,
      { owner, repo, issueNumber: number },
      commentMarker(settings.checkName),
      renderComment(verdict, settings.checkName),
    );
    logger.info(`compliance: ${action} the sticky comment on #${number}.`);
  } catch (error) {
    const note = isPermissionDenied(error)
      ? `Could not write the PR comment (HTTP ${(error as { status?: number }).status}): the token is read-only, as on pull requests from forks. The verdict is in this summary and the annotations.`
      : `Could not write the PR comment: ${errorMessage(error)}`;
    logger.warning(note);
    notes.push(note);
  }
}

/** Workflow-command annotations, for when no check run carries them (local mode, read-only token). */
function annotateInLog(verdict: Verdict, logger: Logger): void {
  for (const annotation of verdict.annotations)
    logger.error(annotation.message, { title: annotation.title, file: annotation.path, startLine: annotation.startLine });
}

/** A changed file as checked out at the head; never outside the workspace. */
function readWorkspaceFile(workspace: string, path: string): string | undefined {
  const absolute = resolve(workspace, path);
  if (!absolute.startsWith(workspace + sep)) return undefined;
  try {
    return readFileSync(absolute, "utf8");
  } catch {
    return undefined;
  }
}
