import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient, isPermissionDenied } from "../../src/lib/github.js";
import { GitHubFake } from "../fakes/github.js";

describe("GitHub client factory", () => {
  const github = new GitHubFake();
  beforeAll(async () => {
    await github.start();
    for (let index = 0; index < 75; index++)
      github.comments.push({ id: index + 1, issue_number: 3, body: `comment ${index}`, user: { login: "someone", type: "User" } });
  });
  afterAll(() => github.stop());

  it("honours GITHUB_API_URL and follows pagination across pages", async () => {
    const client = createGitHubClient({ token: "ghs_test", env: { GITHUB_API_URL: github.url } });
    const comments = await client.paginate(client.rest.issues.listComments, { owner: "o", repo: "r", issue_number: 3, per_page: 30 });
    expect(comments).toHaveLength(75);
    expect(github.requestsTo("GET", "/repos/o/r/issues/3/comments")).toHaveLength(3);
    expect(github.requests[0].headers.authorization).toBe("token ghs_test");
  });

  it("sends GraphQL to GITHUB_GRAPHQL_URL", async () => {
    const client = createGitHubClient({
      token: "ghs_test",
      env: { GITHUB_API_URL: `${github.url}/api/v3`, GITHUB_GRAPHQL_URL: `${github.url}/graphql` },
    });
    const result = await client.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    expect(result.viewer.login).toBe("github-actions[bot]");
    expect(github.requestsTo("POST", "/graphql")).toHaveLength(1);
  });

  it("retries a 5xx and then succeeds", async () => {
    github.inject({ match: "GET /repos/o/r/pulls/5", status: 502, body: { message: "Bad Gateway" } });
    github.pulls.set(5, { number: 5, body: "PR body" });
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url });
    const { data } = await client.rest.pulls.get({ owner: "o", repo: "r", pull_number: 5 });
    expect(data.body).toBe("PR body");
    expect(github.requestsTo("GET", "/repos/o/r/pulls/5")).toHaveLength(2);
  });

  it("is answered 422 by the fake, as by GitHub, for an annotation without a path or level", async () => {
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url });
    const failure = await client.rest.checks
      .create({
        owner: "o",
        repo: "r",
        name: "quality-gate",
        head_sha: "abc",
        output: { title: "t", summary: "s", annotations: [{ start_line: 1, end_line: 1, message: "m" } as never] },
      })
      .catch((error: { status?: number }) => error);
    expect((failure as { status?: number }).status).toBe(422);
  });

  it("recognises the 403 a read-only token gets on writes", async () => {
    github.readOnly = true;
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url });
    const failure = await client.rest.checks
      .create({ owner: "o", repo: "r", name: "quality-gate", head_sha: "abc" })
      .catch((error: unknown) => error);
    github.readOnly = false;
    expect(isPermissionDenied(failure)).toBe(true);
  });
});
