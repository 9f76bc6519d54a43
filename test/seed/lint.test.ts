import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/lib/logger.js";
import { Secrets } from "../../src/lib/secrets.js";
import { runSeed } from "../../src/seed/seed.js";
import type { Diagnostic } from "../../src/seed/types.js";

/** Writes the given manifests into a fresh workspace and lints them; returns `file:line:col message` lines. */
async function lint(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), "launchpad-seed-lint-"));
  mkdirSync(join(root, "seed"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, "seed", name), text);
  const result = await runSeed(
    {
      command: "lint",
      workspace: root,
      manifestsDir: join(root, "seed"),
      databaseUrl: "",
      pgliteDir: join(root, ".launchpad/pglite"),
      env: "test",
      defaultRunId: "lint",
      operator: "tester",
      gitSha: "",
      lockTimeoutMs: 1000,
      toolVersion: "test",
    },
    { logger: silentLogger, secrets: new Secrets(), env: {} },
  );
  expect(result.ok).toBe(result.diagnostics.length === 0);
  return result.diagnostics.map((item: Diagnostic) => `${item.file}:${item.line}:${item.col} ${item.message}`);
}

const PLANS = `table: plans
key: code
schema: plans
rows:
  - { code: free, name: Free, price_cents: 0, currency: usd }
  - { code: premium, name: Premium, price_cents: 2900, currency: usd }
`;

describe("seed lint", () => {
  it("passes clean manifests", async () => {
    expect(await lint({ "plans.yaml": PLANS })).toEqual([]);
  });

  it("reports malformed YAML at its line and column", async () => {
    const found = await lint({ "plans.yaml": "table: plans\nkey: code\nrows:\n  - code: free\n    name: [unclosed\n" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^seed\/plans\.yaml:\d+:\d+ /);
    expect(found[0]).not.toMatch(/^seed\/plans\.yaml:1:/);
  });

  it("reports schema errors at the offending value, field or row", async () => {
    const text = `table: plans
key: code
schema: plans
rows:
  - code: free
    name: Free
    price_cents: -5
    currency: usd
  - code: premium
    name: Premium
    price_cents: 100
    currency: usd
    colour: blue
  - code: educator
    price_cents: 100
    currency: usd
`;
    expect(await lint({ "plans.yaml": text })).toEqual([
      "seed/plans.yaml:5:5 row has no colour; every row lists the same columns (write colour: null for NULL)",
      "seed/plans.yaml:7:18 price_cents must be >= 0",
      "seed/plans.yaml:13:5 unknown field 'colour'",
      "seed/plans.yaml:14:5 row has no name, colour; every row lists the same columns (write name: null for NULL)",
      "seed/plans.yaml:14:5 must have required property 'name'",
    ]);
  });

  it("catches YAML coercion traps: 1.10, 012 and integers past 2^53", async () => {
    const text = `table: things
key: id
rows:
  - { id: "a", version: 1.10, code: 012, big: 9007199254740993, fine: 1.5, quoted: "1.10" }
`;
    expect(await lint({ "things.yaml": text })).toEqual([
      `seed/things.yaml:4:25 1.10 is read as the number 1.1, dropping the trailing zero; quote it ("1.10") to keep it as written`,
      `seed/things.yaml:4:37 012 is read as the number 12, dropping the leading zero; quote it ("012") to keep it as written`,
      `seed/things.yaml:4:47 9007199254740993 is past 2^53 and cannot be read exactly as a number; quote it ("9007199254740993") to keep it as written`,
    ]);
  });

  it("finds duplicate keys and dangling references across files", async () => {
    const policies = `table: quota_policies
key: [plan_code, resource]
schema: quota-policies
rows:
  - { plan_code: free, resource: backtests, period: day, hard_limit: 1 }
  - { plan_code: gold, resource: backtests, period: day, hard_limit: 1 }
  - { plan_code: free, resource: backtests, period: day, hard_limit: 2 }
`;
    expect(await lint({ "plans.yaml": PLANS, "policies.yaml": policies })).toEqual([
      "seed/policies.yaml:6:18 plan_code=gold refers to no plans.code in seed/plans.yaml",
      "seed/policies.yaml:7:18 duplicate key plan_code=free, resource=backtests (first at line 5)",
    ]);
  });

  it("checks the envelope, unknown schemas, secret references and custom JSON Schemas", async () => {
    const schema = JSON.stringify({ type: "object", properties: { level: { type: "integer", maximum: 3 } } });
    const users = `table: users
key: email
schema: demo-users
rows:
  - { email: a@example.com, display_name: A, role: support, password_hash: plain-text }
  - { email: b@example.com, display_name: B, role: support, password_hash: { secret: B_PASSWORD } }
  - { email: c@example.com, display_name: C, role: support, password_hash: { secret: C_PASSWORD, hash: md5 } }
`;
    const found = await lint({
      "a.yaml": "table: a\nrows: []\n",
      "b.yaml": "table: b\nkey: id\nschema: nonsense\nrows: []\n",
      "c.yaml": "table: c\nkey: id\nschema: ./levels.json\nrows:\n  - { id: 1, level: 7 }\n",
      "levels.json": schema,
      "users.yaml": users,
    });
    expect(found).toEqual([
      "seed/a.yaml:1:1 must have required property 'key'",
      "seed/b.yaml:3:9 unknown schema 'nonsense'; use one of plans, quota-policies, templates, demo-users or a path to a JSON Schema file",
      "seed/c.yaml:5:21 level must be <= 3",
      "seed/users.yaml:5:76 password_hash must be a secret reference such as { secret: DEMO_PASSWORD, hash: scrypt }, never a literal",
      "seed/users.yaml:6:76 password_hash must be stored hashed: add hash: scrypt",
      "seed/users.yaml:7:104 hash must be scrypt",
    ]);
  });

  it("reads big manifests on the fast path and still places a problem in row 3,000 exactly", async () => {
    const rows = Array.from(
      { length: 3_000 },
      (_, index) => `  - { code: p${index}, name: P${index}, price_cents: ${index}, currency: usd }`,
    );
    rows[2_999] = "  - { code: p2999, name: P2999, price_cents: 1.50, currency: usd }";
    const found = await lint({ "plans.yaml": `table: plans\nkey: code\nschema: plans\nrows:\n${rows.join("\n")}\n` });
    expect(found).toEqual([
      `seed/plans.yaml:3004:46 1.50 is read as the number 1.5, dropping the trailing zero; quote it ("1.50") to keep it as written`,
      "seed/plans.yaml:3004:46 price_cents must be integer",
    ]);
  });

  it("gives the yaml parser's own message and place for what the fast parser refuses", async () => {
    const found = await lint({ "plans.yaml": "table: plans\nkey: code\nrows:\n  - code: free\n    code: again\n" });
    expect(found).toEqual(["seed/plans.yaml:5:5 Map keys must be unique"]);
  });

  it("checks environments and requires-approval in the envelope", async () => {
    const found = await lint({
      "a.yaml": "table: a\nkey: id\nenvironments: []\nrows: []\n",
      "b.yaml": "table: b\nkey: id\nenvironments: [staging, 'no spaces']\nrequires-approval: yes\nrows: []\n",
    });
    expect(found).toEqual([
      "seed/a.yaml:3:15 environments must NOT have fewer than 1 items",
      'seed/b.yaml:3:25 environments.1 must match pattern "^[\\w.-]{1,64}$"',
      "seed/b.yaml:4:20 requires-approval must be boolean",
    ]);
  });

  it("refuses a row that is not a mapping and a column name that is not an identifier, at the row, as the envelope schema says", async () => {
    const found = await lint({
      "t.yaml": 'table: t\nkey: id\nrows:\n  - { id: 1, Bad-Name: 2 }\n  - { id: 2, Bad-Name: 3, "x y": 1 }\n  - [1]\n',
      "v.yaml": "table: T-x\nkey: id\nrows: [ {id: 1}, 5, {Id: 2} ]\n",
    });
    const pattern = 'must match pattern "^[a-z_][a-z0-9_]*$"';
    expect(found).toEqual([
      `seed/t.yaml:4:5 rows.0 ${pattern}`,
      "seed/t.yaml:4:5 rows.0 property name must be valid",
      `seed/t.yaml:5:5 rows.1 ${pattern}`,
      "seed/t.yaml:5:5 rows.1 property name must be valid",
      `seed/t.yaml:5:5 rows.1 ${pattern}`,
      "seed/t.yaml:5:5 rows.1 property name must be valid",
      "seed/t.yaml:6:5 rows.2 must be object",
      'seed/v.yaml:1:8 table must match pattern "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$"',
      "seed/v.yaml:3:18 rows.1 must be object",
      `seed/v.yaml:3:21 rows.2 ${pattern}`,
      "seed/v.yaml:3:21 rows.2 property name must be valid",
    ]);
  });
});
