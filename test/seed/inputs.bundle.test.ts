import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyExample, removeExampleCopies } from "../support/example.js";
import { seedStep } from "./bundle-support.js";

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
