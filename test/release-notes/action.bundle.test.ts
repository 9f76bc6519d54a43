import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runStep } from "../harness/run-bundle.js";
import { fakeRepository } from "./fake-repository.js";
import { GitRepo, removeRepos } from "./git-repo.js";

const TOKEN = "ghs_plantedReleaseNotesToken0123456789ab";
const REPOSITORY = "blockbuilders/platform";

const world = fakeRepository();
afterAll(removeRepos);

function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "rn-workspace-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function run(inputs: Record<string, string>, options: { workspace?: string; sha?: string; ref?: string; timeoutMs?: number } = {}) {
  return runStep("release-notes", {
    workspace: options.workspace ?? workspace(),
    inputs: { "github-token": TOKEN, ...inputs },
    env: { GITHUB_API_URL: world.github.url, GITHUB_GRAPHQL_URL: `${world.github.url}/graphql` },
    sha: options.sha ?? world.model.head(),
    ref: options.ref,
    repository: REPOSITORY,
    actor: "release-captain",
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}

const graphqlRequests = () => world.github.requestsTo("POST", "/graphql").length;

/** v1.4.2, then one change of each merge style, a bot PR, a migration and a direct push. */
function releaseRange(): void {
  world.model.commit("chore: initial import");
  world.model.squashMerge(10, "Before the tag", { labels: ["feature"] });
  world.model.tag("v1.4.2", world.model.head(), true);
  world.model.mergeCommit(21, "Order book depth chart", 2, {
    labels: ["feature"],
    author: { login: "grace", type: "User" },
    files: ["apps/web/src/depth.ts"],
    body: "Adds depth.\n\n## Known issues\nThe chart flickers on Safari 17; reload fixes it.\n\n## Rollback plan\n<!-- how do we undo this? -->\nTurn off `depth-chart`.",
  });
  world.model.squashMerge(22, "fix: fee rounding", {
    labels: ["bug"],
    body: "## Rollback plan\nRedeploy 1.4.2; fees are recomputed nightly.",
  });
  world.model.rebaseMerge(23, "Faster symbol lookups", 2, { files: ["services/api/symbols.py"] });
  world.model.squashMerge(24, "Bump ruff from 0.6 to 0.7", { author: { login: "dependabot", type: "Bot" }, labels: ["dependencies"] });
  world.model.squashMerge(25, "Settlement ledger", {
    labels: ["migration"],
    body: "## Migrations\nRun `alembic upgrade head` before the deploy.",
  });
  world.model.commit("hotfix: raise the order rate limit", { author: "Linus Ops", login: "linus" });
}

const CONFIG = `categories:
  - title: Trading API
    paths: ["services/api/**"]
  - title: Features
    labels: [feature]
    highlight: true
  - title: Fixes
    labels: [bug]
exclude:
  labels: [skip-changelog]
`;

describe("release-notes action against the GitHub fake (GraphQL)", () => {
  it("fills the template from categories and PR bodies, resolves the version, and keeps to a few requests", {
    timeout: 90_000,
  }, async () => {
    releaseRange();
    const result = await run(
      { "customer-comm-url": "https://status.blockbuilders.io/1-5-0" },
      { workspace: workspace({ ".github/release-notes.yml": CONFIG }) },
    );

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      version: "1.5.0",
      "previous-version": "1.4.2",
      "pull-requests": "5",
      // 2 branch commits + merge, 1 squash, 2 rebased, bot squash, migration squash, direct push.
      commits: "9",
      "release-id": "",
      "release-url": "",
    });
    const notes = result.outputs.notes;
    expect(readFileSync(result.outputs["notes-file"], "utf8")).toBe(notes);
    expect(notes).toMatch(/^## Release 1\.5\.0 – \d{4}-\d{2}-\d{2}\nRelease owner: @release-captain\n/);
    expect(notes).toContain("### Highlights\n- Order book depth chart (#21) by @grace\n");
    expect(notes).toContain("#### Trading API\n- Faster symbol lookups (#23) by @ada\n");
    expect(notes).toContain("#### Fixes\n- fix: fee rounding (#22) by @ada\n");
    expect(notes).toContain(
      "### Operational Notes\n- **Settlement ledger** (#25) [migration]\n  Run `alembic upgrade head` before the deploy.\n",
    );
    expect(notes).toContain(
      "### Rollback Plan\n- **fix: fee rounding** (#22)\n  Redeploy 1.4.2; fees are recomputed nightly.\n- **Order book depth chart** (#21)\n  Turn off `depth-chart`.\n",
    );
    expect(notes).toContain(
      "### Known Issues & Mitigations\n- **Order book depth chart** (#21)\n  The chart flickers on Safari 17; reload fixes it.\n",
    );
    expect(notes).toContain("### Commits without a pull request\n- hotfix: raise the order rate limit (");
    expect(notes).toContain("### Contributors\n@ada, @grace, @linus, @dependabot[bot]\n");
    expect(notes).toContain("Customer comm: https://status.blockbuilders.io/1-5-0");
    expect(notes).not.toContain("Before the tag");
    expect(result.summary).toContain("| pull requests | 5 |");

    // Tags and `to` in one query, the compare count, one page of merged PRs (which cannot account for the direct push
    // at the tip), then one page of history: nothing per commit or per PR.
    expect(graphqlRequests()).toBe(3);
    expect(world.github.requestsTo("GET", /\/compare\//)).toHaveLength(1);
    expect(world.github.requests).toHaveLength(4);
    const tip = world.model.head().slice(0, 7);
    expect(result.stdout).toContain(`Read by history walk: commit ${tip} was merged by no pull request into main.`);
    expect(result.summary).toContain(`| read by | history walk: commit ${tip} was merged by no pull request into main |`);
    expect(world.github.requests[0].headers.authorization).toBe(`token ${TOKEN}`);
    expect(result.visible).not.toContain(TOKEN);
  });

  it("creates one draft release, and updates that same draft on the second run", { timeout: 90_000 }, async () => {
    releaseRange();
    const first = await run({ "draft-release": "true" });
    expect(first.code).toBe(0);
    expect(world.github.releases).toHaveLength(1);
    const [draft] = world.github.releases;
    expect(draft).toMatchObject({ tag_name: "v1.5.0", name: "v1.5.0", draft: true, target_commitish: world.model.head() });
    expect(first.outputs["release-id"]).toBe(String(draft.id));
    expect(first.outputs["release-url"]).toBe(draft.html_url);
    expect(draft.body).toBe(first.outputs.notes);

    world.model.squashMerge(26, "fix: stop-loss trigger", { labels: ["bug"] });
    const second = await run({ "draft-release": "true" });
    expect(second.code).toBe(0);
    expect(world.github.releases).toHaveLength(1);
    expect(second.outputs["release-id"]).toBe(String(draft.id));
    expect(world.github.releases[0].body).toContain("fix: stop-loss trigger (#26)");
    expect(world.github.requestsTo("PATCH", `/repos/${REPOSITORY}/releases/${draft.id}`)).toHaveLength(1);
    expect(second.stdout).toContain(`Updated the draft release v1.5.0: ${draft.html_url}`);
    expect(second.visible).not.toContain(TOKEN);
  });

  it("reads 2,500 pull requests in ⌈2500/100⌉ + 5 requests and truncates the release body under 125,000 characters", {
    timeout: 180_000,
  }, async () => {
    world.model.commit("chore: initial import");
    world.model.tag("v3.0.0");
    for (let number = 1; number <= 2500; number++) {
      world.model.squashMerge(number, `Change ${number}: adjust the settlement report for venue ${number % 40}`, {
        labels: number % 10 === 0 ? ["feature"] : [],
      });
    }
    const result = await run({ "draft-release": "true" }, { timeoutMs: 170_000 });

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ version: "3.1.0", "pull-requests": "2500", commits: "2500" });
    expect(world.github.requests.length).toBeLessThanOrEqual(Math.ceil(2500 / 100) + 5);
    expect(graphqlRequests()).toBe(26);
    const full = readFileSync(result.outputs["notes-file"], "utf8");
    expect(full.length).toBeGreaterThan(125_000);
    for (const number of [1, 1250, 2500]) expect(full).toContain(`(#${number}) by @ada`);
    const body = world.github.releases[0].body as string;
    expect(body.length).toBeLessThanOrEqual(125_000);
    expect(body).toBe(result.outputs.notes);
    expect(body).toMatch(/> \*\*Truncated:\*\* \d+ of \d+ entries were left out/);
    expect(body).toContain(`[compare view](https://github.com/${REPOSITORY}/compare/v3.0.0...${world.model.head()})`);
    expect(result.stdout).toMatch(/::warning::The notes exceed GitHub's release body limit; \d+ entries were left out/);
  });

  it.each([
    ["merge", 3, 4],
    ["rebase", 3, 3],
  ] as const)(
    "reads 2,500 pull requests merged in %s style with %i commits each (%i per PR on main) in ⌈2500/100⌉ + 5 requests, their commits included",
    {
      timeout: 180_000,
    },
    async (style, count, perPull) => {
      world.model.commit("chore: initial import");
      world.model.tag("v3.0.0");
      for (let number = 1; number <= 2500; number++) {
        const title = `Change ${number}: adjust the settlement report`;
        const pull = style === "merge" ? world.model.mergeCommit(number, title, count) : world.model.rebaseMerge(number, title, count);
        // Commented on after the merge: listed ahead of later merges, so the walk waits for the pages it needs.
        if (number % 7 === 0) pull.updatedAt = new Date(Date.parse("2026-11-30T00:00:00Z") + number * 1000).toISOString();
        if (number !== 1234) continue;
        // A breaking change said only in the body of one of the PR's commits, not in its title or labels.
        const breaking = "refactor: ledger ids\n\nBREAKING CHANGE: integer ids are gone.";
        for (const oid of [pull.branchCommits[1], pull.commits[1]])
          (world.model.commits.get(oid) as { message: string }).message = breaking;
      }
      const result = await run({}, { timeoutMs: 170_000 });

      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const commits = 2500 * perPull;
      expect(result.outputs).toMatchObject({ version: "4.0.0", "pull-requests": "2500", commits: String(commits) });
      expect(world.github.requests.length).toBeLessThanOrEqual(Math.ceil(2500 / 100) + 5);
      // One query for the ends of the range, then 25 pages of merged pull requests; no history walk.
      expect(graphqlRequests()).toBe(26);
      const readBy = `merged pull requests: the 2,500 pull requests merged into main (2,500 ${style}) account for all ${commits.toLocaleString("en-US")} commits of the range`;
      expect(result.summary).toContain(`| read by | ${readBy} |`);
      const full = readFileSync(result.outputs["notes-file"], "utf8");
      for (const number of [1, 1250, 2500]) expect(full).toContain(`Change ${number}: adjust the settlement report (#${number}) by @ada`);
    },
  );

  it("reads a mix of merge, squash and rebase pull requests from the merged list when they account for every commit", {
    timeout: 60_000,
  }, async () => {
    world.model.commit("chore: initial import");
    world.model.squashMerge(30, "Before the tag");
    world.model.tag("v2.3.0");
    world.model.mergeCommit(31, "Margin calls", 2, { labels: ["feature"] });
    world.model.squashMerge(32, "fix: fee rounding");
    world.model.rebaseMerge(33, "Faster symbol lookups", 3);
    world.model.squashMerge(34, "docs: runbook");
    world.model.rebaseMerge(35, "Ledger export", 2);
    // A PR merged long before the tag but commented on since: listed, and left out.
    world.model.pulls[0].updatedAt = new Date().toISOString();
    // On a tag push there is no branch in the ref: the repository's default branch is listed.
    const result = await run({}, { ref: "refs/tags/v2.4.0" });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // 2 branch commits + merge, 1 squash, 3 rebased, 1 squash, 2 rebased.
    expect(result.outputs).toMatchObject({ version: "2.4.0", "pull-requests": "5", commits: "10" });
    expect(result.summary).toContain(
      "| read by | merged pull requests: the 5 pull requests merged into main (1 merge, 2 squash, 2 rebase) account for all 10 commits of the range |",
    );
    expect(result.outputs.notes).not.toContain("Before the tag");
    expect(result.outputs.notes).toContain("- Ledger export (#35) by @ada\n");
    expect(result.outputs.notes).not.toContain("### Commits without a pull request\n-");
    expect(graphqlRequests()).toBe(2);

    // A branch no pull request was merged into proves nothing, so the history walk reads the same notes.
    const walked = await run({}, { ref: "refs/heads/hotfix/2.3" });
    expect(walked.code).toBe(0);
    expect(walked.summary).toContain(
      `| read by | history walk: commit ${world.model.head().slice(0, 7)} was merged by no pull request into hotfix/2.3 |`,
    );
    expect(walked.outputs.notes).toBe(result.outputs.notes);
    expect(walked.outputs.commits).toBe("10");
  });

  it("says which pull requests had more changed files than the one page read", { timeout: 60_000 }, async () => {
    world.model.commit("chore: initial import");
    world.model.tag("v2.3.0");
    const files = Array.from({ length: 130 }, (_, index) => `services/api/handler-${index}.py`);
    world.model.squashMerge(40, "fix: handlers", { files });
    world.model.squashMerge(41, "fix: one handler", { files: files.slice(0, 1) });
    const result = await run({}, { workspace: workspace({ ".github/release-notes.yml": CONFIG }) });

    expect(result.code).toBe(0);
    expect(result.outputs.notes).toContain("#### Trading API\n- fix: one handler (#41) by @ada\n- fix: handlers (#40) by @ada\n");
    expect(result.stdout).toContain(
      "::warning::1 pull requests have more labels or changed files than one page of 100, and only the first 100 were read: #40 (changed files: 100 of 130).",
    );
  });

  it("falls back to the history walk when a direct push sits between merged pull requests, and lists it", {
    timeout: 60_000,
  }, async () => {
    world.model.commit("chore: initial import");
    world.model.tag("v2.3.0");
    world.model.mergeCommit(31, "Margin calls", 2);
    world.model.rebaseMerge(33, "Faster symbol lookups", 3);
    const push = world.model.commit("hotfix: raise the order rate limit", { author: "Linus Ops", login: "linus" });
    world.model.rebaseMerge(35, "Ledger export", 2);
    world.model.squashMerge(36, "fix: fee rounding");
    const result = await run({});

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ "pull-requests": "4", commits: "10" });
    expect(result.outputs.notes).toContain(
      `### Commits without a pull request\n- hotfix: raise the order rate limit (${push.slice(0, 7)}) by @linus\n`,
    );
    expect(result.summary).toContain(
      "| read by | history walk: the range has 10 commits but the pull requests merged into main account for 9 |",
    );
    // The ends, one page of merged pull requests, one page of history.
    expect(graphqlRequests()).toBe(3);
  });

  it("waits out a secondary rate limit answered with retry-after, then finishes", { timeout: 90_000 }, async () => {
    releaseRange();
    world.github.inject({
      // The listing of merged pull requests: the fast path goes through the same throttled client.
      match: (request) => request.path === "/graphql" && request.json?.query?.includes("pullRequests("),
      status: 403,
      headers: { "retry-after": "1" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        documentation_url: "https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits",
      },
    });
    const result = await run({});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/::warning::GitHub secondary rate limit on POST http:\/\/127\.0\.0\.1:\d+\/graphql; retrying in 1s\./);
    expect(result.outputs["pull-requests"]).toBe("5");
    expect(graphqlRequests()).toBe(4);
    expect(world.github.requestsTo("POST", "/graphql")[1].json.query).toContain("pullRequests(");
    expect(result.visible).not.toContain(TOKEN);
  });

  it("retries a 502 on GraphQL, and ends in one readable line when the token cannot write releases", { timeout: 90_000 }, async () => {
    releaseRange();
    world.github.inject({ match: "POST /graphql", status: 502, body: { message: "Server Error" } });
    world.github.readOnly = true;
    const result = await run({ "draft-release": "true" });
    expect(result.code).toBe(1);
    expect(graphqlRequests()).toBe(4);
    const errors = result.annotations.filter((annotation) => annotation.level === "error");
    expect(errors.map((error) => error.message)).toEqual([
      "GitHub refused to create the draft release v1.5.0 (403): Resource not accessible by integration.",
    ]);
    expect(world.github.releases).toHaveLength(0);
    expect(result.visible).not.toContain(TOKEN);
  });

  it("refuses to touch a version that is already published", { timeout: 60_000 }, async () => {
    releaseRange();
    world.github.releases.push({
      id: 77,
      tag_name: "v1.5.0",
      target_commitish: "main",
      name: "v1.5.0",
      body: "shipped",
      draft: false,
      prerelease: false,
      html_url: "https://github.com/blockbuilders/platform/releases/tag/v1.5.0",
      created_at: "2026-11-30T10:00:00Z",
    });
    const result = await run({ "draft-release": "true" });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "::error::Version tag v1.5.0 is already published as a release (https://github.com/blockbuilders/platform/releases/tag/v1.5.0); set a greater version.",
    );
    expect(world.github.releases).toHaveLength(1);
    expect(world.github.releases[0].body).toBe("shipped");
  });

  it("refuses bad input in one line before writing anything", { timeout: 90_000 }, async () => {
    releaseRange();
    world.model.commit("fix: on a branch", { branch: "release/1.4", parents: [world.model.tags.get("v1.4.2")?.commit as string] });
    world.model.tag("v1.4.3", world.model.head("release/1.4"));

    const cases: Array<[Record<string, string>, string, Record<string, string>?]> = [
      [{ from: "v9.9.9", "draft-release": "true" }, `Input 'from' got "v9.9.9"; there is no such tag in ${REPOSITORY}.`],
      [
        { from: "v1.4.3", "draft-release": "true" },
        /Input 'from': tag 'v1\.4\.3' \([0-9a-f]{7}\) is not an ancestor of '[0-9a-f]{40}' \([0-9a-f]{7}\)\./.source,
      ],
      [{ version: "1.4.0", "draft-release": "true" }, `Input 'version' got "1.4.0"; it must be greater than 1.4.2, the version of v1.4.2.`],
      [{ version: "v1.x", "draft-release": "true" }, `Input 'version' got "v1.x"; expected a SemVer version such as 1.4.0.`],
      [{ template: "notes.md" }, "notes.md:3:4: unknown placeholder {{owner}};", { "notes.md": "# {{version}}\n\nBy {{owner}}\n" }],
      [
        { config: ".github/release-notes.yml" },
        ".github/release-notes.yml:2:5: unknown field 'name' in categories.0;",
        { ".github/release-notes.yml": "categories:\n  - name: Web\n" },
      ],
    ];
    for (const [inputs, message, files] of cases) {
      const result = await run(inputs, { workspace: workspace(files) });
      expect(result.code, JSON.stringify(inputs)).toBe(1);
      const errors = result.annotations.filter((annotation) => annotation.level === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(new RegExp(message.startsWith("Input 'from': tag") ? message : escapeRegExp(message)));
      expect(result.stdout).not.toMatch(/\n\s+at /);
      expect(result.stderr).toBe("");
      expect(result.visible).not.toContain(TOKEN);
    }
    expect(world.github.releases).toHaveLength(0);
    expect(world.github.requestsTo("POST", /releases/)).toHaveLength(0);
  });
});

describe("release-notes action in git mode", () => {
  it("works offline from a real repository: PR numbers from merge and squash messages, other commits as they are", {
    timeout: 60_000,
  }, async () => {
    const repo = new GitRepo();
    repo.commit("chore: start");
    repo.tag("v0.9.0");
    repo.mergePullRequest(3, "Strategy backtests", [{ message: "feat: backtests" }]);
    repo.squashPullRequest(4, "fix: chart axis", { body: "## Known issues\nAxis labels overlap below 320px." });
    repo.commit("docs: changelog");
    const result = await runStep("release-notes", {
      workspace: repo.dir,
      inputs: { source: "git", "github-token": TOKEN },
      // Nothing reachable: git mode must not need GitHub.
      env: { GITHUB_API_URL: "http://127.0.0.1:9", GITHUB_GRAPHQL_URL: "http://127.0.0.1:9/graphql" },
      sha: repo.head(),
      actor: "release-captain",
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ version: "0.10.0", "previous-version": "0.9.0", "pull-requests": "2", commits: "4" });
    expect(result.outputs.notes).toContain("- Strategy backtests (#3) by Ada Lovelace");
    expect(result.outputs.notes).toContain(
      "### Known Issues & Mitigations\n- **fix: chart axis** (#4)\n  Axis labels overlap below 320px.",
    );
    expect(result.outputs.notes).toContain("### Commits without a pull request\n- docs: changelog (");
    expect(result.visible).not.toContain(TOKEN);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
