import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveSuiteWorkflow } from "../../src/plan/cli.js";
import { REUSABLE_WORKFLOWS, reusableCopy } from "../../src/plan/reusable.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import { allWorkflowFiles, readWorkflowFile } from "./rules.js";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");

interface CallInput {
  required?: boolean;
  default?: unknown;
}

describe("the suite's reusable workflows", () => {
  it.each(REUSABLE_WORKFLOWS)("%s: the callable copy in .github/workflows is fresh and starts only on workflow_call", (file) => {
    const copy = read(`.github/workflows/${file}`);
    expect(copy, "run `npx tsx scripts/reusable-workflows.ts`").toBe(reusableCopy(file, read(`workflows/${file}`)));
    expect(Object.keys(parse(copy).on)).toEqual(["workflow_call"]);
    const source = parse(read(`workflows/${file}`));
    expect(parse(copy).jobs).toEqual(source.jobs);
  });

  it("refuses to derive a copy from a workflow that cannot be called", () => {
    expect(() => reusableCopy("x.yml", "on: push\njobs: {}\n")).toThrow("workflows/x.yml has no workflow_call trigger to keep.");
  });

  it("every call of a suite workflow resolves here, passes only inputs it declares, and every required one", () => {
    const problems: string[] = [];
    let calls = 0;
    for (const path of allWorkflowFiles(REPO_ROOT)) {
      const file = readWorkflowFile(REPO_ROOT, path);
      for (const [id, job] of Object.entries(file.data.jobs ?? {})) {
        if (!job.uses?.startsWith("blockbuilders/launchpad/")) continue;
        calls++;
        const target = resolveSuiteWorkflow(job.uses, REPO_ROOT);
        if (!target) {
          problems.push(`${file.path} job ${id}: ${job.uses} is not a workflow of this suite`);
          continue;
        }
        const declared: Record<string, CallInput> = parse(readFileSync(target, "utf8")).on.workflow_call.inputs ?? {};
        const given = Object.keys(job.with ?? {});
        for (const name of given) if (!(name in declared)) problems.push(`${file.path} job ${id}: ${job.uses} has no input '${name}'`);
        for (const [name, input] of Object.entries(declared))
          if (input.required && input.default === undefined && !given.includes(name))
            problems.push(`${file.path} job ${id}: ${job.uses} needs '${name}'`);
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBe(3);
  });
});
