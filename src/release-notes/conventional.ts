/** The header of a Conventional Commits message: `type(scope)!: subject`. */
export interface ConventionalHeader {
  type: string;
  breaking: boolean;
}

// The Conventional Commits 1.0 header grammar: a noun type, an optional scope in parentheses, an optional `!`, then `: `.
const HEADER = /^([a-zA-Z]+)(?:\([^()\r\n]*\))?(!)?: \S/;

export function parseHeader(subject: string): ConventionalHeader | undefined {
  const match = HEADER.exec(subject.trim());
  return match ? { type: match[1].toLowerCase(), breaking: match[2] === "!" } : undefined;
}

/** A `BREAKING CHANGE:` (or `BREAKING-CHANGE:`) footer anywhere in the body, at the start of a line. */
export function hasBreakingFooter(body: string): boolean {
  return body.split(/\r?\n/).some((line) => line.startsWith("BREAKING CHANGE:") || line.startsWith("BREAKING-CHANGE:"));
}
