import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubFake } from "../fakes/github.js";
import { startStep } from "../harness/run-bundle.js";
import { until } from "../support/wait.js";
import { GOOD_BODY, PR, prEvent, setPull, TOKEN, workspace } from "./world.js";

const PULL = `/repos/blockbuilders/platform/pulls/${PR}`;

describe("compliance bundle: cancellation", () => {
  let github: GitHubFake;
  beforeEach(async () => {
    github = await new GitHubFake().start();
  });
  afterEach(() => github.stop());

  it("stops at a cancel while GitHub is slow, with the cancel as the error and nothing written", async () => {
    setPull(github, GOOD_BODY, []);
    github.inject({ match: `GET ${PULL}`, delayMs: 30_000 });
    const step = startStep("compliance", "main", {
      workspace: workspace(),
      eventName: "pull_request",
      event: prEvent(),
      githubToken: TOKEN,
      env: { GITHUB_API_URL: github.url },
    });
    await until(() => github.requestsTo("GET", PULL).length > 0, "the slow pull request read");
    step.child.kill("SIGINT");
    const result = await step.result;

    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toBe("The job was cancelled (SIGINT).");
    expect(github.requestsTo("GET", PULL)).toHaveLength(1);
    expect(github.requests.filter((request) => request.method !== "GET")).toEqual([]);
  });
});
