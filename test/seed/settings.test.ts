import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError, RemoteError } from "../../src/lib/errors.js";
import { Inputs, mapInputSource } from "../../src/lib/inputs.js";
import { silentLogger } from "../../src/lib/logger.js";
import { Secrets } from "../../src/lib/secrets.js";
import { runSeed } from "../../src/seed/seed.js";
import { readSeedSettings } from "../../src/seed/settings.js";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { freePort, postgresAvailability } from "../support/postgres.js";
import { DEMO_SECRETS } from "./backends.js";

afterAll(removeExampleCopies);

// The settings reader checks path inputs on disk, so the workspace is a real checkout of the example.
const workspace = copyExample();
const context = { workspace, actor: "octocat", sha: "abc123" };
const read = (values: Record<string, string>, extra: Partial<typeof context & { runId: string; runAttempt: string }> = {}) =>
  readSeedSettings(new Inputs(mapInputSource(values)), { ...context, ...extra });

describe("seed settings", () => {
  it("defaults to apply into the workspace's PGlite data dir, recording the actor and a run id per attempt", () => {
    const settings = read({}, { runId: "77", runAttempt: "3" });
    expect(settings).toMatchObject({
      command: "apply",
      manifestsDir: `${workspace}/infrastructure/seed-data`,
      migrationsDir: `${workspace}/infrastructure/migrations`,
      pgliteDir: `${workspace}/.launchpad/pglite`,
      databaseUrl: "",
      env: "local",
      operator: "octocat",
      defaultRunId: "gh-77-3",
      lockTimeoutMs: 60_000,
    });
    expect(read({}).defaultRunId).toMatch(/^local-\d{8}-\d{6}-[0-9a-f]{4}$/);
  });

  it("rejects a database-url that is not a postgres URL without echoing it", () => {
    const secret = "mysql://root:hunter2-planted@db";
    const error = (() => {
      try {
        read({ "database-url": secret });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toContain("'database-url'");
    expect(error?.message).not.toContain("hunter2");
  });

  it("reads the Datadog gauge target: off without a key, api.<site> for a site, only loopback for a URL", () => {
    expect(read({ "datadog-site": "datadoghq.eu" }).datadog).toBeUndefined();
    expect(read({ "datadog-api-key": "k-1234" }).datadog).toEqual({ apiKey: "k-1234", apiUrl: "https://api.datadoghq.com" });
    expect(read({ "datadog-api-key": "k-1234", "datadog-site": "us5.datadoghq.com" }).datadog?.apiUrl).toBe(
      "https://api.us5.datadoghq.com",
    );
    expect(read({ "datadog-api-key": "k-1234", "datadog-site": "http://127.0.0.1:8126/x" }).datadog?.apiUrl).toBe("http://127.0.0.1:8126");
    for (const site of ["http://10.0.0.5:8126", "ftp://127.0.0.1", "datadoghq", "api.datadoghq.com/v2"])
      expect(() => read({ "datadog-api-key": "k-1234", "datadog-site": site })).toThrow(/^Input 'datadog-site' got /);
  });

  it("refuses the transaction pooler port without echoing the URL", () => {
    expect(() => read({ "database-url": "postgres://u:planted-pw-9@aws-0-eu.pooler.supabase.com:6543/postgres" })).toThrow(
      /^Input 'database-url' uses port 6543, Supabase's transaction pooler, .*use the session pooler on port 5432/,
    );
    expect(read({ "database-url": "postgres://u:pw@aws-0-eu.pooler.supabase.com:5432/postgres" }).databaseUrl).toContain(":5432/");
  });

  it("an unreachable database is one line naming host and port, never the password", async () => {
    const port = await freePort();
    const root = copyExample();
    const settings = read({ "database-url": `postgres://seed:planted-pw-123@127.0.0.1:${port}/app`, "lock-timeout": "1s" });
    const error = await runSeed(
      {
        ...settings,
        workspace: root,
        manifestsDir: `${root}/infrastructure/seed-data`,
        migrationsDir: `${root}/infrastructure/migrations`,
      },
      { logger: silentLogger, secrets: new Secrets(), env: DEMO_SECRETS },
    ).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as Error).message).toMatch(new RegExp(`^Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/app: .*ECONNREFUSED`));
    expect((error as Error).message).not.toContain("planted-pw-123");
  });
});

describe("the test PostgreSQL", () => {
  it("is skipped with a visible reason without binaries, and is an error under CI", () => {
    const missing = "/nonexistent/postgresql";
    expect(postgresAvailability({}, missing)).toEqual({ available: false, reason: expect.stringContaining("no PostgreSQL binaries") });
    expect(() => postgresAvailability({ CI: "true" }, missing)).toThrow(/PostgreSQL tests cannot run under CI/);
    expect(postgresAvailability({ LAUNCHPAD_TEST_DATABASE_URL: "postgres://127.0.0.1/x" }, missing).available).toBe(true);
  });
});
