/**
 * release-notes at scale: 2,000 pull requests since the last tag in each merge style (squash; merge commits and
 * rebases of 3 commits each, so 8,000 and 6,000 commits), read through the GraphQL source against the GitHub fake
 * with the shared client (retry and throttling on), ending in the draft release. Requests are judged against the
 * issue's target (≤ 25; one REST call per 15 commits would need ⌈commits/15⌉, 134 for squash). Time is judged
 * against a same-run baseline: the same number of GraphQL round trips to the same fake through the same client,
 * with trivial answers, so the ratio is the cost of our queries, the fake's model and the rendering on top of the
 * round trips the client's pacing imposes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitHubClient } from "../src/lib/github.js";
import { silentLogger } from "../src/lib/logger.js";
import { runReleaseNotes } from "../src/release-notes/release-notes.js";
import { GitHubFake } from "../test/fakes/github.js";
import { RepositoryModel, serveRepository } from "../test/fakes/github-graphql.js";
import { type BenchRow, type BenchScenario, timed } from "./harness.js";

const PULL_REQUESTS = 2_000;
const MAX_REQUESTS = 25;
const COMMITS_PER_BRANCH = 3;
const STYLES = ["squash", "merge", "rebase"] as const;
type Style = (typeof STYLES)[number];

function buildModel(style: Style): RepositoryModel {
  const model = new RepositoryModel("blockbuilders", "platform");
  model.commit("chore: initial import");
  model.tag("v4.0.0");
  for (let number = 1; number <= PULL_REQUESTS; number++) {
    const title = `fix: settlement report for venue ${number % 40}`;
    const options = {
      labels: number % 10 === 0 ? ["feature"] : [],
      body: number % 25 === 0 ? `## Rollback plan\nRevert #${number}.` : "",
    };
    if (style === "squash") model.squashMerge(number, title, options);
    else if (style === "merge") model.mergeCommit(number, title, COMMITS_PER_BRANCH, options);
    else model.rebaseMerge(number, title, COMMITS_PER_BRANCH, options);
  }
  return model;
}

export const releaseNotesScenario: BenchScenario = {
  name: "release-notes",
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const style of STYLES) rows.push(...(await runStyle(style)));
    return rows;
  },
};

async function runStyle(style: Style): Promise<BenchRow[]> {
  const github = await new GitHubFake().start();
  const outputDir = mkdtempSync(join(tmpdir(), "launchpad-release-notes-bench-"));
  try {
    const model = buildModel(style);
    serveRepository(github, model);
    const client = createGitHubClient({ token: "ghs_bench", baseUrl: github.url, logger: silentLogger });
    const settings = {
      to: model.head(),
      configPath: join(outputDir, "none.yml"),
      configGiven: false,
      source: "api" as const,
      draftRelease: true,
      tagPrefix: "v",
      customerCommUrl: "",
      releaseOwner: "bench",
      workspace: outputDir,
    };
    const work = await timed(() =>
      runReleaseNotes(settings, {
        logger: silentLogger,
        github: client,
        repository: { owner: "blockbuilders", repo: "platform" },
        serverUrl: "https://github.com",
        outputDir,
      }),
    );
    if (work.result.outputs["pull-requests"] !== String(PULL_REQUESTS))
      throw new Error(`bench: read ${work.result.outputs["pull-requests"]} pull requests`);
    const requests = github.requests.length;
    const commits = Number(work.result.outputs.commits);

    // The baseline: as many round trips through the same client, answered with nothing to model or render.
    github.graphql = () => ({ data: { viewer: { login: "bench" } } });
    const baseline = await timed(async () => {
      for (let index = 0; index < requests; index++) await client.graphql("{ viewer { login } }");
    });
    const what = `${PULL_REQUESTS.toLocaleString("en-US")} ${style} PRs`;
    return [
      {
        scenario: "release-notes",
        metric: `requests for ${what}`,
        value: requests,
        unit: "requests",
        maxValue: MAX_REQUESTS,
        note: `${commits.toLocaleString("en-US")} commits; one call per 15 commits would need ${Math.ceil(commits / 15)}; ${work.result.changes.readBy?.split(":")[0]}`,
      },
      {
        scenario: "release-notes",
        metric: `wall time for ${what}`,
        value: work.ms,
        unit: "ms",
        baseline: baseline.ms,
        maxRatio: 1.5,
        note: `vs ${requests} bare round trips through the same throttled client`,
      },
    ];
  } finally {
    await github.stop();
    rmSync(outputDir, { recursive: true, force: true });
  }
}
