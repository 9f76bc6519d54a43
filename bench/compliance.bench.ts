import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCompliance } from "../src/compliance/compliance.js";
import type { ComplianceSettings } from "../src/compliance/settings.js";
import { createGitHubClient } from "../src/lib/github.js";
import { silentLogger } from "../src/lib/logger.js";
import { GOOD_BODY, RULES } from "../test/compliance/world.js";
import { GitHubFake } from "../test/fakes/github.js";
import { type BenchScenario, compareMedians } from "./harness.js";

const FILES = 3_000;
const COMMENTS = 500;
const PR = 7;
const HEAD = "bench000bench000bench000bench000bench000";

/** A PR of 3,000 files (a tenth of them content pages, three with a forbidden phrase), 500 comments and our sticky one last. */
function seed(github: GitHubFake, root: string): void {
  const files = Array.from({ length: FILES }, (_, index) => {
    const filename =
      index % 10 === 0 ? `content/page-${index}.md` : index % 10 === 1 ? `billing/plan-${index}.ts` : `apps/web/src/file-${index}.ts`;
    const text = `Capital at risk.\nline two of ${index}\n${index % 1000 === 0 ? "guaranteed returns\n" : ""}`;
    const path = join(root, filename);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    const lines = text.replace(/\n$/, "").split("\n");
    return { filename, status: "added" as const, patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}`).join("\n")}` };
  });
  github.pullFiles.set(PR, files);
  github.pulls.set(PR, {
    number: PR,
    body: GOOD_BODY,
    head: { sha: HEAD },
    user: { login: "author" },
    labels: [],
  });
  github.reviews.set(PR, [
    { id: 1, user: { login: "bill-ops" }, state: "APPROVED", commit_id: HEAD, submitted_at: "2026-01-01T00:00:00Z" },
  ]);
  github.teams.set("blockbuilders/billing", ["bill-ops"]);
  for (let index = 0; index < COMMENTS; index++)
    github.comments.push({ id: index + 1, issue_number: PR, body: `chatter ${index}`, user: { login: "someone", type: "User" } });
  github.comments.push({
    id: 9999,
    issue_number: PR,
    body: "<!-- launchpad-compliance: compliance -->\nold",
    user: { login: "github-actions[bot]", type: "Bot" },
  });
}

export const complianceScenario: BenchScenario = {
  name: "compliance",
  async run() {
    const github = await new GitHubFake().start();
    const root = mkdtempSync(join(tmpdir(), "launchpad-compliance-bench-"));
    try {
      mkdirSync(join(root, ".github"));
      writeFileSync(join(root, ".github/compliance.yml"), RULES);
      seed(github, root);
      const client = createGitHubClient({ token: "ghs_bench", baseUrl: github.url });
      const settings: ComplianceSettings = {
        configPath: join(root, ".github/compliance.yml"),
        configShown: ".github/compliance.yml",
        workspace: root,
        checkName: "compliance",
        comment: true,
      };
      // A fresh client per run, as each job gets: the throttling plugin spaces one client's writes a second apart.
      const check = () =>
        runCompliance(settings, {
          source: {
            kind: "github",
            github: createGitHubClient({ token: "ghs_bench", baseUrl: github.url }),
            pull: { owner: "o", repo: "r", number: PR },
          },
          logger: silentLogger,
          reportDir: join(root, ".launchpad"),
          redact: (text) => text,
        });
      const before = github.requests.length;
      const first = await check();
      const requests = github.requests.length - before;
      if (first.verdict.violations !== 3) throw new Error(`bench PR should have 3 violations, got ${first.verdict.violations}`);
      const pages = Math.ceil(FILES / 100);
      // The floor: the same number of bare GETs, each a 100-item page of the PR's files, one after another.
      const bare = async () => {
        for (let index = 0; index < requests; index++)
          await client.rest.pulls.listFiles({ owner: "o", repo: "r", pull_number: PR, per_page: 100, page: (index % pages) + 1 });
      };
      const [ms, baselineMs] = await compareMedians(5, check, bare);
      const target = Math.ceil(FILES / 100) + Math.ceil(COMMENTS / 100) + 10;
      return [
        {
          scenario: "compliance",
          metric: `API requests (${FILES} files, ${COMMENTS} comments)`,
          value: requests,
          unit: "requests",
          maxValue: target,
        },
        {
          scenario: "compliance",
          metric: "wall time vs the same number of bare paginated requests",
          value: ms,
          baseline: baselineMs,
          unit: "ms",
          maxRatio: 1.5,
          note: "timed runs are re-runs: the sticky comment is already up to date, so no PATCH",
        },
      ];
    } finally {
      await github.stop();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
