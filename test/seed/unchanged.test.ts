import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordDigest } from "../../src/lib/audit-record.js";
import { removeExampleCopies } from "../support/example.js";
import { BACKENDS, DEMO_SECRETS } from "./backends.js";
import { coreHarness } from "./core-support.js";

afterAll(removeExampleCopies);

const backends = BACKENDS.map((make) => make());
/** 14 rows: the example's manifests in production, where the demo users (and so every secret) are skipped. */
const PRODUCTION = { env: "production" } as const;
const APPROVED = { environment: "production", sha: "0123456789abcdef", approver: "alice" };
const UNCHANGED = { inserted: 0, updated: 0, deleted: 0, unchanged: 14 };

describe.each(backends)("seed on $name: an apply of unchanged files into untouched tables", (backend) => {
  const suite = backend.skipReason ? describe.skip : describe;
  suite(backend.skipReason ? `skipped: ${backend.skipReason}` : "cores", () => {
    const core = coreHarness(backend);
    const { seed, editManifest } = core;
    const apply = (runId: string) => seed("apply", { ...PRODUCTION, runId }, {});
    const runs = () =>
      backend.query<{ run_id: string; status: string; digest: string; counts: string }>(
        "SELECT run_id, status, digest, counts::text AS counts FROM launchpad_seed.seed_runs ORDER BY seq",
      );

    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    beforeEach(() => core.reset());

    it("records the run without reading a row, with the counts, digest and summary of a full no-op apply", async () => {
      const first = await apply("first");
      expect(first.totals.inserted).toBe(14);
      expect(first.unchangedSince).toBeUndefined();
      core.state.lines.length = 0;
      const second = await apply("second");
      expect(second.unchangedSince).toBe("first");
      expect(second.totals).toEqual(UNCHANGED);
      expect(second.digest).toBe(first.digest);
      expect(second.skipped).toEqual([
        { file: "infrastructure/seed-data/demo-users.yaml", table: "users", environments: ["local", "staging"] },
      ]);
      expect(second.tables.map((table) => table.table)).toEqual(first.tables.map((table) => table.table));
      expect(second.summary).toContain("byte for byte those of run `first`");
      expect(core.state.lines.join("\n")).toContain("the same files as run first, into tables untouched since; nothing to compare.");
      expect(core.state.lines.join("\n")).not.toContain("lint clean");
      // The next one compares with the last run: a chain of unchanged applies stays short.
      expect((await apply("third")).unchangedSince).toBe("second");
      const recorded = await runs();
      expect(recorded.map((run) => [run.run_id, run.status, run.digest])).toEqual([
        ["first", "succeeded", first.digest],
        ["second", "succeeded", first.digest],
        ["third", "succeeded", first.digest],
      ]);
      expect(JSON.parse(recorded[2].counts)).toMatchObject(UNCHANGED);
      // A rollback to a run recorded this way replays the manifests it stands for.
      const rolled = await seed("rollback", { ...PRODUCTION, runId: "second" }, {});
      expect(rolled.totals).toEqual(UNCHANGED);
      expect((await seed("verify", PRODUCTION, {})).ok).toBe(true);
    });

    it("compares every row again after anyone writes to a table, and puts the row back", async () => {
      await apply("first");
      // The same value written again still makes a new row version: the mark changes, the comparison finds nothing.
      await backend.query("UPDATE plans SET name = name WHERE code = 'free'");
      const rewritten = await apply("second");
      expect(rewritten.unchangedSince).toBeUndefined();
      expect(rewritten.totals).toEqual(UNCHANGED);
      await backend.query("UPDATE plans SET price_cents = 1 WHERE code = 'premium'");
      const repaired = await apply("third");
      expect(repaired.unchangedSince).toBeUndefined();
      expect(repaired.totals).toMatchObject({ updated: 1, unchanged: 13 });
      const [price] = await backend.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'premium'");
      expect(price.price_cents).toBe(2900);
      await backend.query("DELETE FROM quota_policies WHERE plan_code = 'free' AND resource = 'backtests'");
      expect((await apply("fourth")).totals).toMatchObject({ inserted: 1, unchanged: 13 });
      expect((await apply("fifth")).unchangedSince).toBe("fourth");
    });

    it("parses again when a file's bytes change, even if its content does not, and when a migration is pending", async () => {
      await apply("first");
      editManifest("plans.yaml", "# Subscription plans.", "# Subscription plans (comment edited).");
      const edited = await apply("second");
      expect(edited.unchangedSince).toBeUndefined();
      expect(edited.totals).toEqual(UNCHANGED);
      expect(core.state.lines.join("\n")).toContain("lint clean");
      expect((await apply("third")).unchangedSince).toBe("second");
      writeFileSync(join(core.state.root, "infrastructure/migrations/003_plans_note.sql"), "ALTER TABLE plans ADD COLUMN note text;\n");
      const migrated = await apply("fourth");
      expect(migrated.unchangedSince).toBeUndefined();
      expect(migrated.migrations).toEqual(["003_plans_note.sql"]);
      expect((await apply("fifth")).unchangedSince).toBe("fourth");
    });

    it("reads the JSON Schema files the manifests name as part of the files: an edited schema is linted again", async () => {
      const schemaPath = join(core.state.root, "infrastructure/seed-data/quota.schema.json");
      const schema = (maximum: number) => JSON.stringify({ type: "object", properties: { burst: { type: "integer", maximum } } });
      writeFileSync(schemaPath, schema(1000));
      editManifest("quota-policies.yaml", "schema: quota-policies", "schema: quota.schema.json");
      await apply("first");
      expect((await apply("second")).unchangedSince).toBe("first");
      writeFileSync(schemaPath, schema(10));
      await expect(apply("third")).rejects.toThrow(/quota-policies\.yaml:\d+:\d+: .*burst/);
      writeFileSync(schemaPath, schema(1000));
      expect((await apply("fourth")).unchangedSince).toBe("second");
    });

    it("parses again for another environment, another tool version, or after a rollback", async () => {
      await apply("first");
      expect((await seed("apply", { env: "staging-eu", runId: "other-env" }, {})).unchangedSince).toBeUndefined();
      expect(
        (await seed("apply", { ...PRODUCTION, runId: "other-tool", toolVersion: "launchpad next" }, {})).unchangedSince,
      ).toBeUndefined();
      await seed("rollback", { ...PRODUCTION, runId: "first" }, {});
      expect((await apply("after-rollback")).unchangedSince).toBeUndefined();
      expect((await apply("again")).unchangedSince).toBe("after-rollback");
    });

    it("never skips the comparison when a manifest reads a secret or needs approval", async () => {
      await seed("apply", { runId: "first" });
      const again = await seed("apply", { runId: "second" });
      expect(again.unchangedSince).toBeUndefined();
      expect(again.totals).toEqual({ inserted: 0, updated: 0, deleted: 0, unchanged: 16 });
      // A changed secret is still seen: the stored hash no longer matches it and is replaced.
      const changed = await seed("apply", { runId: "third" }, { ...DEMO_SECRETS, SEED_DEMO_SUPPORT_PASSWORD: "another-secret-4Lm" });
      expect(changed.unchangedSince).toBeUndefined();
      expect(changed.totals).toMatchObject({ updated: 1, unchanged: 15 });

      appendFileSync(join(core.state.root, "infrastructure/seed-data/plans.yaml"), "requires-approval: true\n");
      const record = join(core.state.root, "approval.json");
      writeFileSync(record, JSON.stringify({ ...APPROVED, digest: recordDigest(APPROVED) }));
      await seed("apply", { ...PRODUCTION, runId: "approved", approvalRecord: record }, {});
      await expect(seed("apply", { ...PRODUCTION, runId: "unapproved" }, {})).rejects.toThrow(
        /plans\.yaml \(plans\) has requires-approval: true; apply in production needs Input 'approval-record'/,
      );
    });

    it("leaves a bookkeeping written by a newer seeder to the full path, which refuses it", async () => {
      await apply("first");
      await backend.query("INSERT INTO launchpad_seed.schema_version (version, tool_version) VALUES (99, 'launchpad 9.0.0')");
      await expect(apply("second")).rejects.toThrow(/is at schema version 99, written by a newer launchpad;/);
      expect((await runs()).map((run) => run.run_id)).toEqual(["first"]);
    });

    it("takes the full path, and its error, when a table it marked is gone", async () => {
      await apply("first");
      await backend.query("DROP TABLE quota_policies");
      await expect(apply("second")).rejects.toThrow(/table quota_policies does not exist in .+; create it in a migration first\./);
      const recorded = await runs();
      expect(recorded.map((run) => [run.run_id, run.status])).toEqual([
        ["first", "succeeded"],
        ["second", "failed"],
      ]);
    });
  });
});
