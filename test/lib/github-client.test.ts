import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError, RemoteError } from "../../src/lib/errors.js";
import { createGitHubClient, isPermissionDenied } from "../../src/lib/github.js";
import { GitHubFake } from "../fakes/github.js";
import { until } from "../support/wait.js";

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

  it("ends a request to a hung endpoint at its deadline with a RemoteError, without retrying it", async () => {
    github.inject({ match: "GET /repos/o/r/pulls/9", delayMs: 30_000, body: { number: 9 } });
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url, requestTimeoutMs: 300 });
    const failure = await client.rest.pulls.get({ owner: "o", repo: "r", pull_number: 9 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteError);
    expect((failure as Error).message).toBe("GitHub did not answer GET /repos/o/r/pulls/9 within 300ms.");
    expect(github.requestsTo("GET", "/repos/o/r/pulls/9")).toHaveLength(1);
  });

  it("ends a response whose body stalls at the deadline, instead of handing back empty data", async () => {
    const stalling = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"number": 10, "body": "');
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
      const client = createGitHubClient({ token: "ghs_test", baseUrl, requestTimeoutMs: 300 });
      const failure = await client.rest.pulls.get({ owner: "o", repo: "r", pull_number: 10 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RemoteError);
      expect((failure as Error).message).toBe("GitHub did not answer GET /repos/o/r/pulls/10 within 300ms.");
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it("stops a pending request when the job is cancelled, with the cancellation as the error, without retrying it", async () => {
    github.inject({ match: "GET /repos/o/r/pulls/11", delayMs: 30_000, body: { number: 11 } });
    const job = new AbortController();
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url, signal: job.signal });
    const pending = client.rest.pulls.get({ owner: "o", repo: "r", pull_number: 11 }).catch((error: unknown) => error);
    await until(() => github.requestsTo("GET", "/repos/o/r/pulls/11").length > 0, "the slow request");
    const cancelled = new CancelledError("The job was cancelled (SIGINT).");
    job.abort(cancelled);
    expect(await pending).toBe(cancelled);
    expect(github.requestsTo("GET", "/repos/o/r/pulls/11")).toHaveLength(1);
  });

  it("cancels the later pages of a paginated list too (Octokit's paginate drops a per-call request.signal)", async () => {
    github.inject({
      match: (request) => request.path === "/repos/o/r/issues/3/comments" && request.query.get("page") === "2",
      delayMs: 30_000,
    });
    const job = new AbortController();
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url, signal: job.signal });
    const before = github.requestsTo("GET", "/repos/o/r/issues/3/comments").length;
    const pending = client
      .paginate(client.rest.issues.listComments, { owner: "o", repo: "r", issue_number: 3, per_page: 30 })
      .catch((error: unknown) => error);
    await until(() => github.requestsTo("GET", "/repos/o/r/issues/3/comments").length === before + 2, "the second page");
    const cancelled = new CancelledError("The job was cancelled (SIGTERM).");
    job.abort(cancelled);
    expect(await pending).toBe(cancelled);
    expect(github.requestsTo("GET", "/repos/o/r/issues/3/comments")).toHaveLength(before + 2);
  });

  it("refuses to start a request once the job is cancelled", async () => {
    const job = new AbortController();
    const cancelled = new CancelledError("The job was cancelled (SIGINT).");
    job.abort(cancelled);
    const client = createGitHubClient({ token: "ghs_test", baseUrl: github.url, signal: job.signal });
    const before = github.requestsTo("GET", "/repos/o/r/pulls/5").length;
    expect(await client.rest.pulls.get({ owner: "o", repo: "r", pull_number: 5 }).catch((error: unknown) => error)).toBe(cancelled);
    expect(github.requestsTo("GET", "/repos/o/r/pulls/5")).toHaveLength(before);
  });
});
