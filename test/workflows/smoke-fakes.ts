/**
 * The local fakes for the suite's smoke job (.github/workflows/ci.yml): AWS (ECS, CodeDeploy, ECR with the example
 * API's world), Vercel and the example's prebuilt site, all on 127.0.0.1. Writes their addresses as KEY=value lines to
 * the file named by the first argument (the job appends it to $GITHUB_ENV), then serves until it is stopped.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "../../src/verify/static-server.js";
import { startWorld } from "../ecs/world.js";
import { awsEnv } from "../fakes/aws.js";
import { VercelFake } from "../fakes/vercel.js";

export const SMOKE_VERCEL_PROJECT = "prj_smoke";
const EXAMPLE = join(import.meta.dirname, "../../examples/blockbuilders");

export interface SmokeFakes {
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startSmokeFakes(): Promise<SmokeFakes> {
  const aws = await startWorld();
  // A short blue/green on the wall clock: the smoke checks the action's path, not CodeDeploy's timing.
  aws.nextScripts.push([
    { status: "Created", ms: 200 },
    { status: "InProgress", event: "Install", green: 0, ms: 500 },
    { status: "InProgress", event: "AllowTraffic", green: 100, ms: 500 },
    { status: "Succeeded", green: 100 },
  ]);
  const vercel = new VercelFake();
  vercel.addProject(SMOKE_VERCEL_PROJECT, "blockbuilders-web");
  await vercel.start();
  const site = await serveStatic(join(EXAMPLE, ".vercel/output/static"));
  return {
    env: { ...awsEnv(aws), FAKE_VERCEL_URL: vercel.url, FAKE_VERCEL_TOKEN: vercel.token, SITE_URL: site.url },
    close: async () => {
      await Promise.all([aws.stop(), vercel.stop(), site.close()]);
    },
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const out = process.argv[2];
  if (!out) throw new Error("usage: tsx test/workflows/smoke-fakes.ts <env-file>");
  const fakes = await startSmokeFakes();
  writeFileSync(
    out,
    `${Object.entries(fakes.env)
      .map(([key, value]) => `${key}=${value}`)
      .join("\n")}\n`,
  );
  console.log(`fakes ready: ${Object.keys(fakes.env).join(", ")}`);
  const stop = () => void fakes.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
