import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, loadConfig, type NotesConfig } from "../../src/release-notes/config.js";
import type { PullRequestInfo, RangeChanges } from "../../src/release-notes/model.js";
import { renderNotes } from "../../src/release-notes/render.js";
import { readSections } from "../../src/release-notes/sections.js";
import { loadTemplate, parseTemplate } from "../../src/release-notes/template.js";

function pull(number: number, title: string, extra: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return { number, title, body: "", labels: [], author: { name: "ada", bot: false, login: true }, files: [], commits: [], ...extra };
}

const VALUES = {
  version: "2.0.0",
  previousVersion: "1.9.0",
  date: "2026-12-01",
  releaseOwner: "ops-lead",
  customerCommUrl: "",
  compareUrl: "https://github.com/o/r/compare/v1.9.0...abc",
};
const builtIn = loadTemplate(undefined, "/");

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "rn-files-"));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe("pull request body sections (mdast + GFM)", () => {
  it("reads the rollback, known-issues and migrations sections as written, without template comments or empty answers", () => {
    const body = [
      "Adds the depth chart.",
      "",
      "```md",
      "## Rollback plan",
      "```",
      "",
      "## Migrations",
      "<!-- list schema changes -->",
      "- `0042_depth.sql` adds `order_book_levels`",
      "",
      "## Rollback plan",
      "1. Flip `depth-chart` off.",
      "2. Revert.",
      "",
      "### Details",
      "Keep this under rollback.",
      "",
      "## Known issues",
      "N/A",
    ].join("\n");
    expect(readSections(body)).toEqual({
      operational: "- `0042_depth.sql` adds `order_book_levels`",
      rollback: "1. Flip `depth-chart` off.\n2. Revert.\n\n### Details\n\nKeep this under rollback.",
    });
  });
});

describe("notes rendering", () => {
  const changes = (pulls: PullRequestInfo[], extra: Partial<RangeChanges> = {}): RangeChanges => ({
    pullRequests: pulls,
    loneCommits: [],
    commitCount: pulls.length,
    ...extra,
  });

  it("sorts pull requests into categories by label, conventional type and path glob, highlights and exclusions", () => {
    const config: NotesConfig = {
      categories: [
        { title: "Trading", labels: [], paths: ["services/api/orders/**"], types: [], highlight: true },
        ...DEFAULT_CONFIG.categories,
      ],
      excludeLabels: ["skip-changelog"],
      excludeAuthors: ["renovate[bot]"],
    };
    const notes = renderNotes(
      changes([
        pull(1, "Stop-limit orders", { files: ["services/api/orders/stop.py"] }),
        pull(2, "feat: dark mode"),
        pull(3, "Fee rounding", { labels: ["Bug"] }),
        pull(4, "chore: bump deps", { author: { name: "renovate[bot]", bot: true, login: true } }),
        pull(5, "Internal refactor", { labels: ["skip-changelog"] }),
        pull(6, "Tidy logs"),
      ]),
      config,
      builtIn,
      VALUES,
    );
    expect(notes.full).toContain("### Highlights\n- Stop-limit orders (#1) by @ada\n- feat: dark mode (#2) by @ada\n");
    expect(notes.full).toContain(
      "### User-Facing Changes\n#### Trading\n- Stop-limit orders (#1) by @ada\n\n#### Features\n- feat: dark mode (#2) by @ada\n\n#### Fixes\n- Fee rounding (#3) by @ada\n\n#### Other changes\n- Tidy logs (#6) by @ada\n",
    );
    expect(notes.full).not.toContain("bump deps");
    expect(notes.full).not.toContain("Internal refactor");
    expect(notes.excluded).toBe(2);
  });

  it("fills operational notes from labels and sections, and lists contributors once each with bots last", () => {
    const notes = renderNotes(
      changes([
        pull(7, "Feature flag for margin", { labels: ["feature-flag"], author: { name: "zoe", bot: false, login: true } }),
        pull(8, "Settlement ledger", {
          body: "## Operational notes\nRun `make backfill` after deploy.",
          author: { name: "dependabot[bot]", bot: true, login: true },
        }),
        pull(9, "Ledger follow-up", { author: { name: "Zoe", bot: false, login: true } }),
        pull(10, "Margin calls", { author: { name: "bea", bot: false, login: true } }),
      ]),
      DEFAULT_CONFIG,
      builtIn,
      VALUES,
    );
    expect(notes.full).toContain(
      "### Operational Notes\n- **Feature flag for margin** (#7) [feature-flag]\n- **Settlement ledger** (#8)\n  Run `make backfill` after deploy.\n",
    );
    expect(notes.full).toContain("### Contributors\n@bea, @zoe, @dependabot[bot]\n");
    expect(notes.full).toContain("### Known Issues & Mitigations\n_None._\n");
    expect(notes.full).toContain("Release owner: @ops-lead\n");
  });

  it("truncates the body at an entry boundary under the limit, saying how many entries were left out, and keeps the whole text", () => {
    const pulls = Array.from({ length: 3000 }, (_unused, index) =>
      pull(index + 1, `Change number ${index + 1} with a reasonably long title for size`),
    );
    const notes = renderNotes(changes(pulls), DEFAULT_CONFIG, builtIn, VALUES);
    expect(notes.full.length).toBeGreaterThan(125_000);
    expect(notes.truncated).toBe(true);
    expect(notes.body.length).toBeLessThanOrEqual(125_000);
    const kept = notes.body.split("\n").filter((line) => line.startsWith("- Change number")).length;
    expect(notes.entriesLeftOut).toBe(3000 - kept);
    expect(notes.body).toContain(`**Truncated:** ${3000 - kept} of 3000 entries were left out`);
    expect(notes.body).toContain("[compare view](https://github.com/o/r/compare/v1.9.0...abc)");
    // Every kept line is whole: the line before the note is a complete entry.
    const beforeNote = notes.body.split("\n> **Truncated:**")[0].trimEnd().split("\n").pop();
    expect(beforeNote).toBe(`- Change number ${kept} with a reasonably long title for size (#${kept}) by @ada`);
  });

  it("renders a custom template and refuses an unknown or misplaced placeholder at file:line:col", () => {
    const template = parseTemplate("# {{version}} (was {{previous-version}})\n{{user-facing-changes}}\nComms: {{customer-comm}}\n", "t.md");
    const notes = renderNotes(changes([pull(1, "fix: a")]), DEFAULT_CONFIG, template, VALUES);
    expect(notes.full).toBe("# 2.0.0 (was 1.9.0)\n#### Fixes\n- fix: a (#1) by @ada\nComms: _not set_\n");
    expect(() => parseTemplate("ok\nVersion {{verison}}\n", "notes.md")).toThrow(
      "notes.md:2:9: unknown placeholder {{verison}}; use one of version, previous-version, date,",
    );
    expect(() => parseTemplate("Changes: {{highlights}}", "notes.md")).toThrow(
      "notes.md:1:10: {{highlights}} is a list and must stand on a line of its own.",
    );
    expect(() => parseTemplate("a\nb {{version", "notes.md")).toThrow("notes.md:2:3: '{{' has no closing '}}'.");
  });
});

describe("config", () => {
  it("reads categories and exclusions, and refuses a malformed config at file:line:col", () => {
    const good = file(
      "release-notes.yml",
      "categories:\n  - title: Web\n    paths: ['apps/web/**']\nexclude:\n  authors: ['dependabot[bot]']\n",
    );
    expect(loadConfig(good, { required: true, root: "/" })).toMatchObject({
      categories: [{ title: "Web", paths: ["apps/web/**"], labels: [], types: [], highlight: false }],
      excludeAuthors: ["dependabot[bot]"],
    });
    const root = join(good, "..");
    const unknownField = file("release-notes.yml", "categories:\n  - title: Web\n    lables: [web]\n");
    expect(() => loadConfig(unknownField, { required: true, root: join(unknownField, "..") })).toThrow(
      "release-notes.yml:3:5: unknown field 'lables' in categories.0; allowed are title, labels, paths, types, highlight",
    );
    const wrongType = file("release-notes.yml", "categories:\n  - title: Web\n    highlight: yes please\n");
    expect(() => loadConfig(wrongType, { required: true, root: join(wrongType, "..") })).toThrow(
      "release-notes.yml:3:16: categories.0.highlight must be boolean",
    );
    const badYaml = file("release-notes.yml", "categories:\n  - title: [Web\n");
    expect(() => loadConfig(badYaml, { required: true, root: join(badYaml, "..") })).toThrow(/^release-notes\.yml:\d+:\d+: /);
    expect(() => loadConfig(join(root, "missing.yml"), { required: true, root })).toThrow("Input 'config': missing.yml does not exist.");
    expect(loadConfig(join(root, "missing.yml"), { required: false, root })).toBe(DEFAULT_CONFIG);
  });
});
