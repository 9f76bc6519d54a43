import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleLogger } from "../../src/lib/logger.js";
import { Secrets } from "../../src/lib/secrets.js";
import { seedPreflight } from "../../src/seed/preflight.js";
import { SEED_INPUTS, SEED_OUTPUTS } from "../../src/seed/settings.js";
import { REPO_ROOT, readActionMetadata } from "../harness/run-bundle.js";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { stepContext } from "../support/preflight-context.js";
import { DEMO_SECRETS, postgresBackend } from "./backends.js";
import { editFile } from "./bundle-support.js";

afterAll(removeExampleCopies);

function launchpad(args: string[], env: Record<string, string | undefined> = DEMO_SECRETS) {
  return spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "src/cli/index.ts"), "seed", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...env },
  });
}

describe("seed action metadata", () => {
  it("declares exactly the inputs and outputs the seed entry reads and writes", () => {
    const metadata = readActionMetadata("seed");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(SEED_INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(SEED_OUTPUTS).sort());
    expect(metadata.inputs?.["lock-timeout"].default).toBe("60s");
    expect(metadata.inputs?.command.default).toBe("apply");
  });
});

describe("seed preflight", () => {
  it("runs each step's own command into PGlite with throwaway local secrets kept in its data dir, writing nothing the second time", async () => {
    const root = copyExample();
    const secrets = new Secrets();
    const lines: string[] = [];
    const logger = consoleLogger({ write: (line) => lines.push(line), redact: (text) => secrets.redact(text) });
    const step = (command: string) =>
      seedPreflight.run(stepContext(root, { command, manifests: "infrastructure/seed-data", env: "staging" }, { logger, secrets }).context);
    const apply = await step("apply");
    expect(apply.ok).toBe(true);
    expect(apply.headline).toBe("apply: 16 inserted, 0 updated, 0 unchanged in 4 tables");
    expect(apply.markdown).toContain("are throwaway values kept in the PGlite data dir");
    expect(lines.join("\n")).toMatch(/throwaway local secrets for SEED_DEMO_EDUCATOR_PASSWORD, SEED_DEMO_SUPPORT_PASSWORD/);
    const keptFile = join(root, ".launchpad/pglite/launchpad-local-secrets.json");
    expect(statSync(keptFile).mode & 0o777).toBe(0o600);
    const kept: Record<string, string> = JSON.parse(readFileSync(keptFile, "utf8"));
    expect(Object.keys(kept).sort()).toEqual(["SEED_DEMO_EDUCATOR_PASSWORD", "SEED_DEMO_SUPPORT_PASSWORD"]);
    const verify = await step("verify");
    expect(verify.ok).toBe(true);
    expect(verify.markdown).toContain("### Seed verify");

    const again = await step("apply");
    expect(again.headline).toBe("apply: 0 inserted, 0 updated, 16 unchanged in 4 tables");
    expect(JSON.parse(readFileSync(keptFile, "utf8"))).toEqual(kept);
    for (const text of [lines.join("\n"), apply.markdown, verify.markdown, again.markdown])
      for (const value of Object.values(kept)) expect(text).not.toContain(value);
  });
});

const postgres = postgresBackend();
describe.skipIf(Boolean(postgres.skipReason))(
  `launchpad seed on PostgreSQL${postgres.skipReason ? ` (skipped: ${postgres.skipReason})` : ""}`,
  () => {
    beforeAll(() => postgres.start());
    afterAll(() => postgres.stop());

    it("applies, rolls back with --run-id, lists history, and exits 1 on drift and 2 on a usage mistake", () => {
      const workspace = copyExample();
      const common = ["--workspace", workspace, "--database-url", postgres.databaseUrl];
      const apply = launchpad(["apply", ...common, "--run-id", "cli-1", "--env", "staging"]);
      expect(apply.status, apply.stderr).toBe(0);
      expect(apply.stdout).toContain("| plans | 3 | 0 | 0 | 0 |");
      editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "price_cents: 4900", "price_cents: 5900");
      expect(launchpad(["apply", ...common, "--run-id", "cli-2"]).status).toBe(0);
      const rollback = launchpad(["rollback", ...common, "--run-id", "cli-1"]);
      expect(rollback.status, rollback.stderr).toBe(0);
      expect(rollback.stdout).toContain("rolled back to run `cli-1`");
      const drift = launchpad(["verify", ...common]);
      expect(drift.status).toBe(1);
      expect(drift.stdout).toContain("| plans | educator | changed | price_cents |");
      const history = launchpad(["history", ...common]);
      expect(history.stdout).toMatch(/\| cli-1 \| apply \| succeeded \| staging \|/);
      expect(history.stdout).toMatch(/\| rollback → cli-1 \| succeeded \|/);
      const usage = launchpad(["apply", ...common, "--lock-timeout", "soon"]);
      expect(usage.status).toBe(2);
      expect(usage.stderr.trim()).toBe(`launchpad: --lock-timeout got "soon"; expected a duration such as 500ms, 90s, 15m or 1h.`);
    });
  },
);
