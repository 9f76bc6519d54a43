import type { Heading, ListItem, Nodes, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

export interface Checkbox {
  text: string;
  checked: boolean;
}

export interface Section {
  heading: string;
  /** The blocks under the heading, up to the next heading of the same or a higher level. */
  content: RootContent[];
}

export interface PrBody {
  checkboxes: Checkbox[];
  sections: Section[];
}

/** Parses a PR body with CommonMark + GFM; only real task-list items count as checkboxes. */
export function parsePrBody(markdown: string): PrBody {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return { checkboxes: collectCheckboxes(tree), sections: collectSections(tree) };
}

/** Task items outside code, HTML and quotes; struck-through text does not count as the item's text. */
function collectCheckboxes(tree: Root): Checkbox[] {
  const found: Checkbox[] = [];
  const walk = (node: Nodes) => {
    // Quoted text is someone else's checklist; code and HTML are not markdown at all.
    if (node.type === "blockquote" || node.type === "code" || node.type === "html") return;
    if (node.type === "listItem" && typeof node.checked === "boolean") {
      const text = itemText(node);
      if (text) found.push({ text, checked: node.checked });
    }
    if ("children" in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return found;
}

/** The item's own paragraph text (not its nested lists), without struck, code or HTML parts. */
function itemText(item: ListItem): string {
  const own = item.children.filter((child) => child.type !== "list" && child.type !== "code" && child.type !== "blockquote");
  return own
    .map((child) => plainText(child))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Visible text of a node: struck-through text and HTML (comments included) are left out. */
export function plainText(node: Nodes): string {
  if (node.type === "delete" || node.type === "html") return "";
  if (node.type === "text" || node.type === "inlineCode") return node.value;
  if (node.type === "code") return node.value;
  if (node.type === "break") return " ";
  if ("children" in node) return (node.children as Nodes[]).map((child) => plainText(child)).join(node.type === "paragraph" ? "" : " ");
  return "";
}

function collectSections(tree: Root): Section[] {
  const sections: Section[] = [];
  const children = tree.children;
  children.forEach((node, index) => {
    if (node.type !== "heading") return;
    const end = children.findIndex((later, at) => at > index && later.type === "heading" && (later as Heading).depth <= node.depth);
    sections.push({ heading: plainText(node).trim(), content: children.slice(index + 1, end < 0 ? undefined : end) });
  });
  return sections;
}
