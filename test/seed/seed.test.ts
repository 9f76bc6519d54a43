import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/lib/errors.js";
import { removeExampleCopies } from "../support/example.js";
import { BACKENDS, DEMO_SECRETS } from "./backends.js";
import { coreHarness } from "./core-support.js";

afterAll(removeExampleCopies);

const backends = BACKENDS.map((make) => make());

describe.each(backends)("seed on $name", (backend) => {
  const suite = backend.skipReason ? describe.skip : describe;
  suite(backend.skipReason ? `skipped: ${backend.skipReason}` : "cores", () => {
    const core = coreHarness(backend);
    const { seed, editManifest } = core;

    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    beforeEach(() => core.reset());

    it("applies the example manifests, and a second apply writes zero rows", async () => {
      const first = await seed("apply", { runId: "first" });
      expect(first.totals).toEqual({ inserted: 16, updated: 0, deleted: 0, unchanged: 0 });
      expect(first.migrations).toEqual(["001_plans.sql", "002_templates_and_users.sql"]);
      const second = await seed("apply");
      expect(second.totals).toEqual({ inserted: 0, updated: 0, deleted: 0, unchanged: 16 });
      expect(second.migrations).toEqual([]);
      const [plans] = await backend.query<{ n: number }>("SELECT count(*)::int AS n FROM plans");
      expect(plans.n).toBe(3);
      const verified = await seed("verify");
      expect(verified.ok).toBe(true);
      expect(verified.drift).toEqual([]);
    });

    it("stores text with quotes, backslashes, braces, commas, NULL-like words and newlines exactly as written", async () => {
      const tricky = 'Pre"mium\\ {a,b} NULL, \\"x\\" é';
      editManifest("plans.yaml", "name: Premium", `name: ${JSON.stringify(`${tricky}\nline two`)}`);
      // No backslash in the JSON of this one, so it travels in the literal that JSON.stringify writes.
      const plain = '{Fr,ee} "NULL" , NULL é}';
      editManifest("plans.yaml", "name: Free", `name: ${JSON.stringify(plain)}`);
      expect((await seed("apply")).totals.inserted).toBe(16);
      const names = await backend.query<{ code: string; name: string }>(
        "SELECT code, name FROM plans WHERE code IN ('free', 'premium') ORDER BY code",
      );
      expect(names).toEqual([
        { code: "free", name: plain },
        { code: "premium", name: `${tricky}\nline two` },
      ]);
      expect((await seed("apply")).totals).toEqual({ inserted: 0, updated: 0, deleted: 0, unchanged: 16 });
      expect((await seed("verify")).ok).toBe(true);
    });

    it("records each run with its env, sha, operator, manifest digests and counts", async () => {
      const applied = await seed("apply", { runId: "audited" });
      const [run] = await backend.query<Record<string, string>>(
        "SELECT run_id, env, git_sha, operator, tool_version, status, seed_runs.digest, seed_runs.manifests::text AS manifests, counts::text AS counts, s.manifests AS snapshot, finished_at IS NOT NULL AS done FROM launchpad_seed.seed_runs JOIN launchpad_seed.snapshots s ON s.digest = snapshot_digest",
      );
      expect(run).toMatchObject({
        run_id: "audited",
        env: "staging",
        git_sha: "0123456789abcdef",
        operator: "tester",
        tool_version: "launchpad test",
        status: "succeeded",
        digest: applied.digest,
        done: true,
      });
      const manifests = JSON.parse(run.manifests);
      expect(manifests.map((entry: { table: string }) => entry.table).sort()).toEqual([
        "plans",
        "quota_policies",
        "strategy_templates",
        "users",
      ]);
      expect(manifests.find((entry: { table: string }) => entry.table === "plans")).toMatchObject({
        version: "2026.11.1",
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(JSON.parse(run.counts)).toMatchObject({ inserted: 16, updated: 0 });
      expect(run.snapshot).toContain("SEED_DEMO_EDUCATOR_PASSWORD");
      expect(run.snapshot).not.toContain(DEMO_SECRETS.SEED_DEMO_EDUCATOR_PASSWORD);
      const history = await seed("history");
      expect(history.history?.map((entry) => entry.runId)).toEqual(["audited"]);
      expect(history.summary).toContain("audited");
    });

    it("plans exactly the one changed row, writes nothing, and apply then updates one", async () => {
      await seed("apply");
      editManifest("plans.yaml", "price_cents: 2900", "price_cents: 3100");
      const plan = await seed("plan");
      expect(plan.changes).toEqual([{ table: "plans", key: ["premium"], action: "update", columns: ["price_cents"] }]);
      expect(plan.totals).toEqual({ inserted: 0, updated: 1, deleted: 0, unchanged: 15 });
      const [price] = await backend.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'premium'");
      expect(price.price_cents).toBe(2900);
      const applied = await seed("apply");
      expect(applied.totals).toEqual({ inserted: 0, updated: 1, deleted: 0, unchanged: 15 });
      const [after] = await backend.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'premium'");
      expect(after.price_cents).toBe(3100);
    });

    it("verify names tampered, missing and extra rows and fails", async () => {
      await seed("apply");
      await backend.query(
        `UPDATE strategy_templates SET descriptions = jsonb_set(descriptions, '{de}', '"manipuliert"') WHERE slug = 'weekly-dca'`,
      );
      await backend.query(`DELETE FROM quota_policies WHERE plan_code = 'free' AND resource = 'api_calls'`);
      editManifest("plans.yaml", /\n {2}- code: educator[\s\S]*$/, "\n");
      editManifest("demo-users.yaml", "plan_code: educator", "plan_code: premium");
      editManifest("quota-policies.yaml", /\n.*plan_code: educator.*/g, "");
      const result = await seed("verify");
      expect(result.ok).toBe(false);
      expect(result.drift).toEqual(
        expect.arrayContaining([
          { table: "strategy_templates", key: ["weekly-dca"], kind: "changed", columns: ["descriptions"] },
          { table: "quota_policies", key: ["free", "api_calls"], kind: "missing" },
          { table: "plans", key: ["educator"], kind: "extra" },
          { table: "users", key: ["demo.educator@blockbuilders.example"], kind: "changed", columns: ["plan_code"] },
        ]),
      );
      expect(result.summary).toContain("weekly-dca");
      expect(result.summary).toContain("descriptions");
    });

    it("rolls back to run 1: the manifests of run 1 verify clean again and rows added since are pruned", async () => {
      const original = readFileSync(join(core.state.root, "infrastructure/seed-data/plans.yaml"), "utf8");
      await seed("apply", { runId: "one" });
      editManifest("plans.yaml", "price_cents: 2900", "price_cents: 3900");
      editManifest(
        "plans.yaml",
        "rows:\n",
        "rows:\n  - { code: enterprise, name: Enterprise, price_cents: 99900, currency: usd, stripe_price_id: price_1Ent, max_strategies: null, max_backtests_per_day: null, max_live_bots: null, feature_flags: {}, sort_order: 4 }\n",
      );
      const two = await seed("apply", { runId: "two" });
      expect(two.totals).toMatchObject({ inserted: 1, updated: 1 });
      await backend.query("INSERT INTO plans (code, name, price_cents, currency) VALUES ('partner', 'Partner', 0, 'usd')");
      const rollback = await seed("rollback", { runId: "one" });
      expect(rollback.rolledBackTo).toBe("one");
      expect(rollback.totals).toMatchObject({ updated: 1, deleted: 1 });
      const codes = await backend.query<{ code: string }>("SELECT code FROM plans ORDER BY code");
      expect(codes.map((row) => row.code)).toEqual(["educator", "free", "partner", "premium"]);
      writeFileSync(join(core.state.root, "infrastructure/seed-data/plans.yaml"), original);
      const verified = await seed("verify");
      expect(verified.drift).toEqual([]);
      const history = await seed("history");
      expect(history.history?.[0]).toMatchObject({ command: "rollback", rollbackOf: "one", status: "succeeded" });
    });

    it("prune deletes only rows the seeder created", async () => {
      await seed("apply");
      await backend.query("INSERT INTO quota_policies (plan_code, resource, period, hard_limit) VALUES ('free', 'exports', 'month', 1)");
      editManifest("quota-policies.yaml", /\n.*resource: exports.*/, "");
      const plan = await seed("plan");
      expect(plan.changes).toEqual([{ table: "quota_policies", key: ["educator", "exports"], action: "delete" }]);
      const applied = await seed("apply");
      expect(applied.totals.deleted).toBe(1);
      const left = await backend.query<{ plan_code: string }>("SELECT plan_code FROM quota_policies WHERE resource = 'exports'");
      expect(left).toEqual([{ plan_code: "free" }]);
    });

    it("a failing apply leaves nothing half-applied and records the failed run", async () => {
      editManifest("strategy-templates.yaml", "schema: templates\n", "");
      editManifest("strategy-templates.yaml", "min_plan: premium", "min_plan: platinum");
      const error = await seed("apply", { runId: "broken" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(
        /^infrastructure\/seed-data\/strategy-templates\.yaml:\d+:\d+: writing strategy_templates failed: .*foreign key/,
      );
      const tables = await backend.query<{ name: string | null }>("SELECT to_regclass('public.plans')::text AS name");
      expect(tables).toEqual([{ name: null }]);
      const runs = await backend.query<{ run_id: string; status: string; error: string }>(
        "SELECT run_id, status, error FROM launchpad_seed.seed_runs",
      );
      expect(runs).toEqual([{ run_id: "broken", status: "failed", error: expect.stringContaining("foreign key") }]);
    });

    it("refuses to continue when an applied migration has changed", async () => {
      await seed("apply");
      const path = join(core.state.root, "infrastructure/migrations/001_plans.sql");
      writeFileSync(path, `${readFileSync(path, "utf8")}\n-- edited\n`);
      await expect(seed("apply")).rejects.toThrow(/001_plans\.sql: this migration was applied by run run-\d+ and has changed since/);
    });

    it("plan and verify report a pending migration without applying it", async () => {
      await seed("apply");
      writeFileSync(
        join(core.state.root, "infrastructure/migrations/003_referral_codes.sql"),
        "CREATE TABLE referral_codes (code text PRIMARY KEY);\n",
      );
      const plan = await seed("plan");
      expect(plan.migrations).toEqual(["003_referral_codes.sql"]);
      expect(plan.summary).toContain("Pending migrations: `003_referral_codes.sql`");
      const verify = await seed("verify");
      expect(verify.drift).toEqual([{ table: "(migrations)", key: ["003_referral_codes.sql"], kind: "missing" }]);
      const [table] = await backend.query<{ name: string | null }>("SELECT to_regclass('public.referral_codes')::text AS name");
      expect(table.name).toBeNull();
      expect((await seed("apply")).migrations).toEqual(["003_referral_codes.sql"]);
      expect((await seed("verify")).ok).toBe(true);
    });

    it("keeps a stored password hash that still matches, and rehashes when the secret changes", async () => {
      await seed("apply");
      const [stored] = await backend.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE role = 'support'");
      expect(stored.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(stored.password_hash).not.toContain(DEMO_SECRETS.SEED_DEMO_SUPPORT_PASSWORD);
      expect((await seed("apply")).totals.updated).toBe(0);
      const rotated = { ...DEMO_SECRETS, SEED_DEMO_SUPPORT_PASSWORD: "rotated-support-secret" };
      const drift = await seed("verify", {}, rotated);
      expect(drift.drift).toEqual([
        { table: "users", key: ["support@blockbuilders.example"], kind: "changed", columns: ["password_hash"] },
      ]);
      const applied = await seed("apply", {}, rotated);
      expect(applied.totals.updated).toBe(1);
      expect((await seed("verify", {}, rotated)).ok).toBe(true);
    });

    it("names the missing secret variable and writes nothing", async () => {
      const error = await seed("apply", {}, { SEED_DEMO_SUPPORT_PASSWORD: "x-secret-value" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/demo-users\.yaml:\d+:\d+: environment variable SEED_DEMO_EDUCATOR_PASSWORD is not set/);
      const [present] = await backend.query<{ name: string | null }>("SELECT to_regclass('launchpad_seed.seed_runs')::text AS name");
      expect(present.name).toBeNull();
    });
  });
});
