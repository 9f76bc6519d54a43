import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ClientFiles, ClientRequest, VercelDeployClient } from "../../src/vercel/client.js";
import { GitHubFake } from "../fakes/github.js";
import { VercelFake } from "../fakes/vercel.js";
import { type RunOptions, runStep, type StepResult } from "../harness/run-bundle.js";
import { expectSecretsHidden } from "../harness/secrets.js";

/** A token no real account has; every test checks it never reaches the log, outputs or summary. */
export const PLANTED_TOKEN = "vct_planted_Secret_4f9a2b7c1d";
export const GITHUB_TOKEN = "ghs_planted_GitHub_77aa11";

export const PR_EVENT = {
  pull_request: {
    number: 7,
    head: { sha: "feedfacecafebeef0123456789abcdef01234567", ref: "feature/Login-Page_v2", repo: { full_name: "blockbuilders/platform" } },
    base: { repo: { full_name: "blockbuilders/platform" } },
  },
};

/** The adapter request a test deploys `workspace` (prebuilt) with against `fake`, as a preview of prj_web. */
export function clientRequestFor(fake: VercelFake, workspace: string, fields: Partial<ClientRequest> = {}): ClientRequest {
  return {
    token: fake.token,
    apiUrl: fake.url,
    path: workspace,
    prebuilt: true,
    outputDir: `${workspace}/.vercel/output`,
    deployment: { target: "preview", project: "prj_web", meta: {} },
    ...fields,
  };
}

/** Runs the client until Vercel reports what it misses, and stops it there. */
export async function missingContents(
  client: VercelDeployClient,
  request: ClientRequest,
): Promise<{ files: ClientFiles; missing: string[] }> {
  const run = client.start(request);
  try {
    for (let stage = await run.next(); stage; stage = await run.next()) {
      if (stage.type === "missing") return stage;
      if (stage.type === "failed") break;
    }
  } finally {
    await run.stop();
  }
  throw new Error("expected the client to report missing contents");
}

/** A consumer repo with a Build Output directory; `files` maps paths under .vercel/output to contents. */
export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-vercel-ws-"));
  const all = { "config.json": JSON.stringify({ version: 3 }), ...files };
  for (const [path, content] of Object.entries(all)) {
    const full = join(root, ".vercel/output", path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export async function startFakes(): Promise<{ vercel: VercelFake; github: GitHubFake }> {
  const vercel = await new VercelFake().start();
  vercel.token = PLANTED_TOKEN;
  vercel.addProject("prj_web", "web");
  const github = await new GitHubFake().start();
  return { vercel, github };
}

/** Runs the bundle against the fakes; `inputs` override the defaults from action.yml. */
export function deployStep(
  fakes: { vercel: VercelFake; github: GitHubFake },
  workspace: string,
  inputs: Record<string, string> = {},
  options: RunOptions = {},
): Promise<StepResult> {
  return runStep("vercel-deploy", {
    workspace,
    timeoutMs: 45_000,
    ...options,
    inputs: { token: PLANTED_TOKEN, "project-id": "prj_web", "api-url": fakes.vercel.url, "github-token": GITHUB_TOKEN, ...inputs },
    env: { GITHUB_API_URL: fakes.github.url, VERCEL_TEAM_ID: undefined, ...options.env },
  });
}

/** The planted tokens were registered as masks and appear nowhere a person or a later step could read them. */
export function expectNoLeak(result: StepResult, secrets: string[] = [PLANTED_TOKEN, GITHUB_TOKEN]): void {
  expectSecretsHidden(result, secrets);
}
