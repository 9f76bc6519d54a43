import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CheckAnnotation, MAX_CHECK_ANNOTATIONS, publishCheckRun } from "../../src/lib/check-run.js";
import { createGitHubClient } from "../../src/lib/github.js";
import { consoleLogger, type Logger } from "../../src/lib/logger.js";
import { GitHubFake } from "../fakes/github.js";

const TARGET = { owner: "blockbuilders", repo: "platform", headSha: "abc1234def5678abc1234def5678abc1234def56", name: "quality-gate" };

function failures(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, index) => ({
    path: `test/t${index}.test.ts`,
    startLine: index + 1,
    level: "failure",
    title: `Failed: t${index}`,
    message: "boom",
  }));
}

let github: GitHubFake;
let lines: string[];
let logger: Logger;
beforeEach(async () => {
  github = await new GitHubFake().start();
  lines = [];
  logger = consoleLogger({ write: (line) => lines.push(line) });
});
afterEach(async () => {
  await github.stop();
});

const client = () => createGitHubClient({ token: "test-token", baseUrl: github.url, maxRateLimitRetries: 0 });

describe("publishing the check run", () => {
  it("keeps summary and text under 65,535 characters each", async () => {
    const huge = `${"| row | with | cells |\n".repeat(10_000)}`;
    const result = await publishCheckRun(
      client(),
      TARGET,
      { conclusion: "failure", title: "t", summary: huge, text: huge, annotations: [] },
      logger,
    );
    expect(result.published).toBe(true);
    const output = github.checkRuns[0].output!;
    expect(output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(output.text!.length).toBeLessThanOrEqual(65_535);
    expect(output.summary).toContain("truncated to stay within GitHub's size limit");
  });

  it(`stops at a cap (${MAX_CHECK_ANNOTATIONS} by default) and says so`, async () => {
    // The throttling plugin spaces writes a second apart, so the test uses a small cap.
    const result = await publishCheckRun(
      client(),
      TARGET,
      { conclusion: "failure", title: "t", summary: "s", text: "", annotations: failures(234) },
      logger,
      100,
    );
    expect(result).toMatchObject({ published: true, annotationsSent: 100, note: "The check run shows the first 100 of 234 annotations." });
    expect(github.checkRuns[0].annotations).toHaveLength(100);
    expect(github.requestsTo("PATCH", /check-runs/)).toHaveLength(1);
  });

  it("warns instead of throwing when the token cannot write checks", async () => {
    github.readOnly = true;
    const result = await publishCheckRun(
      client(),
      TARGET,
      { conclusion: "success", title: "t", summary: "s", text: "", annotations: failures(3) },
      logger,
    );
    expect(result).toMatchObject({ published: false, annotationsSent: 0 });
    expect(result.note).toContain("HTTP 403: Resource not accessible by integration");
    expect(lines.join("\n")).toContain("warning: Could not publish the 'quality-gate' check run");
  });

  it("reports a rejected update in GitHub's own words, after what was already sent", async () => {
    github.inject({
      match: "PATCH /repos/:owner/:repo/check-runs/:id",
      status: 422,
      body: { message: "Validation Failed", errors: [{ message: "Invalid annotation path" }] },
    });
    const result = await publishCheckRun(
      client(),
      TARGET,
      { conclusion: "failure", title: "t", summary: "s", text: "", annotations: failures(60) },
      logger,
    );
    expect(result).toMatchObject({ published: false, annotationsSent: 50 });
    expect(result.note).toBe(
      "Publishing the 'quality-gate' check run failed after 50 annotations (HTTP 422: Validation Failed: Invalid annotation path). Results are in this summary and the step's annotations.",
    );
  });
});
