import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../../src/lib/github.js";
import { silentLogger } from "../../src/lib/logger.js";
import { readApiChanges, resolveApiRange } from "../../src/release-notes/api-source.js";
import { fakeRepository } from "./fake-repository.js";

const world = fakeRepository();

const client = () => createGitHubClient({ token: "ghs_test", baseUrl: world.github.url, logger: silentLogger });
const repository = { owner: "blockbuilders", repo: "platform" };

describe("the GraphQL side of the GitHub fake", () => {
  it("refuses a page over 100 and a connection without `first`, as GitHub does", () => {
    world.model.commit("chore: one");
    const history = (first: string) =>
      world.model.handler(
        `query($oid: GitObjectID!) { repository(owner: "blockbuilders", name: "platform") { object(oid: $oid) { ... on Commit { history${first} { nodes { oid } } } } } }`,
        {
          oid: world.model.head(),
        },
      ) as { data: unknown; errors?: Array<{ type: string; message: string }> };
    expect(history("(first: 101)").errors).toEqual([
      expect.objectContaining({
        type: "EXCESSIVE_PAGINATION",
        message: "Requesting 101 records on the `history` connection exceeds the `first` limit of 100 records.",
      }),
    ]);
    expect(history("").errors?.[0]).toMatchObject({
      type: "MISSING_PAGINATION_BOUNDARIES",
      message: "You must provide a `first` or `last` value to properly paginate the `history` connection.",
    });
    expect(
      (
        world.model.handler('{ repository(owner: "blockbuilders", name: "platform") { nope } }', {}) as {
          errors: Array<{ message: string }>;
        }
      ).errors[0].message,
    ).toContain('Cannot query field "nope"');
  });

  it("pages history by cursor, children before parents, and holds a query to 500,000 nodes", () => {
    for (let index = 0; index < 250; index++) world.model.commit(`fix: ${index}`);
    const query = `query($oid: GitObjectID!, $after: String) { repository(owner: "blockbuilders", name: "platform") { object(oid: $oid) { ... on Commit { history(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { messageHeadline } } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const answer = world.model.handler(query, { oid: world.model.head(), after }) as any;
      const history = answer.data.repository.object.history;
      seen.push(...history.nodes.map((node: { messageHeadline: string }) => node.messageHeadline));
      after = history.pageInfo.hasNextPage ? history.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(seen[0]).toBe("fix: 249");
    expect(seen[249]).toBe("fix: 0");
    const huge = world.model.handler(
      `{ repository(owner: "blockbuilders", name: "platform") { refs(refPrefix: "refs/tags/", first: 100) { nodes { target { ... on Commit { history(first: 100) { nodes { associatedPullRequests(first: 100) { nodes { number } } } } } } } } } }`,
      {},
    ) as { errors: Array<{ type: string }> };
    expect(huge.errors[0].type).toBe("MAX_NODE_LIMIT_EXCEEDED");
  });
});

describe("the API source", () => {
  it("counts a PR branch started before the tag and merged after it, and nothing the tag already had", async () => {
    world.model.commit("chore: start");
    // The branch forks here, before the release…
    world.model.heads.set("feature-7", world.model.head());
    const early = world.model.commit("feat: started early", { branch: "feature-7" });
    world.model.squashMerge(5, "fix: released already");
    world.model.tag("v2.0.0");
    const late = world.model.commit("feat: finished later", { branch: "feature-7" });
    const merge = world.model.commit("Merge pull request #7 from blockbuilders/feature-7\n\nLong-running feature", {
      parents: [world.model.head(), world.model.head("feature-7")],
    });
    world.model.pulls.push({
      number: 7,
      title: "Long-running feature",
      body: "",
      merged: true,
      baseRefName: "main",
      mergeCommit: merge,
      author: { login: "ada", type: "User" },
      labels: [],
      files: [],
      commits: [early, late, merge],
      branchCommits: [early, late],
      mergedAt: world.model.commits.get(merge)?.committedDate,
      updatedAt: world.model.commits.get(merge)?.committedDate as string,
    });
    world.model.commit("docs: after the merge");

    const api = client();
    const range = await resolveApiRange(api, repository, { to: world.model.head(), tagPrefix: "v" });
    expect(range).toMatchObject({ fromTag: "v2.0.0", commitsInRange: 4 });
    const changes = await readApiChanges(api, repository, range, { withFiles: false });
    expect(changes.pullRequests.map((pull) => [pull.number, pull.commits.length])).toEqual([[7, 3]]);
    expect(changes.loneCommits.map((commit) => commit.subject)).toEqual(["docs: after the merge"]);
    expect(changes.commitCount).toBe(4);
  });

  it("tells a squash of several commits from a rebase, and walks the history past a PR of more than 100 commits", async () => {
    world.model.commit("chore: start");
    world.model.tag("v2.0.0");
    world.model.squashMerge(8, "Order book v2", { count: 3 });
    world.model.rebaseMerge(9, "Symbol cache", 3);
    const api = client();
    let range = await resolveApiRange(api, repository, { to: world.model.head(), tagPrefix: "v" });
    let changes = await readApiChanges(api, repository, range, { withFiles: false });
    expect(changes.readBy).toBe(
      "merged pull requests: the 2 pull requests merged into main (1 squash, 1 rebase) account for all 4 commits of the range",
    );
    expect(changes.pullRequests.map((pull) => [pull.number, pull.commits.map((commit) => commit.subject)])).toEqual([
      [9, ["Symbol cache: part 1", "Symbol cache: part 2", "Symbol cache: part 3"]],
      [8, ["Order book v2 (#8)"]],
    ]);

    world.model.mergeCommit(10, "Vendored charts", 101);
    range = await resolveApiRange(api, repository, { to: world.model.head(), tagPrefix: "v" });
    changes = await readApiChanges(api, repository, range, { withFiles: false });
    expect(changes.readBy).toBe("history walk: pull request #10 has 101 commits, more than one page of 100");
    expect(changes.pullRequests.map((pull) => [pull.number, pull.commits.length])).toEqual([
      [10, 102],
      [9, 3],
      [8, 1],
    ]);
    expect(changes.commitCount).toBe(106);
  });

  it("gives up on the merged list after one page when the tip is a direct push, then walks the history", async () => {
    world.model.commit("chore: start");
    world.model.tag("v2.0.0");
    for (let number = 1; number <= 300; number++) world.model.squashMerge(number, `fix: ${number}`);
    world.model.commit("hotfix: straight to main");
    const api = client();
    const range = await resolveApiRange(api, repository, { to: world.model.head(), tagPrefix: "v" });
    const changes = await readApiChanges(api, repository, range, { withFiles: false });
    expect(changes.readBy).toBe(`history walk: commit ${world.model.head().slice(0, 7)} was merged by no pull request into main`);
    expect(changes.loneCommits.map((commit) => commit.subject)).toEqual(["hotfix: straight to main"]);
    expect(changes.pullRequests).toHaveLength(300);
    const asked = world.model.queries.map((entry) =>
      entry.query.includes("pullRequests(") ? "pulls" : entry.query.includes("history(") ? "history" : "range",
    );
    expect(asked).toEqual(["range", "pulls", "history", "history", "history", "history"]);
  });

  it("lists pull requests by base branch and state, ordered by last update, at most 100 a page", () => {
    world.model.commit("chore: start");
    for (let number = 1; number <= 3; number++) world.model.squashMerge(number, `fix: ${number}`);
    world.model.squashMerge(4, "fix: on a release branch", { baseRefName: "release/1.x" });
    world.model.pulls[0].updatedAt = "2026-12-01T00:00:00Z";
    world.model.pulls.push({ ...world.model.pulls[1], number: 5, merged: false, mergedAt: undefined });
    const list = (first: number, states = "[MERGED]") =>
      world.model.handler(
        `{ repository(owner: "blockbuilders", name: "platform") { pullRequests(baseRefName: "main", states: ${states}, orderBy: {field: UPDATED_AT, direction: DESC}, first: ${first}) { totalCount nodes { number mergedAt commits(first: 10) { totalCount } } } } }`,
        {},
      ) as any;
    const merged = list(100).data.repository.pullRequests;
    expect(merged.nodes.map((node: { number: number }) => node.number)).toEqual([1, 3, 2]);
    expect(merged.nodes[0]).toMatchObject({ mergedAt: world.model.pulls[0].mergedAt, commits: { totalCount: 1 } });
    expect(list(100, "[CLOSED]").data.repository.pullRequests.nodes).toEqual([{ number: 5, mergedAt: null, commits: { totalCount: 1 } }]);
    expect(list(101).errors[0]).toMatchObject({
      type: "EXCESSIVE_PAGINATION",
      message: "Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records.",
    });
  });

  it("resolves an annotated release tag as `to` to its commit, and the previous tag as `from`", async () => {
    world.model.commit("chore: start");
    world.model.tag("v1.0.0", world.model.head(), true);
    world.model.squashMerge(3, "fix: one");
    const head = world.model.head();
    world.model.tag("v1.0.1", head, true);
    const range = await resolveApiRange(client(), repository, { to: "v1.0.1", tagPrefix: "v" });
    expect(range).toMatchObject({ fromTag: "v1.0.0", toSha: head, commitsInRange: 1 });
  });
});
