import { describe, expect, it } from "vitest";
import { parseConventional } from "../../src/release-notes/conventional.js";
import { commitBump } from "../../src/release-notes/version.js";

const commit = (subject: string, body = "") => ({ sha: "0".repeat(40), subject, body, author: { name: "ada", bot: false }, files: [] });

describe("conventional commit messages (conventional-commits-parser)", () => {
  it("reads the type and scope of a header, lower-casing the type", () => {
    expect(parseConventional("feat(orders): stop-limit orders")).toEqual({ type: "feat", scope: "orders", breaking: false });
    expect(parseConventional("Fix: fee rounding")).toEqual({ type: "fix", scope: undefined, breaking: false });
  });

  it("reads a `!` before the colon as breaking, with or without a scope", () => {
    expect(parseConventional("feat(api)!: drop the v1 endpoints")).toMatchObject({ type: "feat", scope: "api", breaking: true });
    expect(parseConventional("refactor!: rename settlement fields")).toMatchObject({ type: "refactor", breaking: true });
    expect(commitBump(commit("chore!: drop Node 20"))).toBe("major");
  });

  it("reads a BREAKING CHANGE or BREAKING-CHANGE footer as breaking, but only upper-case as the spec requires", () => {
    expect(parseConventional("fix: ledger ids", "Ids are now UUIDs.\n\nBREAKING CHANGE: integer ids are gone.").breaking).toBe(true);
    expect(parseConventional("fix: ledger ids", "Refs #12\nBREAKING-CHANGE: integer ids are gone.").breaking).toBe(true);
    expect(parseConventional("fix: ledger ids", "breaking change: not a footer").breaking).toBe(false);
    expect(commitBump(commit("fix: ledger ids", "BREAKING CHANGE: integer ids are gone."))).toBe("major");
  });

  it("reads a footer in the bullet list of a squash commit body", () => {
    expect(parseConventional("Ledger v2 (#40)", "* feat: uuid ids\n\n* BREAKING CHANGE: integer ids are gone").breaking).toBe(true);
  });

  it("gives no type for headers that are not conventional", () => {
    for (const subject of [
      "Merge pull request #3 from blockbuilders/feature-3",
      "hotfix raise the rate limit",
      ": no type",
      "fix(a)(b): two scopes",
    ])
      expect(parseConventional(subject), subject).toEqual({ type: undefined, scope: undefined, breaking: false });
    expect(commitBump(commit("feat: dark mode"))).toBe("minor");
    expect(commitBump(commit("docs: changelog"))).toBe("patch");
  });
});
