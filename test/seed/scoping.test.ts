import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordDigest } from "../../src/lib/audit-record.js";
import { ConfigurationError } from "../../src/lib/errors.js";
import { removeExampleCopies } from "../support/example.js";
import { BACKENDS } from "./backends.js";
import { coreHarness } from "./core-support.js";

afterAll(removeExampleCopies);

const backends = BACKENDS.map((make) => make());

/** A record file as the approval action writes it: its fields plus the digest over them. */
function approvalRecord(fields: Record<string, unknown>): string {
  return JSON.stringify({ ...fields, digest: recordDigest(fields) });
}

describe.each(backends)("seed on $name: environments, approval, schema version, YAML spellings", (backend) => {
  const suite = backend.skipReason ? describe.skip : describe;
  suite(backend.skipReason ? `skipped: ${backend.skipReason}` : "cores", () => {
    const core = coreHarness(backend);
    const { seed, editManifest } = core;
    const runCount = async () => (await backend.query<{ n: number }>("SELECT count(*)::int AS n FROM launchpad_seed.seed_runs"))[0].n;
    const seedTablesExist = async () =>
      (await backend.query<{ name: string | null }>("SELECT to_regclass('launchpad_seed.seed_runs')::text AS name"))[0].name !== null;

    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    beforeEach(() => core.reset());

    it("skips the demo users outside local and staging, says so, and verifies the rest clean", async () => {
      const applied = await seed("apply", { env: "production" }, {});
      expect(applied.totals).toEqual({ inserted: 14, updated: 0, deleted: 0, unchanged: 0 });
      expect(applied.tables.map((counts) => counts.table)).not.toContain("users");
      expect(applied.summary).toContain(
        "Skipped in `production` (not listed in their environments): `infrastructure/seed-data/demo-users.yaml` (users; environments: local, staging)",
      );
      const [users] = await backend.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
      expect(users.n).toBe(0);
      const plan = await seed("plan", { env: "production" }, {});
      expect(plan.totals).toEqual({ inserted: 0, updated: 0, deleted: 0, unchanged: 14 });
      const verify = await seed("verify", { env: "production" }, {});
      expect(verify.ok).toBe(true);
      expect(verify.summary).toContain("Skipped in `production`");
      expect(verify.digest).toBe(applied.digest);
      const staging = await seed("apply", { env: "staging" });
      expect(staging.totals).toEqual({ inserted: 2, updated: 0, deleted: 0, unchanged: 14 });
      expect(staging.skipped).toEqual([]);
    });

    it("rollback in production replays only what production gets", async () => {
      await seed("apply", { env: "production", runId: "prod-1" }, {});
      editManifest("plans.yaml", "price_cents: 2900", "price_cents: 3900");
      await seed("apply", { env: "production", runId: "prod-2" }, {});
      const rollback = await seed("rollback", { env: "production", runId: "prod-1" }, {});
      expect(rollback.totals).toMatchObject({ updated: 1 });
      expect(rollback.tables.map((counts) => counts.table)).not.toContain("users");
    });

    describe("requires-approval in production", () => {
      beforeEach(() => editManifest("plans.yaml", "table: plans\n", "table: plans\nrequires-approval: true\n"));
      const recordPath = () => join(core.state.root, "approval.json");

      it("refuses apply without the approval record, naming the manifest, and writes nothing", async () => {
        const error = await seed("apply", { env: "production" }, {}).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toBe(
          "infrastructure/seed-data/plans.yaml (plans) has requires-approval: true; apply in production needs Input 'approval-record': the record file the approval action writes.",
        );
        expect(await seedTablesExist()).toBe(false);
      });

      it("refuses a record whose digest does not match, or that approves another environment or another commit", async () => {
        const tampered = JSON.parse(approvalRecord({ environment: "production", sha: "0123456789abcdef", approver: "alice" }));
        tampered.approver = "mallory";
        writeFileSync(recordPath(), JSON.stringify(tampered));
        await expect(seed("apply", { env: "production", approvalRecord: recordPath() }, {})).rejects.toThrow(
          "Input 'approval-record': approval.json does not carry a valid digest (edited, or not written by the approval action); infrastructure/seed-data/plans.yaml (plans) cannot be changed in production with it.",
        );
        writeFileSync(recordPath(), approvalRecord({ environment: "staging", sha: "0123456789abcdef" }));
        await expect(seed("apply", { env: "production", approvalRecord: recordPath() }, {})).rejects.toThrow(
          `Input 'approval-record': approval.json approves environment "staging", not production; infrastructure/seed-data/plans.yaml (plans) cannot be changed with it.`,
        );
        writeFileSync(recordPath(), approvalRecord({ environment: "production", sha: "fedcba9876543210" }));
        await expect(seed("apply", { env: "production", approvalRecord: recordPath() }, {})).rejects.toThrow(
          "Input 'approval-record': approval.json approves commit fedcba9876543210, but this run applies 0123456789abcdef; infrastructure/seed-data/plans.yaml (plans) cannot be changed in production with it.",
        );
        writeFileSync(recordPath(), approvalRecord({ environment: "production" }));
        await expect(seed("apply", { env: "production", approvalRecord: recordPath(), gitSha: "" }, {})).rejects.toThrow(
          "Input 'approval-record': approval.json approves commit null, but this run applies an unknown commit (no GITHUB_SHA and no git checkout);",
        );
        await expect(seed("apply", { env: "production", approvalRecord: join(core.state.root, "missing.json") }, {})).rejects.toThrow(
          "Input 'approval-record': missing.json does not exist;",
        );
        expect(await seedTablesExist()).toBe(false);
      });

      it("applies with a valid record for production, and staging needs none", async () => {
        writeFileSync(recordPath(), approvalRecord({ environment: "production", sha: "0123456789abcdef", approver: "alice" }));
        const applied = await seed("apply", { env: "production", approvalRecord: recordPath() }, {});
        expect(applied.totals.inserted).toBe(14);
        expect((await seed("apply", { env: "staging" })).totals.inserted).toBe(2);
      });

      it("refuses a production rollback without the record, adding no audit row", async () => {
        writeFileSync(recordPath(), approvalRecord({ environment: "production", sha: "0123456789abcdef" }));
        await seed("apply", { env: "production", approvalRecord: recordPath(), runId: "approved" }, {});
        await expect(seed("rollback", { env: "production", runId: "approved" }, {})).rejects.toThrow(
          /plans\.yaml \(plans\) has requires-approval: true; rollback in production needs Input 'approval-record'/,
        );
        expect(await runCount()).toBe(1);
        const rollback = await seed("rollback", { env: "production", runId: "approved", approvalRecord: recordPath() }, {});
        expect(rollback.rolledBackTo).toBe("approved");
      });
    });

    it("a mistyped rollback run id fails naming the input and adds no audit row", async () => {
      await seed("apply");
      const error = await seed("rollback", { runId: "no-such-run" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/^Input 'run-id': no succeeded seed run no-such-run is recorded in /);
      expect(await runCount()).toBe(1);
    });

    it("records the schema version, adopts a database from before versions, and refuses one from a newer seeder", async () => {
      await seed("apply", { runId: "first" });
      const versions = () => backend.query<{ version: number }>("SELECT version FROM launchpad_seed.schema_version ORDER BY version");
      expect(await versions()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      // Version 2: stored manifests compressed with lz4 where the server has it (PGlite has not, and keeps pglz).
      const [snapshots] = await backend.query<{ compression: string }>(
        "SELECT attcompression::text AS compression FROM pg_attribute WHERE attrelid = 'launchpad_seed.snapshots'::regclass AND attname = 'manifests'",
      );
      expect(snapshots.compression).toBe(backend.name === "PostgreSQL" ? "l" : "");
      await backend.query("DROP TABLE launchpad_seed.schema_version");
      expect((await seed("apply", { runId: "second" })).totals.unchanged).toBe(16);
      expect(await versions()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect(await runCount()).toBe(2);
      await backend.query("INSERT INTO launchpad_seed.schema_version (version, tool_version) VALUES (99, 'launchpad 9.0.0')");
      editManifest("plans.yaml", "price_cents: 2900", "price_cents: 3900");
      for (const command of ["apply", "plan"] as const) {
        const error = await seed(command).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toMatch(
          /^The seed bookkeeping \(launchpad_seed\) in .+ is at schema version 99, written by a newer launchpad; this one \(launchpad test\) knows versions up to 3\. Use the newer seed action; nothing was changed\.$/,
        );
      }
      const [price] = await backend.query<{ price_cents: number }>("SELECT price_cents FROM plans WHERE code = 'premium'");
      expect(price.price_cents).toBe(2900);
      expect(await runCount()).toBe(2);
    });

    describe("YAML spellings landing in text columns", () => {
      const TABLE_SQL =
        "CREATE TABLE labels (code text PRIMARY KEY, label text, short varchar(8), tags text[], n integer, ratio double precision, meta jsonb);\n";
      beforeEach(() => writeFileSync(join(core.state.root, "infrastructure/migrations/003_labels.sql"), TABLE_SQL));
      const writeLabels = (rows: string) =>
        writeFileSync(join(core.state.root, "infrastructure/seed-data/labels.yaml"), `table: labels\nkey: code\nrows:\n${rows}`);

      it.each([
        ["1e3", "the number 1000 (stored as '1000')"],
        ["0x1F", "the number 31 (stored as '31')"],
        ["0o17", "the number 15 (stored as '15')"],
        ["+12", "the number 12 (stored as '12')"],
        [".inf", "the number Infinity (stored as 'Infinity')"],
        [".NaN", "the number NaN (stored as 'NaN')"],
        ["True", "the boolean true (stored as 'true')"],
        ["Null", "null (stored as NULL)"],
        ["~", "null (stored as NULL)"],
      ])("refuses %s in a text column at its place, with the quoted spelling as the fix", async (spelling, read) => {
        writeLabels(`  - code: a\n    label: ${spelling}\n    short: ok\n    tags: [x]\n    n: 1\n    ratio: 1\n    meta: {}\n`);
        const error = await seed("plan").catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toBe(
          `infrastructure/seed-data/labels.yaml:5:12: ${spelling} is read as ${read}, but labels.label is text; quote it ("${spelling}") to store it as written.`,
        );
      });

      it("checks varchar and text[] elements too, applies nothing, and takes the same spellings in number and json columns", async () => {
        writeLabels("  - { code: a, label: x, short: 0x1F, tags: [ok, 1e3], n: 0x1F, ratio: 1e3, meta: { big: 1e3, on: True } }\n");
        const error = await seed("apply").catch((caught: unknown) => caught);
        expect((error as Error).message).toBe(
          `infrastructure/seed-data/labels.yaml:4:33: 0x1F is read as the number 31 (stored as '31'), but labels.short is character varying(8); quote it ("0x1F") to store it as written. (and 1 more in infrastructure/seed-data/labels.yaml)`,
        );
        const [table] = await backend.query<{ name: string | null }>("SELECT to_regclass('public.labels')::text AS name");
        expect(table.name).toBeNull();
        writeLabels(`  - { code: a, label: "1e3", short: "0x1F", tags: [ok, "1e3"], n: 0x1F, ratio: 1e3, meta: { big: 1e3, on: True } }\n`);
        await seed("apply");
        const [row] = await backend.query<Record<string, unknown>>(
          "SELECT label, short, tags::text AS tags, n, ratio::text AS ratio, meta::text AS meta FROM labels",
        );
        expect(row).toEqual({ label: "1e3", short: "0x1F", tags: "{ok,1e3}", n: 31, ratio: "1000", meta: '{"on": true, "big": 1000}' });
      });

      it("refuses .inf and .nan in any other column, which the stored manifests could not keep, and takes them quoted", async () => {
        writeLabels("  - { code: a, label: x, short: y, tags: [], n: 1, ratio: -.inf, meta: {} }\n");
        await expect(seed("apply")).rejects.toThrow(
          `infrastructure/seed-data/labels.yaml:4:59: -.inf is read as -Infinity, which the run's stored manifests (JSON) cannot keep: a rollback would write NULL (labels.ratio is double precision); quote it ("-Infinity") to store -Infinity.`,
        );
        writeLabels("  - { code: a, label: x, short: y, tags: [], n: 1, ratio: 1, meta: { score: .NaN } }\n");
        await expect(seed("apply")).rejects.toThrow(
          "infrastructure/seed-data/labels.yaml:4:77: .NaN is read as NaN, which JSON cannot hold (labels.meta is jsonb); write a string or null instead.",
        );
        writeLabels(`  - { code: a, label: x, short: y, tags: [], n: 1, ratio: "-Infinity", meta: {} }\n`);
        await seed("apply", { runId: "infinite" });
        writeLabels("  - { code: a, label: x, short: y, tags: [], n: 1, ratio: 2, meta: {} }\n");
        await seed("apply");
        await seed("rollback", { runId: "infinite" });
        const [row] = await backend.query<{ ratio: string }>("SELECT ratio::text AS ratio FROM labels");
        expect(row.ratio).toBe("-Infinity");
      });
    });
  });
});
