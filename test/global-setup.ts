import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HARNESS_TEMP_PREFIX } from "./harness/run-bundle.js";

/** Runs once around the suite: nothing in a test may reach beyond loopback, so drop proxies that could route it there. */
export default function setup(): () => void {
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "VERCEL_TEAM_ID", "AWS_PROFILE"]) delete process.env[name];
  return () => {
    for (const entry of readdirSync(tmpdir())) {
      if (!entry.startsWith(HARNESS_TEMP_PREFIX) || isAlive(Number(entry.slice(HARNESS_TEMP_PREFIX.length)))) continue;
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  };
}

/** A worker of another, still-running test run keeps its dirs. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
