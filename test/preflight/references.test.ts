import { describe, expect, it } from "vitest";
import { localReferences } from "../../src/preflight/references.js";
import { launchpadAction } from "../../src/preflight/run.js";

describe("what a local run reads and runs", () => {
  it("finds secrets.* and vars.* in either access form, inside functions and operators, but not other contexts", () => {
    expect(localReferences("format('{0}/{1}', secrets.VERCEL_TOKEN, vars['TEAM_ID'])")).toEqual([
      { context: "secrets", name: "VERCEL_TOKEN" },
      { context: "vars", name: "TEAM_ID" },
    ]);
    expect(localReferences("github.ref_name == 'main' && (vars.PROD_URL || !secrets.X)")).toEqual([
      { context: "vars", name: "PROD_URL" },
      { context: "secrets", name: "X" },
    ]);
    expect(localReferences("github.event.inputs.secrets || inputs.vars")).toEqual([]);
  });

  it("knows a Launchpad action by its consumer or in-suite reference, and nothing else", () => {
    expect(launchpadAction("blockbuilders/launchpad/actions/gate@v1")).toBe("gate");
    expect(launchpadAction("blockbuilders/launchpad/actions/ecs-blue-green@0123abc")).toBe("ecs-blue-green");
    expect(launchpadAction("./actions/seed")).toBe("seed");
    expect(launchpadAction("blockbuilders/launchpad@v1")).toBeUndefined();
    expect(launchpadAction("someone/launchpad/actions/gate@v1")).toBeUndefined();
    expect(launchpadAction("actions/checkout@v5")).toBeUndefined();
  });
});
