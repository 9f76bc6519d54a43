import { existsSync, writeFileSync } from "node:fs";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDigest } from "../../src/lib/audit-record.js";
import { silentLogger } from "../../src/lib/logger.js";
import { lockDataDir } from "../../src/seed/data-dir-lock.js";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { postgresBackend } from "./backends.js";
import { addBulkManifest, DEMO_SECRETS, editFile, expectSuccess, seedStep, startSeedStep, withPglite } from "./bundle-support.js";

afterAll(removeExampleCopies);

/** Rows in a table of a workspace's PGlite data dir. */
function countIn(workspace: string, table: string): Promise<number> {
  return withPglite(workspace, async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
}

const PLANTED_DB_PASSWORD = "planted-db-password-Q7v";
/** Production needs no demo secrets: its runs leave them unset. */
const emptyDemoSecrets = Object.fromEntries(Object.keys(DEMO_SECRETS).map((name) => [name, undefined]));

/** A TCP forwarder on 127.0.0.1:`port` (0: any free one) to the server of `target`, counting the connections it gets. */
async function tcpProxy(port: number, target: string) {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const proxy = { port: 0, connections: 0, close: () => new Promise<void>((done) => server.close(() => done())) };
  const server = createServer((client) => {
    proxy.connections++;
    const upstream = connect(Number(to.port), to.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  const close = proxy.close;
  proxy.close = () => {
    for (const socket of sockets) socket.destroy();
    return close();
  };
  await new Promise<void>((listening, failed) => {
    server.once("error", failed);
    server.listen(port, "127.0.0.1", () => listening());
  });
  proxy.port = (server.address() as AddressInfo).port;
  return proxy;
}

/** What a person could read: the runner hides `::add-mask::` lines themselves. */
function expectNoSecrets(visible: string): void {
  const shown = visible.replace(/^::add-mask::.*$/gm, "");
  for (const value of [...Object.values(DEMO_SECRETS), PLANTED_DB_PASSWORD]) expect(shown).not.toContain(value);
}

describe("seed bundle, without a database", () => {
  it("lint reports each problem as an annotation at its file, line and column", async () => {
    const workspace = copyExample();
    editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "price_cents: 2900", "price_cents: 29.00");
    editFile(
      join(workspace, "infrastructure/seed-data/quota-policies.yaml"),
      "period: minute, hard_limit: 30,",
      "period: fortnight, hard_limit: 30,",
    );
    const result = await seedStep(workspace, { command: "lint" });
    expect(result.code).toBe(1);
    expect(result.annotations.filter((annotation) => annotation.file)).toEqual([
      expect.objectContaining({
        level: "error",
        file: "infrastructure/seed-data/plans.yaml",
        line: 19,
        col: 18,
        message: expect.stringMatching(/^29\.00 is read as the number 29/),
      }),
      expect.objectContaining({
        level: "error",
        file: "infrastructure/seed-data/quota-policies.yaml",
        line: 9,
        col: 53,
        message: expect.stringContaining("period must be one of"),
      }),
    ]);
    expect(result.summary).toContain("2 lint problems");
    expect(existsSync(join(workspace, ".launchpad"))).toBe(false);
  });

  it("a missing secret variable fails naming the variable, and an unknown command names the input", async () => {
    const workspace = copyExample();
    const missing = await seedStep(workspace, { command: "plan" }, { env: { SEED_DEMO_SUPPORT_PASSWORD: undefined } });
    expect(missing.code).toBe(1);
    expect(missing.annotations.at(-1)?.message).toMatch(
      /demo-users\.yaml:\d+:\d+: environment variable SEED_DEMO_SUPPORT_PASSWORD is not set/,
    );
    expect(existsSync(join(workspace, ".launchpad"))).toBe(false);
    const unknown = await seedStep(workspace, { command: "destroy" });
    expect(unknown.code).toBe(1);
    expect(unknown.annotations.at(-1)?.message).toBe(
      `Input 'command' got "destroy"; expected one of lint, plan, apply, verify, rollback, history.`,
    );
  });
});

describe("seed bundle on PGlite", () => {
  it("applies the example, re-applies writing nothing, verifies clean, and shows no secret", async () => {
    const workspace = copyExample();
    const first = await seedStep(workspace, {});
    expectSuccess(first);
    expect(first.outputs).toMatchObject({ "run-id": "gh-4242-1", inserted: "16", updated: "0", deleted: "0", unchanged: "0", drift: "0" });
    expect(first.outputs.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(first.summary).toContain("| plans | 3 | 0 | 0 | 0 |");
    expect(first.masks).toEqual(expect.arrayContaining(Object.values(DEMO_SECRETS)));
    const second = await seedStep(workspace, {}, { env: { GITHUB_RUN_ATTEMPT: "2" } });
    expectSuccess(second);
    expect(second.outputs).toMatchObject({ "run-id": "gh-4242-2", inserted: "0", updated: "0", deleted: "0", unchanged: "16" });
    const verify = await seedStep(workspace, { command: "verify" });
    expectSuccess(verify);
    expect(verify.outputs.drift).toBe("0");
    for (const result of [first, second, verify]) expectNoSecrets(result.visible);
    const stored = await withPglite(
      workspace,
      async (db) => (await db.query<{ h: string }>("SELECT string_agg(password_hash, ' ') AS h FROM users")).rows[0].h,
    );
    expectNoSecrets(stored);
  });

  it("verify fails and names a row tampered with in the database", async () => {
    const workspace = copyExample();
    expectSuccess(await seedStep(workspace, {}));
    await withPglite(workspace, (db) => db.query("UPDATE plans SET stripe_price_id = 'price_1Tampered' WHERE code = 'educator'"));
    const verify = await seedStep(workspace, { command: "verify" });
    expect(verify.code).toBe(1);
    expect(verify.outputs.drift).toBe("1");
    expect(verify.summary).toContain("| plans | educator | changed | stripe_price_id |");
    expect(verify.annotations.at(-1)?.message).toContain("1 rows drifted");
  });

  it("a run killed mid-apply leaves nothing half-applied, and the next run takes over the lock and succeeds", async () => {
    const workspace = copyExample();
    addBulkManifest(workspace, 20_000);
    const step = startSeedStep(workspace, {});
    await step.waitForOutput(/^plans: 3 inserted/m, 60_000);
    step.child.kill("SIGKILL");
    const killed = await step.result;
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).not.toContain("Committed");
    expect(existsSync(join(workspace, ".launchpad/pglite.lock"))).toBe(true);
    const next = await seedStep(workspace, {});
    expectSuccess(next);
    expect(next.stdout).toMatch(/Taking over .*pglite\.lock: pid \d+ holding it is gone/);
    // Everything, migrations included, comes from the second run: the first left nothing behind.
    expect(next.outputs).toMatchObject({ inserted: String(16 + 20_000), updated: "0" });
    expect(next.summary).toContain("Applied migrations");
    expect(await countIn(workspace, "launchpad_seed.seed_runs")).toBe(1);
  });

  it("a second process on the same data dir waits for the first, and nothing is lost or doubled", async () => {
    const workspace = copyExample();
    const [a, b] = await Promise.all([seedStep(workspace, { "run-id": "a" }), seedStep(workspace, { "run-id": "b" })]);
    expectSuccess(a);
    expectSuccess(b);
    const waited = [a, b].filter((result) => result.stdout.includes("Waiting for the PGlite data dir"));
    expect(waited).toHaveLength(1);
    expect([a.outputs.inserted, b.outputs.inserted].sort()).toEqual(["0", "16"]);
    expect(await countIn(workspace, "plans")).toBe(3);
  });

  it("fails with 'in use by pid N' when the data dir stays locked past lock-timeout", async () => {
    const workspace = copyExample();
    const lock = await lockDataDir(join(workspace, ".launchpad/pglite"), { timeoutMs: 0, logger: silentLogger });
    try {
      const result = await seedStep(workspace, { "lock-timeout": "1s" });
      expect(result.code).toBe(1);
      expect(result.annotations.at(-1)?.message).toMatch(new RegExp(`PGlite data dir .*pglite is in use by pid ${process.pid} `));
    } finally {
      lock.release();
    }
  });
});

const postgres = postgresBackend();
describe.skipIf(Boolean(postgres.skipReason))(
  `seed bundle on PostgreSQL${postgres.skipReason ? ` (skipped: ${postgres.skipReason})` : ""}`,
  () => {
    let url: string;
    beforeAll(async () => {
      await postgres.start();
      // Trust authentication ignores the password, so a planted one can be checked for leaks.
      const parsed = new URL(postgres.databaseUrl);
      parsed.password = PLANTED_DB_PASSWORD;
      url = parsed.toString();
    });
    afterAll(() => postgres.stop());

    async function fresh(): Promise<string> {
      await postgres.reset();
      return copyExample();
    }

    /** Resolves once `count` seed sessions are blocked on a lock held by another session. */
    async function waitForBlockedSeeds(count: number): Promise<void> {
      for (let attempt = 0; attempt < 300; attempt++) {
        const [row] = await postgres.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'launchpad-seed' AND wait_event_type = 'Lock'",
        );
        if (row.n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("seed sessions never blocked");
    }

    /** Holds a lock on quota_policies from another session, so an apply stops mid-transaction after writing plans. */
    async function holdQuotaTable(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: postgres.databaseUrl });
      await client.connect();
      await client.query("BEGIN");
      await client.query("LOCK TABLE quota_policies IN SHARE ROW EXCLUSIVE MODE");
      return client;
    }

    it("applies the example, re-applies writing nothing, verifies clean, and shows neither secrets nor the URL's password", async () => {
      const workspace = await fresh();
      const first = await seedStep(workspace, { "database-url": url, env: "staging" });
      expectSuccess(first);
      expect(first.outputs).toMatchObject({ inserted: "16", updated: "0", unchanged: "0" });
      expect(first.masks).toEqual(expect.arrayContaining([url, PLANTED_DB_PASSWORD]));
      const second = await seedStep(workspace, { "database-url": url, "run-id": "again" });
      expectSuccess(second);
      expect(second.outputs).toMatchObject({ "run-id": "again", inserted: "0", updated: "0", deleted: "0", unchanged: "16" });
      const verify = await seedStep(workspace, { "database-url": url, command: "verify" });
      expectSuccess(verify);
      const history = await seedStep(workspace, { "database-url": url, command: "history" });
      expectSuccess(history);
      expect(history.summary).toMatch(/\| again \| apply \| succeeded \|/);
      expect(history.summary).toMatch(/\| gh-4242-1 \| apply \| succeeded \| staging \| 0123456 \| octo-operator \|/);
      for (const result of [first, second, verify, history]) expectNoSecrets(result.visible);
      expect(existsSync(join(workspace, ".launchpad"))).toBe(false);
    });

    it("plan shows the one changed row, rollback to run 1 restores it, and verify is clean again", async () => {
      const workspace = await fresh();
      expectSuccess(await seedStep(workspace, { "database-url": url, "run-id": "one" }));
      const plans = join(workspace, "infrastructure/seed-data/plans.yaml");
      editFile(plans, "max_live_bots: 5", "max_live_bots: 8");
      const plan = await seedStep(workspace, { "database-url": url, command: "plan" });
      expectSuccess(plan);
      expect(plan.outputs).toMatchObject({ inserted: "0", updated: "1", deleted: "0", unchanged: "15" });
      expect(plan.summary).toContain("| plans | premium | update | max_live_bots |");
      const applied = await seedStep(workspace, { "database-url": url, "run-id": "two" });
      expect(applied.outputs.updated).toBe("1");
      const rollback = await seedStep(workspace, { "database-url": url, command: "rollback", "run-id": "one" });
      expectSuccess(rollback);
      expect(rollback.outputs).toMatchObject({ updated: "1", "run-id": "gh-4242-1" });
      editFile(plans, "max_live_bots: 8", "max_live_bots: 5");
      const verify = await seedStep(workspace, { "database-url": url, command: "verify" });
      expectSuccess(verify);
      expect(verify.outputs.drift).toBe("0");
    });

    it("a run killed mid-transaction leaves nothing half-applied, and the next run succeeds", async () => {
      const workspace = await fresh();
      expectSuccess(await seedStep(workspace, { "database-url": url }));
      editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "price_cents: 2900", "price_cents: 3300");
      const blocker = await holdQuotaTable();
      try {
        const step = startSeedStep(workspace, { "database-url": url });
        await step.waitForOutput(/^plans: 0 inserted, 1 updated/m);
        await waitForBlockedSeeds(1);
        step.child.kill("SIGKILL");
        expect((await step.result).signal).toBe("SIGKILL");
      } finally {
        await blocker.query("COMMIT");
        await blocker.end();
      }
      const [price] = await postgres.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'premium'");
      expect(price.price_cents).toBe(2900);
      const next = await seedStep(workspace, { "database-url": url, "lock-timeout": "5s" });
      expectSuccess(next);
      expect(next.outputs).toMatchObject({ inserted: "0", updated: "1" });
      const runs = await postgres.query<{ status: string }>("SELECT status FROM launchpad_seed.seed_runs ORDER BY seq");
      expect(runs.map((run) => run.status)).toEqual(["succeeded", "succeeded"]);
    });

    it("a cancelled job stops at the next table, rolls back and records the run as failed", async () => {
      const workspace = await fresh();
      expectSuccess(await seedStep(workspace, { "database-url": url }));
      editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "price_cents: 2900", "price_cents: 3500");
      const blocker = await holdQuotaTable();
      let step: ReturnType<typeof startSeedStep>;
      try {
        step = startSeedStep(workspace, { "database-url": url, "run-id": "cancelled" });
        await step.waitForOutput(/^plans: 0 inserted, 1 updated/m);
        await waitForBlockedSeeds(1);
        step.child.kill("SIGINT");
        // Only once the step has taken the signal in is the blocked table released: otherwise, on a loaded machine, the
        // released statement's answer can reach the step before the signal does, and the run commits uncancelled.
        await step.waitForOutput("Cancellation requested: stopping before the next table");
      } finally {
        await blocker.query("COMMIT");
        await blocker.end();
      }
      const result = await step!.result;
      expect(result.code).toBe(1);
      expect(result.annotations.at(-1)?.message).toBe("The job was cancelled (SIGINT).");
      const [price] = await postgres.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'premium'");
      expect(price.price_cents).toBe(2900);
      const runs = await postgres.query<{ run_id: string; status: string }>(
        "SELECT run_id, status FROM launchpad_seed.seed_runs WHERE run_id = 'cancelled'",
      );
      expect(runs).toEqual([{ run_id: "cancelled", status: "failed" }]);
    });

    it("two applies at once: the second waits for the first, and nothing is lost or doubled", async () => {
      const workspace = await fresh();
      expectSuccess(await seedStep(workspace, { "database-url": url }));
      editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "price_cents: 4900", "price_cents: 5900");
      const blocker = await holdQuotaTable();
      let first: ReturnType<typeof startSeedStep>;
      let second: ReturnType<typeof startSeedStep>;
      try {
        first = startSeedStep(workspace, { "database-url": url, "run-id": "first" });
        await first.waitForOutput(/^plans: 0 inserted, 1 updated/m);
        second = startSeedStep(workspace, { "database-url": url, "run-id": "second" });
        await second.waitForOutput("Waiting for another seed run");
      } finally {
        await blocker.query("COMMIT");
        await blocker.end();
      }
      const [a, b] = await Promise.all([first!.result, second!.result]);
      expectSuccess(a);
      expectSuccess(b);
      expect(a.outputs).toMatchObject({ updated: "1", inserted: "0" });
      expect(b.outputs).toMatchObject({ updated: "0", inserted: "0", unchanged: "16" });
      const [counts] = await postgres.query<{ plans: number; policies: number; price: number }>(
        "SELECT (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM quota_policies) AS policies, (SELECT price_cents FROM plans WHERE code = 'educator') AS price",
      );
      expect(counts).toEqual({ plans: 3, policies: 8, price: 5900 });
    });

    it("in production: demo users are skipped, and requires-approval manifests need a valid approval record", async () => {
      const workspace = await fresh();
      editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "table: plans\n", "table: plans\nrequires-approval: true\n");
      const production = { "database-url": url, env: "production" };
      const refused = await seedStep(workspace, production, { env: { ...emptyDemoSecrets } });
      expect(refused.code).toBe(1);
      expect(refused.annotations.at(-1)?.message).toBe(
        "infrastructure/seed-data/plans.yaml (plans) has requires-approval: true; apply in production needs Input 'approval-record': the record file the approval action writes.",
      );
      const fields = { environment: "production", sha: "0123456789abcdef0123456789abcdef01234567", approvers: ["alice"] };
      writeFileSync(join(workspace, "approval-record.json"), JSON.stringify({ ...fields, digest: recordDigest(fields) }));
      const applied = await seedStep(
        workspace,
        { ...production, "approval-record": "approval-record.json" },
        { env: { ...emptyDemoSecrets } },
      );
      expectSuccess(applied);
      expect(applied.outputs).toMatchObject({ inserted: "14", updated: "0" });
      expect(applied.summary).toContain("Skipped in `production`");
      const [users] = await postgres.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
      expect(users.n).toBe(0);
    });

    it("an unchanged re-apply records the run without comparing rows, and a tampered row makes it compare and repair", async () => {
      const workspace = await fresh();
      const production = { "database-url": url, env: "production" };
      const options = { env: { ...emptyDemoSecrets } };
      expectSuccess(await seedStep(workspace, { ...production, "run-id": "first" }, options));
      const again = await seedStep(workspace, { ...production, "run-id": "again" }, options);
      expectSuccess(again);
      expect(again.outputs).toMatchObject({ inserted: "0", updated: "0", deleted: "0", unchanged: "14" });
      expect(again.stdout).toContain("14 rows: the same files as run first, into tables untouched since; nothing to compare.");
      expect(again.summary).toContain("The manifest files are byte for byte those of run `first`");
      await postgres.query("UPDATE plans SET max_strategies = 99 WHERE code = 'free'");
      const repaired = await seedStep(workspace, { ...production, "run-id": "repaired" }, options);
      expectSuccess(repaired);
      expect(repaired.outputs).toMatchObject({ inserted: "0", updated: "1", unchanged: "13" });
      expect(repaired.summary).not.toContain("byte for byte");
      const [plan] = await postgres.query<{ max_strategies: number }>("SELECT max_strategies FROM plans WHERE code = 'free'");
      expect(plan.max_strategies).toBe(3);
    });

    it("refuses Supabase's transaction pooler port 6543 before connecting, naming the session pooler port", async (context) => {
      const workspace = await fresh();
      const proxies = [await tcpProxy(6543, postgres.databaseUrl).catch(() => undefined), await tcpProxy(0, postgres.databaseUrl)];
      const [pooler, session] = proxies;
      try {
        if (!pooler) return context.skip("port 6543 is taken on this machine");
        const through = (port: number) => {
          const parsed = new URL(url);
          parsed.port = String(port);
          return parsed.toString();
        };
        const refused = await seedStep(workspace, { "database-url": through(6543) });
        expect(refused.code).toBe(1);
        expect(refused.annotations.at(-1)?.message).toBe(
          "Input 'database-url' uses port 6543, Supabase's transaction pooler, which keeps no session state or prepared statements between transactions; use the session pooler on port 5432 (same host) or the direct connection.",
        );
        expect(pooler.connections).toBe(0);
        expectNoSecrets(refused.visible);
        const [bookkeeping] = await postgres.query<{ name: string | null }>("SELECT to_regclass('launchpad_seed.seed_runs')::text AS name");
        expect(bookkeeping.name).toBeNull();
        // The same database through a forwarder on any other port is fine: the refusal is about the pooler's port.
        const applied = await seedStep(workspace, { "database-url": through(session!.port) });
        expectSuccess(applied);
        expect(session!.connections).toBeGreaterThan(0);
      } finally {
        for (const proxy of proxies) await proxy?.close();
      }
    });

    it("gives up after lock-timeout while another run holds the seed lock, writing nothing", async () => {
      const workspace = await fresh();
      expectSuccess(await seedStep(workspace, { "database-url": url }));
      editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "price_cents: 4900", "price_cents: 6900");
      const blocker = await holdQuotaTable();
      try {
        const first = startSeedStep(workspace, { "database-url": url, "run-id": "holder" });
        await first.waitForOutput(/^plans: 0 inserted, 1 updated/m);
        const second = await seedStep(workspace, { "database-url": url, "lock-timeout": "1s", "run-id": "impatient" });
        expect(second.code).toBe(1);
        expect(second.annotations.at(-1)?.message).toMatch(
          /^Another seed run held the seed lock on PostgreSQL at 127\.0\.0\.1:\d+\/\w+ for longer than lock-timeout \(1s\); nothing was changed\.$/,
        );
        first.child.kill("SIGKILL");
        await first.result;
      } finally {
        await blocker.query("COMMIT");
        await blocker.end();
      }
      const [educator] = await postgres.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'educator'");
      expect(educator.price_cents).toBe(4900);
      const recorded = await postgres.query<{ run_id: string }>(
        "SELECT run_id FROM launchpad_seed.seed_runs WHERE run_id IN ('holder', 'impatient') AND status = 'succeeded'",
      );
      expect(recorded).toEqual([]);
    });
  },
);
