import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeCheckRun, type FakeReview, GitHubFake } from "../fakes/github.js";
import { expectSecretsHidden } from "../harness/secrets.js";
import { AUTHOR, GOOD_BODY, HEAD_SHA, newFilePatch, PR, prEvent, RULES, runCompliance, setPull, TOKEN, workspace } from "./world.js";

let github: GitHubFake;
beforeEach(async () => {
  github = await new GitHubFake().start();
});
afterEach(() => github.stop());

const onlyRun = (): FakeCheckRun => {
  expect(github.checkRuns).toHaveLength(1);
  return github.checkRuns[0];
};
const ourComments = () => github.comments.filter((comment) => comment.body.includes("<!-- launchpad-compliance: compliance -->"));

describe("compliance action: the PR body", () => {
  it("judges the body the API serves now, not the stale event payload, and passes when everything is met", async () => {
    setPull(github, GOOD_BODY, [{ filename: "README.md", status: "modified", patch: "@@ -1,1 +1,1 @@\n-old\n+new" }]);
    const stale = prEvent("## Summary\n\n- [ ] Risk disclosure reviewed\n", "0ld5ha0ld5ha0ld5ha0ld5ha0ld5ha0ld5ha0ld5");
    const result = await runCompliance(github, workspace(), { event: stale });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ passed: "true", unchecked: "0", violations: "0", "missing-reviews": "0" });
    expect(result.summary).toContain("| checklist | Risk disclosure reviewed | ✅ met | ticked |");
    expect(result.summary).toContain("The event payload names head 0ld5ha0, but the PR is now at c0ffeec");
    expect(onlyRun()).toMatchObject({ name: "compliance", head_sha: HEAD_SHA, status: "completed", conclusion: "success" });
    expect(ourComments()).toHaveLength(1);
    expect(ourComments()[0].body).toContain("everything is met");
    expect(github.requestsTo("GET", `/repos/blockbuilders/platform/pulls/${PR}`)).toHaveLength(1);
    expectSecretsHidden(result, [TOKEN]);
  });

  it("does not count ticks in fenced or indented code, HTML comments, quotes or struck-through items", async () => {
    const body = [
      "## Summary\n\nCopy.\n\n## Risk assessment\n\nLow.\n\n## Rollback plan\n\nRevert.\n",
      "```markdown\n- [x] Risk disclosure reviewed\n```\n",
      "    - [x] No financial advice\n",
      "<!--\n- [x] Risk disclosure reviewed\n-->\n",
      "> - [x] No financial advice\n",
      "- [x] ~~Risk disclosure reviewed~~\n",
      "- [ ] No financial advice\n",
    ].join("\n");
    setPull(github, body, []);
    const result = await runCompliance(github, workspace());

    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "false", unchecked: "2" });
    expect(result.summary).toContain("| checklist | Risk disclosure reviewed | ❌ missing | no such checkbox in the PR body |");
    expect(result.summary).toContain("| checklist | /^no (personalised )?financial advice$/ | ❌ missing | not ticked |");
    expect(result.stdout).toContain("::error::Compliance failed: 2 of 7 compliance rules not met.");
    expect(onlyRun().conclusion).toBe("failure");
  });

  it("requires a path-conditional item only when the PR changes a matching file", async () => {
    const seedFile = { filename: "infrastructure/seed-data/plans.yaml", status: "modified" as const, patch: "@@ -1 +1 @@\n-a\n+b" };
    setPull(github, GOOD_BODY, [{ filename: "README.md", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" }]);
    const without = await runCompliance(github, workspace());
    expect(without.code).toBe(0);
    expect(without.summary).not.toContain("Data Engineering sign-off");

    setPull(github, GOOD_BODY, [seedFile]);
    const withSeed = await runCompliance(github, workspace());
    expect(withSeed.code).toBe(1);
    expect(withSeed.outputs.unchecked).toBe("1");
    expect(withSeed.summary).toContain(
      "| checklist | Data Engineering sign-off (paths changed) | ❌ missing | no such checkbox in the PR body |",
    );

    setPull(github, `${GOOD_BODY}- [x] data engineering   SIGN-OFF\n`, [seedFile]);
    const ticked = await runCompliance(github, workspace());
    expect(ticked.code).toBe(0);
  });

  it("fails an empty section and one holding only the template's comment and placeholder", async () => {
    const body = [
      "## Summary\n",
      "## Risk assessment\n\n<!-- What could go wrong? -->\n<describe the risk…>\n",
      "## Rollback plan\n\nN/A\n",
      "- [x] Risk disclosure reviewed\n- [x] No financial advice\n",
    ].join("\n");
    setPull(github, body, []);
    const result = await runCompliance(github, workspace());

    expect(result.code).toBe(1);
    expect(result.summary).toContain("| section | ## Summary | ❌ missing | empty |");
    expect(result.summary).toContain("| section | ## Risk assessment | ❌ missing | only the template's placeholder |");
    expect(result.summary).toContain("| section | ## Rollback plan | ✅ met | filled in |");
    expect(result.outputs.unchecked).toBe("0");
  });
});

describe("compliance action: disclosures on the changed lines", () => {
  it("flags a changed file missing its disclaimer and a forbidden phrase on its added line only", async () => {
    const pricing = "# Pricing\n\nOur guaranteed returns story, kept from 2024.\nNew: guaranteed returns every month!\n";
    const root = workspace({ "content/pricing.md": pricing, "content/about.md": "# About\n\nCapital at risk.\n" });
    // Line 3 is unchanged context with the same phrase; only line 4 is added.
    const patch = "@@ -1,3 +1,4 @@\n # Pricing\n \n Our guaranteed returns story, kept from 2024.\n+New: guaranteed returns every month!";
    setPull(github, GOOD_BODY, [
      { filename: "content/pricing.md", status: "modified", patch },
      { filename: "content/about.md", status: "added", patch: newFilePatch("# About\n\nCapital at risk.\n") },
    ]);
    const result = await runCompliance(github, root);

    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ passed: "false", violations: "2", unchecked: "0" });
    expect(result.summary).toContain(
      "| disclosure | require Capital at risk in content/**/*.md | ❌ violated | missing in content/pricing.md |",
    );
    expect(result.summary).toContain(
      "| disclosure | forbid /guaranteed returns?/i in content/**/*.md | ❌ violated | on content/pricing.md:4 |",
    );
    const annotations = onlyRun().annotations as Array<Record<string, unknown>>;
    expect(annotations.map((annotation) => [annotation.path, annotation.start_line, annotation.title])).toEqual([
      ["content/pricing.md", 4, "Missing disclosure"],
      ["content/pricing.md", 4, "Forbidden phrase"],
    ]);
    // On the check run, so not repeated as step annotations.
    expect(result.annotations.filter((annotation) => annotation.file)).toEqual([]);
  });

  it("sends more than 50 annotations in batches of 50", async () => {
    const lines = Array.from({ length: 120 }, (_, index) => `Line ${index}: guaranteed return`).join("\n");
    const root = workspace({ "content/spam.md": `Capital at risk.\n${lines}\n` });
    setPull(github, GOOD_BODY, [{ filename: "content/spam.md", status: "added", patch: newFilePatch(`Capital at risk.\n${lines}\n`) }]);
    const result = await runCompliance(github, root);

    expect(result.outputs.violations).toBe("120");
    expect(onlyRun().annotations).toHaveLength(120);
    expect(github.requestsTo("PATCH", /\/check-runs\/\d+$/)).toHaveLength(2);
  });
});

describe("compliance action: specialist reviewers", () => {
  it("needs a team approval on the head SHA: missing, then approved, then dismissed", async () => {
    github.teams.set("blockbuilders/billing", ["bill-ops", "pr-author"]);
    const files = [{ filename: "billing/plans.ts", status: "modified" as const, patch: "@@ -1 +1 @@\n-a\n+b" }];
    setPull(github, GOOD_BODY, files);
    const reviews: FakeReview[] = [
      { id: 1, user: { login: AUTHOR }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-01-01T00:00:00Z" },
      { id: 2, user: { login: "bill-ops" }, state: "APPROVED", commit_id: "0ldc0mm1t", submitted_at: "2026-01-01T00:01:00Z" },
      { id: 3, user: { login: "outsider" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-01-01T00:02:00Z" },
    ];
    github.reviews.set(PR, reviews);
    const missing = await runCompliance(github, workspace());
    expect(missing.code).toBe(1);
    expect(missing.outputs["missing-reviews"]).toBe("1");
    expect(missing.summary).toContain(
      "| reviewers | 1 approval(s) from @blockbuilders/billing for billing/** | ❌ missing | 0/1 on c0ffeec |",
    );

    reviews.push({ id: 4, user: { login: "bill-ops" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-01-01T00:03:00Z" });
    const approved = await runCompliance(github, workspace());
    expect(approved.code).toBe(0);
    expect(approved.summary).toContain("| ✅ met | 1/1 on c0ffeec: @bill-ops |");

    reviews[3].state = "DISMISSED";
    const dismissed = await runCompliance(github, workspace());
    expect(dismissed.code).toBe(1);
    expect(dismissed.outputs["missing-reviews"]).toBe("1");
    expect(github.requestsTo("GET", "/orgs/blockbuilders/teams/billing/members")).toHaveLength(3);
  });

  it("lets a later 'changes requested' cancel an approval, and says so when the team cannot be read", async () => {
    setPull(github, GOOD_BODY, [{ filename: "billing/plans.ts", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" }]);
    github.reviews.set(PR, [
      { id: 1, user: { login: "bill-ops" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-01-01T00:00:00Z" },
      { id: 2, user: { login: "bill-ops" }, state: "CHANGES_REQUESTED", commit_id: HEAD_SHA, submitted_at: "2026-01-01T00:01:00Z" },
    ]);
    const result = await runCompliance(github, workspace());
    expect(result.code).toBe(1);
    expect(result.summary).toContain("Could not read the members of blockbuilders/billing (HTTP 404: the token cannot read this team");
    expect(result.outputs["missing-reviews"]).toBe("1");
  });
});

describe("compliance action: the waive label", () => {
  const unticked = GOOD_BODY.replace("- [x] Risk disclosure reviewed", "- [ ] Risk disclosure reviewed");

  it("waives nothing when a non-waiver applied the label, and waives checklist items when a waiver did", async () => {
    setPull(github, unticked, []);
    github.applyLabel(PR, "compliance-waived", "eager-dev");
    const byOutsider = await runCompliance(github, workspace());
    expect(byOutsider.code).toBe(1);
    expect(byOutsider.outputs.unchecked).toBe("1");
    expect(byOutsider.summary).toContain(
      "The 'compliance-waived' label was applied by @eager-dev, who is not among the waivers; it waives nothing.",
    );

    github.applyLabel(PR, "compliance-waived", "compliance-lead");
    const byWaiver = await runCompliance(github, workspace());
    expect(byWaiver.code).toBe(0);
    expect(byWaiver.outputs.unchecked).toBe("0");
    expect(byWaiver.summary).toContain(
      "| checklist | Risk disclosure reviewed | ➖ waived | waived by 'compliance-waived', applied by @compliance-lead |",
    );
  });

  it("never waives disclosures", async () => {
    const root = workspace({ "content/x.md": "no disclaimer\n" });
    setPull(github, unticked, [{ filename: "content/x.md", status: "added", patch: newFilePatch("no disclaimer\n") }]);
    github.applyLabel(PR, "compliance-waived", "compliance-lead");
    const result = await runCompliance(github, root);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ unchecked: "0", violations: "1" });
  });
});

describe("compliance action: big PRs, sticky comment, read-only token, bad config", () => {
  it("pages through more than 100 files and comments, and edits the sticky comment past the first page", async () => {
    const files = Array.from({ length: 250 }, (_, index) => ({
      filename: `content/page-${String(index).padStart(3, "0")}.md`,
      status: "added" as const,
      patch: newFilePatch("Capital at risk.\n"),
    }));
    files[230].patch = newFilePatch("Capital at risk.\nRisk-free, guaranteed returns.\n");
    const root = workspace(Object.fromEntries(files.map((file) => [file.filename, "Capital at risk.\n"])));
    // GitHub's count of changed files, beyond the 3,000 it lists.
    setPull(github, GOOD_BODY, files, { changed_files: 3_250 });
    for (let index = 0; index < 150; index++)
      github.comments.push({ id: index + 1, issue_number: PR, body: `review chatter ${index}`, user: { login: "someone", type: "User" } });
    github.comments.push({
      id: 500,
      issue_number: PR,
      body: "<!-- launchpad-compliance: compliance -->\nold verdict",
      user: { login: "github-actions[bot]", type: "Bot" },
    });

    const result = await runCompliance(github, root);
    expect(result.outputs.violations).toBe("1");
    expect(result.summary).toContain("on content/page-230.md:2");
    expect(github.requestsTo("GET", `/repos/blockbuilders/platform/pulls/${PR}/files`)).toHaveLength(3);
    expect(github.requestsTo("GET", `/repos/blockbuilders/platform/issues/${PR}/comments`)).toHaveLength(2);
    expect(github.requestsTo("POST", `/repos/blockbuilders/platform/issues/${PR}/comments`)).toHaveLength(0);
    expect(ourComments()).toHaveLength(1);
    expect(ourComments()[0].body).toContain("1 still missing");
    expect(result.summary).toContain("The PR changes 3250 files, but GitHub lists only the first 250: rules were checked on those.");
  });

  it("updates the sticky comment on the second run instead of adding another", async () => {
    setPull(github, GOOD_BODY.replace("- [X] No financial advice", "- [ ] No financial advice"), []);
    await runCompliance(github, workspace());
    expect(ourComments()).toHaveLength(1);
    expect(ourComments()[0].body).toContain("not ticked");

    setPull(github, GOOD_BODY, []);
    const second = await runCompliance(github, workspace());
    expect(second.code).toBe(0);
    expect(ourComments()).toHaveLength(1);
    expect(ourComments()[0].body).toContain("everything is met");
    expect(github.requestsTo("PATCH", /\/issues\/comments\/\d+$/)).toHaveLength(1);

    const commentReads = github.requestsTo("GET", `/repos/blockbuilders/platform/issues/${PR}/comments`).length;
    setPull(github, "## Summary\n", []);
    const silent = await runCompliance(github, workspace(), { inputs: { comment: "false" } });
    expect(silent.code).toBe(1);
    expect(github.requestsTo("GET", `/repos/blockbuilders/platform/issues/${PR}/comments`)).toHaveLength(commentReads);
    expect(ourComments()[0].body).toContain("everything is met");
  });

  it("keeps the verdict with a read-only token: summary and step annotations, no crash", async () => {
    github.readOnly = true;
    const root = workspace({ "content/promo.md": "Capital at risk.\nguaranteed returns\n" });
    setPull(github, GOOD_BODY, [
      { filename: "content/promo.md", status: "added", patch: newFilePatch("Capital at risk.\nguaranteed returns\n") },
    ]);
    const failing = await runCompliance(github, root);
    expect(failing.stderr).toBe("");
    expect(failing.code).toBe(1);
    expect(failing.outputs.passed).toBe("false");
    expect(failing.annotations).toContainEqual(
      expect.objectContaining({ level: "error", file: "content/promo.md", line: 2, title: "Forbidden phrase" }),
    );
    expect(failing.summary).toContain("the token cannot write checks");
    expect(failing.summary).toContain("Could not write the PR comment (HTTP 403)");
    expect(github.checkRuns).toHaveLength(0);
    expect(github.comments).toHaveLength(0);

    setPull(github, GOOD_BODY, []);
    const passing = await runCompliance(github, workspace());
    expect(passing.code).toBe(0);
    expect(passing.outputs.passed).toBe("true");
  });

  it("stops at a malformed config with its file:line:col, before anything is written", async () => {
    setPull(github, GOOD_BODY, []);
    const rules = RULES.replace('    require: ["Capital at risk"]', '    require: ["Capital at risk"]\n    forbidd: [oops]');
    const result = await runCompliance(github, workspace({}, rules));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error::\.github\/compliance\.yml:15:5: unknown key 'forbidd' in disclosures\[0\]; allowed are files, require, forbid/,
    );
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(github.checkRuns).toHaveLength(0);
    expect(github.comments).toHaveLength(0);

    const push = await runCompliance(github, workspace(), { eventName: "push", event: {} });
    expect(push.code).toBe(1);
    expect(push.stdout).toContain(
      "::error::compliance checks a pull request, but this run is a 'push' event; run it on pull_request or pull_request_target.",
    );

    const badRegex = await runCompliance(github, workspace({}, RULES.replace("/guaranteed returns?/i", "/guaranteed (returns/")));
    expect(badRegex.stdout).toMatch(
      /::error::\.github\/compliance\.yml:15:14: '\/guaranteed \(returns\/' is not a valid regular expression: Unterminated group$/m,
    );
  });
});
