import type { Heading, Nodes, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/** The sections of a pull request body that feed the template, by their heading (case-insensitive). */
export const SECTION_HEADINGS = {
  operational: ["migrations", "migration", "operational notes", "operational tasks"],
  rollback: ["rollback plan", "rollback"],
  knownIssues: ["known issues", "known issues & mitigations", "known issues and mitigations"],
} as const;

export type SectionKind = keyof typeof SECTION_HEADINGS;

// What PR templates leave in an unfilled section.
const EMPTY_ANSWERS = new Set(["n/a", "na", "none", "-", "no", "nothing", "tbd"]);

function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string" && node.type !== "html") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join("");
  return "";
}

/**
 * The markdown under each recognised heading of a body, as the author wrote it (source text between the heading
 * and the next heading of the same or a higher level). HTML comments (template hints) and empty answers are dropped.
 */
export function readSections(body: string): Partial<Record<SectionKind, string>> {
  if (!body.trim()) return {};
  const tree: Root = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const found: Partial<Record<SectionKind, string>> = {};
  const children = tree.children;
  children.forEach((node, index) => {
    if (node.type !== "heading") return;
    const kind = kindOf(node);
    if (!kind || found[kind] !== undefined) return;
    const content = sectionText(body, children, index, node.depth);
    if (content) found[kind] = content;
  });
  return found;
}

function kindOf(heading: Heading): SectionKind | undefined {
  const title = plainText(heading).trim().toLowerCase().replace(/:$/, "");
  return (Object.keys(SECTION_HEADINGS) as SectionKind[]).find((kind) => (SECTION_HEADINGS[kind] as readonly string[]).includes(title));
}

function sectionText(body: string, children: RootContent[], headingIndex: number, depth: number): string {
  const parts: string[] = [];
  for (const node of children.slice(headingIndex + 1)) {
    if (node.type === "heading" && node.depth <= depth) break;
    if (node.type === "html") continue;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start !== undefined && end !== undefined) parts.push(body.slice(start, end));
  }
  const text = parts.join("\n\n").trim();
  return EMPTY_ANSWERS.has(text.toLowerCase().replace(/\.$/, "")) ? "" : text;
}
