import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, hasValidDigest } from "../../src/lib/audit-record.js";
import type { GitHubFake } from "../fakes/github.js";
import { LOOPBACK_GUARD_OPTION, REPO_ROOT, startStep } from "../harness/run-bundle.js";
import { expectSecretsHidden } from "../harness/secrets.js";
import { until } from "../support/wait.js";
import { approvalStep, environmentApproval, errorLine, HEAD_SHA, REPO, RUN_ID, review, SHA, startWorld, TOKEN, writes } from "./world.js";

const CREATE = `/repos/${REPO}/deployments`;

describe("approval bundle: counting approvals", () => {
  let github: GitHubFake;
  beforeEach(async () => {
    github = await startWorld();
  });
  afterEach(() => github.stop());

  it("counts N of M across the dispatch, the run's environment review and PR reviews, one person once, a team member included", async () => {
    // frank dispatches; alice approves the environment review AND the PR; dave (release-managers) approves the PR.
    github.runApprovals.set(RUN_ID, [environmentApproval("alice"), environmentApproval("zed", "staging")]);
    github.reviews.set(40, [
      review(1, "alice", "APPROVED"),
      review(2, "dave", "COMMENTED"),
      review(3, "dave", "APPROVED"),
      review(4, "alice", "COMMENTED"),
    ]);
    const result = await approvalStep(github, {
      approvers: "alice, frank\nblockbuilders/release-managers",
      "required-approvals": "3",
    });
    expect(errorLine(result)).toBeUndefined();
    expect(result.code).toBe(0);
    expect(result.outputs.approved).toBe("true");
    expect(result.outputs.approvers).toBe("frank,alice,dave");
    const record = JSON.parse(readFileSync(result.outputs.record, "utf8"));
    expect(record.approvers).toEqual([
      { login: "frank", channel: "dispatch", at: expect.any(String), via: "frank", pull: null },
      { login: "alice", channel: "environment-review", at: expect.any(String), via: "alice", pull: null },
      { login: "dave", channel: "pull-request-review", at: "2026-11-30T09:03:00Z", via: "blockbuilders/release-managers", pull: 40 },
    ]);
    // dave's team membership was checked through the memberships API.
    expect(github.requestsTo("GET", "/orgs/blockbuilders/teams/release-managers/memberships/dave")).toHaveLength(1);
    expect(result.summary).toContain(
      "| approvals (3 needed) | frank (dispatched the run, as frank), alice (environment review of this run, as alice), dave (review of #40, as blockbuilders/release-managers) | ✅ pass |",
    );
    expectSecretsHidden(result, [TOKEN]);
  });

  it("writes the audit record to the deployment payload, its description and the record file, sealed by its digest", async () => {
    github.reviews.set(40, [review(1, "alice", "APPROVED")]);
    const result = await approvalStep(github, { approvers: "alice\nfrank", "required-approvals": "2" });
    expect(result.code).toBe(0);
    const created = github.requestsTo("POST", CREATE);
    expect(created).toHaveLength(1);
    expect(created[0].headers.authorization).toBe(`token ${TOKEN}`);
    const body = created[0].json;
    expect(body).toMatchObject({ ref: SHA, environment: "production", auto_merge: false, required_contexts: [], task: "deploy:promote" });
    const record = JSON.parse(readFileSync(result.outputs.record, "utf8"));
    expect(body.payload).toEqual(record);
    expect(record).toEqual({
      schema: "launchpad/approval-record@1",
      repository: REPO,
      environment: "production",
      sha: SHA,
      version: null,
      initiator: "frank",
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      requiredApprovals: 2,
      approvers: [
        { login: "frank", channel: "dispatch", at: record.recordedAt, via: "frank", pull: null },
        { login: "alice", channel: "pull-request-review", at: "2026-11-30T09:01:00Z", via: "alice", pull: 40 },
      ],
      checks: [
        { name: "quality-gate", conclusion: "success", url: `https://github.com/${REPO}/runs/1`, at: null },
        { name: "compliance", conclusion: "success", url: `https://github.com/${REPO}/runs/2`, at: null },
      ],
      staging: { deploymentId: 500, status: "success", at: "2026-11-30T10:04:00Z" },
      changeTicket: "CHG-2041",
      runUrl: `https://github.com/${REPO}/actions/runs/${RUN_ID}`,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The digest is SHA-256 over the canonical JSON of every other field, computed here independently.
    const { digest, ...fields } = record;
    const { createHash } = await import("node:crypto");
    expect(digest).toBe(createHash("sha256").update(canonicalJson(fields)).digest("hex"));
    expect(hasValidDigest(record)).toBe(true);
    expect(result.outputs["record-digest"]).toBe(digest);
    expect(body.description).toContain(`sha256:${digest}`);
    expect(result.outputs["deployment-id"]).toBe(String(github.deployments.at(-1)!.id));
    expect(result.summary).toContain(`| digest (sha256) | ${digest} |`);
    expectSecretsHidden(result, [TOKEN]);
  });

  it("reads every page of a long review history and retries a 502 from GitHub", async () => {
    const chatter = Array.from({ length: 130 }, (_, index) => review(index + 10, `watcher-${index}`, "COMMENTED"));
    github.reviews.set(40, [...chatter, review(200, "alice", "APPROVED")]);
    github.inject({ match: `GET /repos/${REPO}/commits/${SHA}/check-runs`, status: 502, body: { message: "Server Error" } });
    const result = await approvalStep(github, { approvers: "alice" }, { actor: "nobody-in-particular" });
    expect(errorLine(result)).toBeUndefined();
    expect(result.outputs.approvers).toBe("alice");
    const pages = github.requestsTo("GET", `/repos/${REPO}/pulls/40/reviews`).map((request) => request.query.get("page") ?? "1");
    expect(pages).toEqual(["1", "2"]);
    expect(github.requestsTo("GET", `/repos/${REPO}/commits/${SHA}/check-runs`).length).toBe(3);
  });

  it("refuses self-approval: the author and the merger of the commit's pull request do not count", async () => {
    github.reviews.set(40, [review(1, "bob", "APPROVED")]);
    const inputs = { approvers: "bob, carol, alice", "required-approvals": "1" };
    const result = await approvalStep(github, inputs, { actor: "carol" });
    expect(result.code).toBe(1);
    expect(result.outputs.approved).toBe("false");
    expect(errorLine(result)).toBe(
      `Promotion of a1b2c3d to production refused: needs 1 more approval (0 of 1 so far) from alice; carol merged #40 and cannot approve it; bob authored #40 and cannot approve it.`,
    );
    expect(result.summary).toContain("| carol | carol merged #40 and cannot approve it |");
    expect(writes(github)).toEqual([]);
    expectSecretsHidden(result, [TOKEN]);

    const allowed = await approvalStep(github, { ...inputs, "allow-self-approval": "true" }, { actor: "carol" });
    expect(allowed.code).toBe(0);
    expect(allowed.outputs.approvers).toBe("carol,bob");
  });

  it("says how many more approvals are needed and from whom, not counting outsiders or approvals of an older commit", async () => {
    github.reviews.set(40, [review(1, "erin", "APPROVED", "0000000000000000000000000000000000000001"), review(2, "mallory", "APPROVED")]);
    const result = await approvalStep(github, { approvers: "alice\nblockbuilders/release-managers", "required-approvals": "2" });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe(
      "Promotion of a1b2c3d to production refused: needs 2 more approvals (0 of 2 so far) from alice, dave, erin (members of blockbuilders/release-managers included).",
    );
    expect(result.summary).toContain("| mallory | mallory approved (review of #40) but is not among the approvers |");
    expect(result.summary).toContain(`| erin | erin approved #40 at 0000000, not at its final commit ${HEAD_SHA.slice(0, 7)} |`);
    expect(writes(github)).toEqual([]);
  });
});

describe("approval bundle: checks and staging", () => {
  let github: GitHubFake;
  beforeEach(async () => {
    github = await startWorld();
    github.reviews.set(40, [review(1, "alice", "APPROVED")]);
  });
  afterEach(() => github.stop());

  it("names a red required check and its conclusion", async () => {
    github.checkRuns[0].conclusion = "failure";
    const result = await approvalStep(github, { approvers: "alice" });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe("Promotion of a1b2c3d to production refused: check 'quality-gate' concluded failure on a1b2c3d.");
    expect(result.summary).toContain("| check quality-gate | check 'quality-gate' concluded failure on a1b2c3d | ❌ fail |");
    expect(writes(github)).toEqual([]);
  });

  it("names a required check that never ran on the commit", async () => {
    const result = await approvalStep(github, { approvers: "alice", "required-checks": "quality-gate\nsecurity-scan" });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe("Promotion of a1b2c3d to production refused: check 'security-scan' never ran on a1b2c3d.");
    expect(writes(github)).toEqual([]);
  });

  it("refuses when no staging deployment exists for the commit, and when the latest staging status is not success", async () => {
    const staging = github.deployments.splice(0, 1)[0];
    const none = await approvalStep(github, { approvers: "alice" });
    expect(none.code).toBe(1);
    expect(errorLine(none)).toBe("Promotion of a1b2c3d to production refused: no staging deployment exists for a1b2c3d.");
    expect(writes(github)).toEqual([]);

    github.deployments.push({
      ...staging,
      statuses: [...staging.statuses, { id: 503, state: "failure", created_at: "2026-11-30T11:00:00Z" }],
    });
    const failed = await approvalStep(github, { approvers: "alice" });
    expect(errorLine(failed)).toBe(
      "Promotion of a1b2c3d to production refused: the staging deployment 500 of a1b2c3d has latest status failure, not success.",
    );
    const skipped = await approvalStep(github, { approvers: "alice", "require-staging": "false" });
    expect(skipped.code).toBe(0);
    expect(JSON.parse(readFileSync(skipped.outputs.record, "utf8")).staging).toBeNull();
  });

  it("resolves an annotated tag to its commit and records the version", async () => {
    github.tags.set("v1.4.0", { type: "tag", sha: "7a9000000000000000000000000000000000000a" });
    github.tagObjects.set("7a9000000000000000000000000000000000000a", { type: "commit", sha: SHA });
    // Dispatched from main, whose head is another commit: the tag decides.
    const result = await approvalStep(
      github,
      { approvers: "alice", version: "v1.4.0" },
      { sha: "9999999999999999999999999999999999999999" },
    );
    expect(errorLine(result)).toBeUndefined();
    expect(result.code).toBe(0);
    expect(github.requestsTo("POST", CREATE)[0].json.ref).toBe(SHA);
    const record = JSON.parse(readFileSync(result.outputs.record, "utf8"));
    expect(record).toMatchObject({ version: "v1.4.0", sha: SHA });
  });

  it("stops at a cancel while GitHub is slow, without creating anything", async () => {
    github.inject({ match: `GET /repos/${REPO}/commits/${SHA}/check-runs`, delayMs: 20_000, body: { total_count: 0, check_runs: [] } });
    const step = startStep("approval", "main", {
      eventName: "workflow_dispatch",
      sha: SHA,
      repository: REPO,
      githubToken: TOKEN,
      inputs: { approvers: "alice", "change-ticket": "CHG-2041" },
      env: { GITHUB_API_URL: github.url },
    });
    await step.waitForOutput(`Promoting ${SHA} to production.`);
    await until(() => github.requestsTo("GET", `/repos/${REPO}/commits/${SHA}/check-runs`).length > 0, "the slow check-runs request");
    step.child.kill("SIGINT");
    const result = await step.result;
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe("The job was cancelled (SIGINT).");
    expect(writes(github)).toEqual([]);
  });

  it("turns GitHub's refusal to create the deployment into one readable line", async () => {
    github.readOnly = true;
    const result = await approvalStep(github, { approvers: "alice" });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(
      /^GitHub could not create the production deployment: HTTP 403 Resource not accessible by integration/,
    );
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expectSecretsHidden(result, [TOKEN]);
  });
});

describe("approval bundle: bad input fails before any write", () => {
  let github: GitHubFake;
  beforeEach(async () => {
    github = await startWorld();
    github.reviews.set(40, [review(1, "alice", "APPROVED")]);
    github.tags.set("v1.4.0", { type: "commit", sha: SHA });
  });
  afterEach(() => github.stop());

  const cases: Array<[string, Record<string, string>, string]> = [
    [
      "an unknown team",
      { approvers: "alice, blockbuilders/nobody" },
      "Input 'approvers' names the team blockbuilders/nobody, which does not exist",
    ],
    ["an empty approvers", { approvers: " , " }, "Input 'approvers' is empty"],
    ["a malformed approver", { approvers: "alice, a/b/c" }, `Input 'approvers' got "a/b/c"`],
    [
      "more required approvals than approvers",
      { approvers: "alice, blockbuilders/release-managers", "required-approvals": "4" },
      "Input 'required-approvals' is 4, but 'approvers' (alice, blockbuilders/release-managers) names only 3 people",
    ],
    ["a tag that does not exist", { approvers: "alice", version: "v9.9.9" }, `Input 'version' got "v9.9.9", but ${REPO} has no such tag.`],
    [
      "a sha that disagrees with the version",
      { approvers: "alice", version: "v1.4.0", sha: "9999999999999999999999999999999999999999" },
      "Input 'sha' is 9999999999999999999999999999999999999999, but 'version' v1.4.0 points at",
    ],
    ["a short sha", { approvers: "alice", sha: "a1b2c3d" }, `Input 'sha' got "a1b2c3d"; expected a full 40-character commit SHA.`],
    [
      "no change ticket for production",
      { approvers: "alice", "change-ticket": "" },
      "Input 'change-ticket' is required when 'environment' is production",
    ],
    [
      "a zero required-approvals",
      { approvers: "alice", "required-approvals": "0" },
      `Input 'required-approvals' got "0"; expected a whole number from 1 to 100.`,
    ],
    [
      "a 120 KB approver, echoed to about 100 characters",
      { approvers: `alice, ${"x".repeat(120_000)}` },
      `Input 'approvers' got "${"x".repeat(80)}"… (120000 characters); expected a GitHub login`,
    ],
  ];

  it.each(cases)("%s", async (_name, inputs, message) => {
    const result = await approvalStep(github, inputs);
    expect(result.code).toBe(1);
    expect(errorLine(result)).toContain(message);
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(writes(github)).toEqual([]);
    expectSecretsHidden(result, [TOKEN]);
  });
});

describe("launchpad approval verify-record", () => {
  let github: GitHubFake;
  beforeEach(async () => {
    github = await startWorld();
    github.reviews.set(40, [review(1, "alice", "APPROVED")]);
  });
  afterEach(() => github.stop());

  /** Asynchronous on purpose: the fake answers from this process, so a synchronous spawn would deadlock. */
  function verifyRecord(id: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH,
      HOME: mkdtempSync(join(tmpdir(), "approval-home-")),
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: github.url,
    };
    const args = [LOOPBACK_GUARD_OPTION, join(REPO_ROOT, "dist/cli/index.js"), "approval", "verify-record", "--deployment-id", id];
    return new Promise((resolve) => {
      const child = execFile(process.execPath, args, { encoding: "utf8", env, timeout: 30_000 }, (_error, stdout, stderr) =>
        resolve({ status: child.exitCode, stdout, stderr }),
      );
    });
  }

  it("verifies a recorded deployment and fails once its payload is edited", async () => {
    const result = await approvalStep(github, { approvers: "alice" });
    expect(result.code).toBe(0);
    const id = result.outputs["deployment-id"];
    const good = await verifyRecord(id);
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`✅ The record of deployment ${id} verifies: sha256:${result.outputs["record-digest"]}.`);
    expect(good.stdout).toContain("| approvers | alice (pull-request-review, 2026-11-30T09:01:00Z) |");

    const stored = github.deployments.find((deployment) => String(deployment.id) === id)!;
    (stored.payload as { approvers: Array<{ login: string }> }).approvers[0].login = "mallory";
    const edited = await verifyRecord(id);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toContain(`❌ The record of deployment ${id} does not verify: the payload's digest`);
    expect(edited.stdout).toContain("the record was edited");
    expect(`${edited.stdout}${edited.stderr}${good.stdout}`).not.toContain(TOKEN);
  });

  it("exits 2 with one line for a bad deployment id and 1 for a deployment without a record", async () => {
    const bad = await verifyRecord("abc");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(`launchpad: --deployment-id got "abc"; expected a deployment id such as 1234.`);
    const staging = await verifyRecord("500");
    expect(staging.status).toBe(1);
    expect(staging.stdout).toContain("deployment 500 carries no approval record in its payload");
  });
});
