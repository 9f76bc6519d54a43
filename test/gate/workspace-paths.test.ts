import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStep } from "../harness/run-bundle.js";
import { exampleWorkspace, FIXTURES, pathWith } from "./workspace.js";

/** A folder outside every workspace, with a report and an audit file a symbolic link can point at. */
function outsideFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "launchpad-gate-outside-"));
  copyFileSync(join(FIXTURES, "pytest-xunit2-failing.xml"), join(dir, "junit.xml"));
  copyFileSync(join(FIXTURES, "npm-audit-v2-clean.json"), join(dir, "audit.json"));
  writeFileSync(join(dir, "main.js"), "export const secret = 1;\n");
  return dir;
}

async function gate(workspace: string, inputs: Record<string, string>) {
  const result = await runStep("gate", {
    workspace,
    // The commands prove nothing ran: a refused path is named before the first one.
    inputs: { commands: "lint: touch lint-ran", "github-token": "", ...inputs },
    env: { PATH: pathWith() },
  });
  const errors = result.annotations.filter((annotation) => annotation.level === "error").map((error) => error.message);
  return { result, errors, ran: existsSync(join(workspace, "lint-ran")) };
}

describe("gate path inputs stay in the workspace (through the bundle)", () => {
  it("refuses bundle: ../../etc/passwd naming the input, instead of measuring /etc/passwd and passing", async () => {
    const workspace = exampleWorkspace();
    const { result, errors, ran } = await gate(workspace, { bundle: "../../etc/passwd" });
    expect(result.code).toBe(1);
    expect(errors).toEqual([
      `Input 'bundle' got "../../etc/passwd": the path leaves the workspace; give globs inside it, relative to working-directory.`,
    ]);
    expect(result.outputs["bundle-size"] ?? "").toBe("");
    expect(ran).toBe(false);
  });

  it.each([
    [{ bundle: "/etc/*" }, `Input 'bundle' got "/etc/*"`],
    [{ junit: "../**/junit.xml" }, `Input 'junit' got "../**/junit.xml"`],
    [{ coverage: "apps/web/../../../coverage/lcov.info" }, `Input 'coverage' got "apps/web/../../../coverage/lcov.info"`],
    [{ "working-directory": "apps/web", junit: "../../../x.xml" }, `Input 'junit' got "../../../x.xml"`],
    [{ audit: "../../tmp/audit.json" }, `Input 'audit' got "../../tmp/audit.json"`],
    [{ "working-directory": ".." }, `Input 'working-directory' got ".."`],
  ])("refuses %j, which leaves the workspace, before any command runs", async (inputs, start) => {
    const { result, errors, ran } = await gate(exampleWorkspace(), inputs);
    expect(result.code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(`${start}: the path leaves the workspace`)).toBe(true);
    expect(ran).toBe(false);
  });

  it("refuses a report matched through a symbolic link that leads out of the workspace", async () => {
    const workspace = exampleWorkspace();
    mkdirSync(join(workspace, "reports"));
    symlinkSync(join(outsideFolder(), "junit.xml"), join(workspace, "reports/junit.xml"));
    const { result, errors } = await gate(workspace, { junit: "reports/*.xml" });
    expect(result.code).toBe(1);
    expect(errors).toEqual([`Input 'junit' got "reports/junit.xml": the path leads outside the workspace through a symbolic link.`]);
    expect(result.outputs["tests-total"] ?? "").toBe("");
  });

  it("refuses a bundle file linked from outside, so its size is never reported", async () => {
    const workspace = exampleWorkspace();
    mkdirSync(join(workspace, "dist"));
    symlinkSync(join(outsideFolder(), "main.js"), join(workspace, "dist/main.js"));
    const { errors } = await gate(workspace, { bundle: "dist/*.js" });
    expect(errors).toEqual([`Input 'bundle' got "dist/main.js": the path leads outside the workspace through a symbolic link.`]);
  });

  it("refuses an audit file and a working directory linked from outside, before any command runs", async () => {
    const outside = outsideFolder();
    const workspace = exampleWorkspace();
    symlinkSync(join(outside, "audit.json"), join(workspace, "audit.json"));
    symlinkSync(outside, join(workspace, "elsewhere"));
    const audit = await gate(workspace, { audit: "audit.json" });
    expect(audit.errors).toEqual([`Input 'audit' got "audit.json": the path leads outside the workspace through a symbolic link.`]);
    const directory = await gate(workspace, { "working-directory": "elsewhere" });
    expect(directory.errors).toEqual([
      `Input 'working-directory' got "elsewhere": the path leads outside the workspace through a symbolic link.`,
    ]);
    expect(existsSync(join(outside, "lint-ran")) || existsSync(join(workspace, "lint-ran"))).toBe(false);
  });

  it("names the input of a 70,000-character glob in one short line, not the whole glob", async () => {
    const glob = `reports/${"a".repeat(70_000)}*.xml`;
    const { result, errors } = await gate(exampleWorkspace(), { junit: glob });
    expect(result.code).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Input 'junit' has the glob "reports\/a+"… \(70013 characters\), which is not well-formed: /);
    expect(errors[0].length).toBeLessThan(300);
  });

  it("names the input when a count or a budget is out of range", async () => {
    const workspace = exampleWorkspace();
    const count = await gate(workspace, { audit: "npm", "max-vulnerabilities": "critical=99999999999999999999" });
    expect(count.errors[0]).toMatch(
      /^Input 'max-vulnerabilities' got "critical=99999999999999999999"; expected severity=count \(0 to 100000\)/,
    );
    const budget = await gate(workspace, { bundle: "dist/*.js", "bundle-budget": "0KB" });
    expect(budget.errors[0]).toMatch(/^Input 'bundle-budget' got "0KB"; expected a gzip size .* from 1 byte to 100GB\.$/);
    expect(count.ran || budget.ran).toBe(false);
  });
});
