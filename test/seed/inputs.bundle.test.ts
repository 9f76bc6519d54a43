import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordDigest } from "../../src/lib/audit-record.js";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { editFile, seedStep } from "./bundle-support.js";

afterAll(removeExampleCopies);

/** The seed bundle refused the inputs: one error annotation, exactly `message`, and no raw OS error anywhere. */
async function expectRefused(workspace: string, inputs: Record<string, string>, message: string): Promise<void> {
  const result = await seedStep(workspace, inputs);
  expect(result.code).toBe(1);
  const errors = result.annotations.filter((annotation) => annotation.level === "error").map((annotation) => annotation.message);
  expect(errors).toEqual([message]);
  expect(result.visible).not.toMatch(/ENOTDIR|ENOENT|scandir|EACCES/);
}

describe("seed path inputs, refused by name before the database is opened", () => {
  it("names migrations that is a file instead of surfacing ENOTDIR from scandir", async () => {
    const workspace = copyExample();
    await expectRefused(
      workspace,
      { migrations: "infrastructure/seed-data/plans.yaml" },
      `Input 'migrations' got "infrastructure/seed-data/plans.yaml": the path is a file; expected a folder.`,
    );
    await expectRefused(
      workspace,
      { migrations: "infrastructure/seed-data/plans.yaml/sql" },
      `Input 'migrations' got "infrastructure/seed-data/plans.yaml/sql": the path goes through a file as if it were a folder.`,
    );
    expect(existsSync(join(workspace, ".launchpad/pglite")), "no database was opened").toBe(false);
  });

  it("still skips a migrations folder that does not exist, as action.yml says", async () => {
    const workspace = copyExample();
    const result = await seedStep(workspace, { command: "lint", migrations: "no/such/folder" });
    expect(result.code, result.stdout).toBe(0);
  });

  it("refuses manifests, migrations and approval-record outside the workspace, by .. or a symbolic link", async () => {
    const workspace = copyExample();
    const outside = mkdtempSync(join(tmpdir(), "seed-outside-"));
    try {
      writeFileSync(join(outside, "approval.json"), "{}");
      symlinkSync(outside, join(workspace, "elsewhere"));
      await expectRefused(
        workspace,
        { manifests: "../../etc" },
        `Input 'manifests' got "../../etc": the path leaves the workspace; give a path inside it, relative to the workspace.`,
      );
      await expectRefused(
        workspace,
        { migrations: "../../etc" },
        `Input 'migrations' got "../../etc": the path leaves the workspace; give a path inside it, relative to the workspace.`,
      );
      await expectRefused(
        workspace,
        { "approval-record": "elsewhere/approval.json", env: "production" },
        `Input 'approval-record' got "elsewhere/approval.json": the path leads outside the workspace through a symbolic link.`,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("names a manifests folder that does not exist, and an approval record that is a folder", async () => {
    const workspace = copyExample();
    await expectRefused(workspace, { manifests: "seed-data" }, `Input 'manifests' got "seed-data": the path does not exist.`);
    await expectRefused(
      workspace,
      { "approval-record": "infrastructure", env: "production" },
      `Input 'approval-record' got "infrastructure": the path is a folder; expected a file.`,
    );
  });

  it("refuses a lock-timeout past an hour, naming the range", async () => {
    const workspace = copyExample();
    await expectRefused(workspace, { "lock-timeout": "999999h" }, `Input 'lock-timeout' got "999999h"; expected a duration from 0s to 1h.`);
  });
});

describe("seed approval-record from the approval action's record output", () => {
  it("accepts the record where the approval action writes it, under RUNNER_TEMP, and nothing else outside the workspace", async () => {
    const workspace = copyExample();
    editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "table: plans\n", "table: plans\nrequires-approval: true\n");
    const runnerTemp = mkdtempSync(join(tmpdir(), "seed-runner-temp-"));
    const elsewhere = mkdtempSync(join(tmpdir(), "seed-elsewhere-"));
    try {
      const fields = { environment: "production", sha: "0123456789abcdef0123456789abcdef01234567", approvers: ["alice"] };
      const record = JSON.stringify({ ...fields, digest: recordDigest(fields) });
      mkdirSync(join(runnerTemp, "launchpad-approval"));
      const inTemp = join(runnerTemp, "launchpad-approval/approval-record-production-0123456789ab.json");
      writeFileSync(inTemp, record);
      writeFileSync(join(elsewhere, "record.json"), record);
      const production = { env: "production" };
      const applied = await seedStep(workspace, { ...production, "approval-record": inTemp }, { env: { RUNNER_TEMP: runnerTemp } });
      expect(applied.code, applied.stdout).toBe(0);
      expect(applied.summary).toContain("| plans |");
      const refused = await seedStep(
        workspace,
        { ...production, "approval-record": join(elsewhere, "record.json") },
        { env: { RUNNER_TEMP: runnerTemp } },
      );
      expect(refused.code).toBe(1);
      expect(refused.annotations.filter((annotation) => annotation.level === "error").map((annotation) => annotation.message)).toEqual([
        `Input 'approval-record' got ${JSON.stringify(join(elsewhere, "record.json"))}: the path leaves the workspace; give a path inside it, relative to the workspace.`,
      ]);
    } finally {
      rmSync(runnerTemp, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
  it("refuses a record that approves another commit than the one the run applies, naming both and the manifest", async () => {
    const workspace = copyExample();
    editFile(join(workspace, "infrastructure/seed-data/plans.yaml"), "table: plans\n", "table: plans\nrequires-approval: true\n");
    const approved = "1111111111111111111111111111111111111111";
    const applying = "2222222222222222222222222222222222222222";
    const fields = { environment: "production", sha: approved, approvers: ["alice"] };
    writeFileSync(join(workspace, "approval.json"), JSON.stringify({ ...fields, digest: recordDigest(fields) }));
    const inputs = { env: "production", "approval-record": "approval.json" };
    const refused = await seedStep(workspace, inputs, { sha: applying });
    expect(refused.code).toBe(1);
    expect(refused.annotations.filter((annotation) => annotation.level === "error").map((annotation) => annotation.message)).toEqual([
      `Input 'approval-record': approval.json approves commit ${approved}, but this run applies ${applying}; infrastructure/seed-data/plans.yaml (plans) cannot be changed in production with it.`,
    ]);
    expect(refused.summary).not.toContain("| plans |");
    expect(existsSync(join(workspace, ".launchpad/pglite")), "no database was opened").toBe(false);
    const applied = await seedStep(workspace, inputs, { sha: approved });
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.summary).toContain("| plans |");
  });
});
