import type { CheckAnnotation } from "../lib/check-run.js";

/** A phrase to look for: plain text (case-insensitive, any run of whitespace) or a `/regex/flags` from the config. */
export interface Phrase {
  /** As written in the config, for messages. */
  source: string;
  test(text: string): boolean;
}

export interface ChecklistItem {
  /** The row label: `text`, or the pattern as written. */
  label: string;
  matches(itemText: string): boolean;
  /** Globs: required only when the PR changes a matching file. */
  whenPaths?: (path: string) => boolean;
}

export interface SectionRule {
  heading: string;
  allowNa: boolean;
}

export interface DisclosureRule {
  files: (path: string) => boolean;
  filesText: string;
  require: Phrase[];
  forbid: Phrase[];
}

export interface ReviewerRule {
  paths: (path: string) => boolean;
  pathsText: string;
  teams: string[];
  users: string[];
  min: number;
}

export interface ComplianceConfig {
  file: string;
  checklist: ChecklistItem[];
  sections: SectionRule[];
  disclosures: DisclosureRule[];
  reviewers: ReviewerRule[];
  waiveLabel?: string;
  waivers: { users: string[]; teams: string[] };
}

/** A changed file of the PR, with the line numbers (in the new file) its patch adds. */
export interface ChangedFile {
  path: string;
  previousPath?: string;
  status: string;
  /** Undefined when there is no patch: binary, or too large for the API to include one. */
  addedLines?: Array<{ line: number; text: string }>;
}

export interface Review {
  login: string;
  state: string;
  commitId: string;
}

/** Everything the rules are judged on, from the API (action) or from git and a file (local mode). */
export interface PullRequestFacts {
  body: string;
  headSha: string;
  author: string;
  files: ChangedFile[];
  /** Undefined in local mode: reviews live on GitHub only. */
  reviews?: Review[];
  labels: string[];
  /** How many files the PR changes, when more than were listed (the API lists at most 3,000). */
  changedFiles?: number;
  /** Who applied `waive-label` last, when it is on the PR. */
  waiveLabelActor?: string;
}

/** `skipped` is for what local mode cannot see (reviews); it does not fail the verdict. */
export type RuleState = "met" | "missing" | "violated" | "waived" | "skipped";

export interface RuleRow {
  kind: "checklist" | "section" | "disclosure" | "reviewers";
  rule: string;
  state: RuleState;
  detail: string;
}

/** Compliance findings are check-run annotations (src/lib/check-run.ts), without raw details. */
export type ComplianceAnnotation = Omit<CheckAnnotation, "details">;

export interface Verdict {
  passed: boolean;
  rows: RuleRow[];
  annotations: ComplianceAnnotation[];
  unchecked: number;
  violations: number;
  missingReviews: number;
  /** Things the verdict could not see (patchless files, unreadable teams), for the summary. */
  notes: string[];
}
