import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { ConfigurationError } from "../lib/errors.js";

/** Placeholders that expand into a list of entries (each on its own line in the template). */
export const BLOCK_PLACEHOLDERS = [
  "highlights",
  "user-facing-changes",
  "operational-notes",
  "rollback-plan",
  "known-issues",
  "commits-without-pull-request",
  "contributors",
] as const;

/** Placeholders replaced by one value, anywhere in a line. */
export const VALUE_PLACEHOLDERS = [
  "version",
  "previous-version",
  "date",
  "release-owner",
  "customer-comm",
  "compare-url",
  "pull-requests",
  "commits",
] as const;

export type BlockName = (typeof BLOCK_PLACEHOLDERS)[number];
export type ValueName = (typeof VALUE_PLACEHOLDERS)[number];

/** Our users' release template. */
export const BUILT_IN_TEMPLATE = `## Release {{version}} – {{date}}
Release owner: {{release-owner}}

### Highlights
{{highlights}}

### User-Facing Changes
{{user-facing-changes}}

### Operational Notes
{{operational-notes}}

### Rollback Plan
{{rollback-plan}}

### Known Issues & Mitigations
{{known-issues}}

### Commits without a pull request
{{commits-without-pull-request}}

### Contributors
{{contributors}}

Customer comm: {{customer-comm}}
`;

/** A template line: literal text with value placeholders, or one block placeholder on a line of its own. */
export type TemplatePart = { kind: "text"; pieces: Array<string | { value: ValueName }> } | { kind: "block"; name: BlockName };

export interface Template {
  parts: TemplatePart[];
}

export function loadTemplate(path: string | undefined, root: string): Template {
  if (!path) return parseTemplate(BUILT_IN_TEMPLATE, "built-in template");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigurationError(`Input 'template': ${relative(root, path) || path} cannot be read.`);
  }
  return parseTemplate(text, relative(root, path) || path);
}

/** Splits a template into parts; an unknown or unclosed placeholder is an error at `file:line:col`. */
export function parseTemplate(text: string, file: string): Template {
  const parts: TemplatePart[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    const pieces = scanLine(line, `${file}:${index + 1}`);
    const only = pieces.length === 1 && typeof pieces[0] !== "string" ? pieces[0] : undefined;
    if (only && "block" in only && trimmed === `{{${only.block}}}`) parts.push({ kind: "block", name: only.block });
    else {
      const block = pieces.find((piece): piece is { block: BlockName } => typeof piece !== "string" && "block" in piece);
      if (block) {
        throw new ConfigurationError(
          `${file}:${index + 1}:${line.indexOf(`{{${block.block}`) + 1}: {{${block.block}}} is a list and must stand on a line of its own.`,
        );
      }
      parts.push({ kind: "text", pieces: pieces as Array<string | { value: ValueName }> });
    }
  });
  while (parts.length && isBlankText(parts[parts.length - 1])) parts.pop();
  return { parts };
}

function isBlankText(part: TemplatePart): boolean {
  return part.kind === "text" && part.pieces.every((piece) => typeof piece === "string" && !piece.trim());
}

function scanLine(line: string, place: string): Array<string | { value: ValueName } | { block: BlockName }> {
  const pieces: Array<string | { value: ValueName } | { block: BlockName }> = [];
  let at = 0;
  for (;;) {
    const open = line.indexOf("{{", at);
    if (open < 0) break;
    const close = line.indexOf("}}", open + 2);
    if (close < 0) throw new ConfigurationError(`${place}:${open + 1}: '{{' has no closing '}}'.`);
    const name = line.slice(open + 2, close).trim();
    if (open > at) pieces.push(line.slice(at, open));
    if ((VALUE_PLACEHOLDERS as readonly string[]).includes(name)) pieces.push({ value: name as ValueName });
    else if ((BLOCK_PLACEHOLDERS as readonly string[]).includes(name)) pieces.push({ block: name as BlockName });
    else {
      throw new ConfigurationError(
        `${place}:${open + 1}: unknown placeholder {{${name}}}; use one of ${[...VALUE_PLACEHOLDERS, ...BLOCK_PLACEHOLDERS].join(", ")}.`,
      );
    }
    at = close + 2;
  }
  if (at < line.length || pieces.length === 0) pieces.push(line.slice(at));
  return pieces;
}
