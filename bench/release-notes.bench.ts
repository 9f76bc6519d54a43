/**
 * release-notes at scale: 2,000 squash-merged pull requests since the last tag, read through the GraphQL source
 * against the GitHub fake with the shared client (retry and throttling on), ending in the draft release. Requests are judged against the
 * issue's target (≤ 25; one REST call per 15 commits would need ⌈2000/15⌉ = 134). Time is judged against a
 * same-run baseline: the same number of GraphQL round trips to the same fake through the same client, with
 * trivial answers, so the ratio is the cost of our queries, the fake's model and the rendering on top of the
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

function buildModel(): RepositoryModel {
  const model = new RepositoryModel("blockbuilders", "platform");
  model.commit("chore: initial import");
  model.tag("v4.0.0");
  for (let number = 1; number <= PULL_REQUESTS; number++) {
    model.squashMerge(number, `fix: settlement report for venue ${number % 40}`, {
      labels: number % 10 === 0 ? ["feature"] : [],
      body: number % 25 === 0 ? `## Rollback plan\nRevert #${number}.` : "",
    });
  }
  return model;
}

export const releaseNotesScenario: BenchScenario = {
  name: "release-notes",
  async run(): Promise<BenchRow[]> {
    const github = await new GitHubFake().start();
    const outputDir = mkdtempSync(join(tmpdir(), "launchpad-release-notes-bench-"));
    try {
      const model = buildModel();
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

      // The baseline: as many round trips through the same client, answered with nothing to model or render.
      github.graphql = () => ({ data: { viewer: { login: "bench" } } });
      const baseline = await timed(async () => {
        for (let index = 0; index < requests; index++) await client.graphql("{ viewer { login } }");
      });
      return [
        {
          scenario: "release-notes",
          metric: `requests for ${PULL_REQUESTS.toLocaleString("en-US")} PRs`,
          value: requests,
          unit: "requests",
          maxValue: MAX_REQUESTS,
          note: `one call per 15 commits would need ${Math.ceil(PULL_REQUESTS / 15)}`,
        },
        {
          scenario: "release-notes",
          metric: `wall time for ${PULL_REQUESTS.toLocaleString("en-US")} PRs`,
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
  },
};
