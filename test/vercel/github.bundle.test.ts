import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubFake } from "../fakes/github.js";
import type { VercelFake } from "../fakes/vercel.js";
import { startStep } from "../harness/run-bundle.js";
import { deployStep, expectNoLeak, GITHUB_TOKEN, makeWorkspace, PLANTED_TOKEN, PR_EVENT, removeWorkspace, startFakes } from "./support.js";

const PR_RUN = { eventName: "pull_request", event: PR_EVENT, ref: "refs/pull/7/merge", env: { GITHUB_HEAD_REF: "feature/Login-Page_v2" } };

describe("vercel-deploy bundle: aliases, GitHub deployments and the PR comment", () => {
  let fakes: { vercel: VercelFake; github: GitHubFake };
  let workspace: string;

  beforeEach(async () => {
    fakes = await startFakes();
    workspace = makeWorkspace({ "static/index.html": "<h1>hi</h1>", "static/app.js": "run()" });
  });

  afterEach(async () => {
    await fakes.vercel.stop();
    await fakes.github.stop();
    removeWorkspace(workspace);
  });

  it("renders {{branch}}, {{pr}} and {{sha}} and assigns every alias after READY", async () => {
    const alias = [
      "{{branch}}.preview.blockbuilders.dev",
      "pr-{{pr}}.preview.blockbuilders.dev",
      "web-{{sha}}.preview.blockbuilders.dev",
    ].join("\n");
    const result = await deployStep(fakes, workspace, { alias, "github-comment": "false" }, PR_RUN);
    expect(result.code).toBe(0);
    const id = result.outputs["deployment-id"];
    expect(Object.fromEntries(fakes.vercel.aliases)).toEqual({
      "feature-login-page-v2.preview.blockbuilders.dev": id,
      "pr-7.preview.blockbuilders.dev": id,
      "web-feedfac.preview.blockbuilders.dev": id,
    });
    expect(result.outputs.aliases.split("\n")).toEqual([
      "https://feature-login-page-v2.preview.blockbuilders.dev",
      "https://pr-7.preview.blockbuilders.dev",
      "https://web-feedfac.preview.blockbuilders.dev",
    ]);
    const aliasCalls = fakes.vercel.requestsTo("POST", `/v2/deployments/${id}/aliases`);
    const readyPoll = fakes.vercel.requestsTo("GET", `/v13/deployments/${id}`).at(-1)!;
    expect(aliasCalls.every((call) => call.at >= readyPoll.at)).toBe(true);
  });

  it("skips a {{pr}} alias outside pull requests and fails on an unknown placeholder", async () => {
    const push = await deployStep(fakes, workspace, { alias: "pr-{{pr}}.x.dev\n{{branch}}.x.dev" });
    expect(push.code).toBe(0);
    expect([...fakes.vercel.aliases.keys()]).toEqual(["main.x.dev"]);
    const bad = await deployStep(fakes, workspace, { alias: "ok.x.dev\n{{user}}.x.dev" });
    expect(bad.code).toBe(1);
    expect(bad.annotations.find((annotation) => annotation.level === "error")?.message).toBe(
      "Input 'alias' line 2, column 1: unknown placeholder {{user}}; use {{branch}}, {{pr}} or {{sha}}.",
    );
  });

  it("fails the step when a requested alias cannot be assigned, after assigning the others", async () => {
    fakes.vercel.takenAliases.add("taken.blockbuilders.dev");
    fakes.vercel.inject({
      match: (request) => request.json?.alias === "flaky.blockbuilders.dev",
      status: 502,
      body: { error: { code: "bad_gateway", message: "Bad gateway" } },
    });
    const result = await deployStep(fakes, workspace, { alias: "taken.blockbuilders.dev\nflaky.blockbuilders.dev\nok.blockbuilders.dev" });
    expect(result.code).toBe(1);
    expect([...fakes.vercel.aliases.keys()].sort()).toEqual(["flaky.blockbuilders.dev", "ok.blockbuilders.dev"]);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /Could not assign 1 of 3 aliases: Vercel refused to assign alias taken\.blockbuilders\.dev \(HTTP 409 alias_in_use/,
    );
    expect(result.outputs.state).toBe("READY");
    const statuses = fakes.github.deployments[0].statuses.map((status) => status.state);
    expect(statuses.at(-1)).toBe("failure");
  });

  it("records the GitHub deployment statuses in order, with the environment URL and the inspector as log", async () => {
    const result = await deployStep(fakes, workspace, { target: "production", alias: "app.blockbuilders.dev" });
    expect(result.code).toBe(0);
    expect(fakes.github.deployments).toHaveLength(1);
    const [deployment] = fakes.github.deployments;
    expect(deployment.environment).toBe("production");
    expect(deployment.ref).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(deployment.statuses.map((status) => status.state)).toEqual(["in_progress", "in_progress", "success"]);
    const final = deployment.statuses.at(-1)!;
    expect(final.environment_url).toBe("https://app.blockbuilders.dev");
    expect(final.log_url).toBe(result.outputs["inspector-url"]);
    expect(deployment.statuses[1].log_url).toBe(result.outputs["inspector-url"]);
    const created = fakes.github.requestsTo("POST", "/repos/blockbuilders/platform/deployments")[0];
    expect(created.headers.authorization).toBe(`token ${GITHUB_TOKEN}`);
    expectNoLeak(result);
  });

  it("keeps one sticky PR comment, found across pages and updated in place on the second run", async () => {
    for (let index = 0; index < 120; index++) {
      fakes.github.comments.push({
        id: index + 1,
        issue_number: 7,
        body: `review note ${index}`,
        user: { login: "reviewer", type: "User" },
      });
    }
    const first = await deployStep(fakes, workspace, {}, PR_RUN);
    expect(first.code).toBe(0);
    const ours = () =>
      fakes.github.comments.filter((comment) => comment.body.includes("<!-- launchpad:vercel-deploy project=prj_web target=preview -->"));
    expect(ours()).toHaveLength(1);
    expect(ours()[0].body).toContain(first.outputs.url);

    const second = await deployStep(fakes, workspace, {}, PR_RUN);
    expect(second.code).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0].body).toContain(second.outputs.url);
    expect(ours()[0].body).not.toContain(first.outputs.url);
    expect(fakes.github.requestsTo("PATCH", /^\/repos\/blockbuilders\/platform\/issues\/comments\/\d+$/)).toHaveLength(1);
    const listed = fakes.github.requestsTo("GET", "/repos/blockbuilders/platform/issues/7/comments");
    expect(listed.some((request) => request.query.get("page") === "2")).toBe(true);
    expect(fakes.github.comments).toHaveLength(121);
    expectNoLeak(second);
  });

  it("degrades to the job summary with a warning when the token is read-only (fork PR)", async () => {
    fakes.github.readOnly = true;
    const result = await deployStep(fakes, workspace, {}, PR_RUN);
    expect(result.code).toBe(0);
    // One attempt to create the deployment, refused with 403; after that no write is even tried (no statuses, no comment).
    const writes = fakes.github.requests.filter((request) => request.method !== "GET");
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /repos/blockbuilders/platform/deployments"]);
    const warnings = result.annotations.filter((annotation) => annotation.level === "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/may not create a GitHub deployment \(403: .*forks/);
    expect(result.summary).toContain(result.outputs.url);
    expect(result.summary).toContain("⚠️ The GitHub token may not");
    expectNoLeak(result);
  });

  it("on job cancel (SIGINT) stops, reports the last known state and marks the GitHub deployment failed", async () => {
    fakes.vercel.pollsToFinish = 1_000;
    const step = startStep("vercel-deploy", "main", {
      workspace,
      inputs: { token: PLANTED_TOKEN, "project-id": "prj_web", "api-url": fakes.vercel.url, "github-token": GITHUB_TOKEN },
      env: { GITHUB_API_URL: fakes.github.url, VERCEL_TEAM_ID: undefined },
    });
    await step.waitForOutput("Building…");
    step.child.kill("SIGINT");
    const result = await step.result;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.outputs.state).toBe("BUILDING");
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /^The job was cancelled \(SIGINT\)\. Last known state of deployment dpl_\w+: BUILDING\.$/,
    );
    expect(fakes.github.deployments[0].statuses.at(-1)?.state).toBe("failure");
    expectNoLeak(result);
  });
});
