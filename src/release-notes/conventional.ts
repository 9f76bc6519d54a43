import { CommitParser } from "conventional-commits-parser";

/** What a Conventional Commits message says about the release: its type and whether it breaks compatibility. */
export interface ConventionalMessage {
  /** The lower-cased type (`feat`, `fix`, …); undefined when the header is not conventional. */
  type?: string;
  scope?: string;
  /** A `!` before the colon, or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer. */
  breaking: boolean;
}

// conventional-commits-parser's defaults read `type(scope): subject` and the BREAKING CHANGE notes; the `!` marker
// needs the breaking header pattern of the conventionalcommits preset (conventional-changelog-conventionalcommits).
const parser = new CommitParser({ breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/ });

/** The spec makes every token case-insensitive except BREAKING CHANGE, which must be upper-case. */
const BREAKING_NOTES = new Set(["BREAKING CHANGE", "BREAKING-CHANGE"]);

export function parseConventional(subject: string, body = ""): ConventionalMessage {
  const commit = parser.parse(body ? `${subject.trim()}\n\n${body}` : subject.trim());
  const type = commit.type ? commit.type.toLowerCase() : undefined;
  return {
    type,
    scope: commit.scope ?? undefined,
    breaking: commit.notes.some((note) => BREAKING_NOTES.has(note.title)),
  };
}
