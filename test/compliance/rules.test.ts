import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseComplianceConfig } from "../../src/compliance/config.js";
import { approvers } from "../../src/compliance/evaluate.js";
import { parsePrBody } from "../../src/compliance/markdown.js";
import { addedLines } from "../../src/compliance/patch.js";
import { DEFAULT_CHECK_NAME, DEFAULT_CONFIG, INPUTS, OUTPUTS } from "../../src/compliance/settings.js";
import { REPO_ROOT, readActionMetadata } from "../harness/run-bundle.js";

const configError = (text: string) => {
  try {
    parseComplianceConfig(text, ".github/compliance.yml");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
};

describe("compliance config errors name file:line:col, the key and what is allowed", () => {
  it.each([
    ["checklist:\n  - text: a\n    pattern: b\n", ".github/compliance.yml:2:5: checklist[0] takes exactly one of 'text' or 'pattern'"],
    [
      "reviewers:\n  - paths: [billing/**]\n    teams: [billing]\n",
      ".github/compliance.yml:3:13: reviewers[0].teams[0] must look like org/team-slug",
    ],
    ["reviewers:\n  - paths: [x]\n    users: [a]\n    min: 0\n", ".github/compliance.yml:4:10: reviewers[0].min must be >= 1"],
    ["disclosures:\n  - files: [x]\n", ".github/compliance.yml:2:5: disclosures[0] needs 'require' or 'forbid' (or both)"],
    ["checklist: [\n", ".github/compliance.yml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    [
      "sectons: [Summary]\n",
      ".github/compliance.yml:1:1: unknown key 'sectons' in the file; allowed are checklist, sections, disclosures, reviewers, waive-label, waivers",
    ],
  ])("%j", (text, message) => {
    expect(configError(text)).toBe(message);
  });
});

describe("PR body parsing (CommonMark + GFM)", () => {
  it("reads task items at any depth with [x] and [X], and skips quotes, code and HTML", () => {
    const body = [
      "- [X] Upper",
      "  - [x] Nested *emphasis* and `code`",
      "- [ ] Open",
      "",
      "> - [x] Quoted",
      "",
      "<details>\n\n- [x] Inside details\n\n</details>",
      "",
      "```\n- [x] Fenced\n```",
    ].join("\n");
    expect(parsePrBody(body).checkboxes).toEqual([
      { text: "Upper", checked: true },
      { text: "Nested emphasis and code", checked: true },
      { text: "Open", checked: false },
      { text: "Inside details", checked: true },
    ]);
  });

  it("takes a section's content up to the next heading of the same or a higher level", () => {
    const { sections } = parsePrBody("# Title\n\n## A\n\ntext a\n\n### A.1\n\nmore\n\n## B\n");
    expect(sections.map((section) => [section.heading, section.content.length])).toEqual([
      ["Title", 5],
      ["A", 3],
      ["A.1", 1],
      ["B", 0],
    ]);
  });
});

describe("added lines from a unified patch", () => {
  it("numbers added lines in the new file across hunks, skipping removed lines and the no-newline marker", () => {
    const patch = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,2 +10,3 @@ function x() {\n k\n+new one\n+new two\n\\ No newline at end of file";
    expect(addedLines(patch)).toEqual([
      { line: 2, text: "B" },
      { line: 11, text: "new one" },
      { line: 12, text: "new two" },
    ]);
  });
});

describe("which reviews count", () => {
  const review = (login: string, state: string, commitId = "head") => ({ login, state, commitId });
  it("keeps each user's latest deciding review, on the head only, never the author's", () => {
    const reviews = [
      review("ann", "APPROVED"),
      review("ann", "COMMENTED"),
      review("bob", "APPROVED"),
      review("bob", "CHANGES_REQUESTED"),
      review("cat", "APPROVED", "older"),
      review("Dee", "CHANGES_REQUESTED"),
      review("Dee", "APPROVED"),
      review("author", "APPROVED"),
      review("eve", "DISMISSED"),
    ];
    expect([...approvers(reviews, "head", "AUTHOR")].sort()).toEqual(["ann", "dee"]);
  });
});

describe("the compliance action's metadata", () => {
  it("declares exactly the inputs and outputs the entry reads and writes, with the defaults the CLI falls back to", () => {
    const metadata = readActionMetadata("compliance");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(OUTPUTS).sort());
    expect(metadata.inputs?.[INPUTS.config].default).toBe(DEFAULT_CONFIG);
    expect(metadata.inputs?.[INPUTS.checkName].default).toBe(DEFAULT_CHECK_NAME);
  });

  it("the example consumer's rules file is valid against the schema", () => {
    const path = join(REPO_ROOT, "examples/blockbuilders/.github/compliance.yml");
    const config = parseComplianceConfig(readFileSync(path, "utf8"), path);
    expect(config.checklist).toHaveLength(4);
    expect(config.reviewers.map((rule) => rule.teams)).toEqual([["blockbuilders/billing"], ["blockbuilders/legal"]]);
  });
});
