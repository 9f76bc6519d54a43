import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { FakePullFile, GitHubFake } from "../fakes/github.js";
import { type RunOptions, runStep, type StepResult } from "../harness/run-bundle.js";

export const TOKEN = "ghs_plantedComplianceToken0123456789abc";
export const HEAD_SHA = "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffee0001";
export const PR = 42;
export const AUTHOR = "pr-author";

export const RULES = `checklist:
  - text: Risk disclosure reviewed
  - pattern: "^no (personalised )?financial advice$"
  - text: Data Engineering sign-off
    when:
      paths: ["infrastructure/seed-data/**"]
sections:
  - Summary
  - Risk assessment
  - heading: Rollback plan
    allow-na: true
disclosures:
  - files: ["content/**/*.md"]
    require: ["Capital at risk"]
    forbid: ["/guaranteed returns?/i"]
reviewers:
  - paths: ["billing/**"]
    teams: [blockbuilders/billing]
waive-label: compliance-waived
waivers:
  users: [compliance-lead]
`;

export const GOOD_BODY = `## Summary

Adds the pricing page.

## Risk assessment

Low: copy only.

## Rollback plan

N/A

- [x] Risk disclosure reviewed
- [X] No financial advice
`;

/** A checked-out repository: the rules plus the files at the head commit. */
export function workspace(files: Record<string, string> = {}, rules = RULES): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-compliance-ws-"));
  for (const [path, text] of Object.entries({ ".github/compliance.yml": rules, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The patch of a new file: every line added. */
export function newFilePatch(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n");
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}`).join("\n")}`;
}

/** A pull request on the fake, as the API serves it now. */
export function setPull(github: GitHubFake, body: string, files: FakePullFile[], extra: Record<string, unknown> = {}): void {
  github.pulls.set(PR, {
    number: PR,
    body,
    head: { sha: HEAD_SHA, ref: "feature/pricing" },
    user: { login: AUTHOR },
    labels: [],
    ...extra,
  });
  github.pullFiles.set(PR, files);
}

/** The event payload the runner hands the step: possibly older than the API's truth. */
export function prEvent(body = "payload body", headSha = HEAD_SHA) {
  return {
    pull_request: {
      number: PR,
      body,
      head: { sha: headSha, ref: "feature/pricing", repo: { full_name: "blockbuilders/platform" } },
      base: { ref: "main", repo: { full_name: "blockbuilders/platform" } },
    },
  };
}

export function runCompliance(github: GitHubFake, root: string, options: Partial<RunOptions> = {}): Promise<StepResult> {
  return runStep("compliance", {
    workspace: root,
    eventName: "pull_request",
    event: prEvent(),
    githubToken: TOKEN,
    ...options,
    env: { GITHUB_API_URL: github.url, ...options.env },
  });
}
