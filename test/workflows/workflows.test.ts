import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintWorkflows, listWorkflows } from "../../scripts/actionlint.js";
import { REPO_ROOT, readActionMetadata } from "../harness/run-bundle.js";

/** `blockbuilders/launchpad/actions/<name>@ref` (how consumers call us) or `./actions/<name>` (inside this repo). */
const LAUNCHPAD_ACTION = /^(?:blockbuilders\/launchpad\/actions\/([a-z-]+)@\S+|\.\/actions\/([a-z-]+))$/;

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function launchpadSteps(file: string): Array<{ job: string; action: string; with: Record<string, unknown> }> {
  const workflow = parse(readFileSync(join(REPO_ROOT, file), "utf8"));
  const found: Array<{ job: string; action: string; with: Record<string, unknown> }> = [];
  for (const [job, definition] of Object.entries<{ steps?: Step[] }>(workflow.jobs ?? {})) {
    for (const step of definition.steps ?? []) {
      const match = LAUNCHPAD_ACTION.exec(step.uses ?? "");
      if (match) found.push({ job, action: match[1] ?? match[2], with: step.with ?? {} });
    }
  }
  return found;
}

describe("composed workflows", () => {
  const files = listWorkflows(REPO_ROOT);

  it("pass actionlint with no findings", async () => {
    const { findings } = await lintWorkflows(REPO_ROOT);
    expect(findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}: ${finding.message}`)).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  });

  it("actionlint does report a broken workflow, so the check above can fail", async () => {
    const root = mkdtempSync(join(tmpdir(), "actionlint-"));
    mkdirSync(join(root, "workflows"));
    writeFileSync(
      join(root, "workflows/broken.yml"),
      ["on: push", "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", `      - run: echo $\{{ github.nope }}`, ""].join("\n"),
    );
    const { findings } = await lintWorkflows(root);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({ file: "workflows/broken.yml", line: 6 });
  });

  it("give our actions only inputs they declare, and every required one (the example consumer's too)", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of [
      ...files,
      ...listWorkflows(join(REPO_ROOT, "examples/blockbuilders")).map((path) => join("examples/blockbuilders", path)),
    ]) {
      for (const step of launchpadSteps(file)) {
        checked++;
        const metadata = readActionMetadata(step.action);
        const declared = metadata.inputs ?? {};
        for (const name of Object.keys(step.with))
          if (!(name in declared)) problems.push(`${file} job ${step.job}: ${step.action} has no input '${name}'`);
        for (const [name, input] of Object.entries(declared)) {
          if (input.required && input.default === undefined && !(name in step.with))
            problems.push(`${file} job ${step.job}: ${step.action} needs '${name}'`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
