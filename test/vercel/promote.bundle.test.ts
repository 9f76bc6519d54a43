import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GitHubFake } from "../fakes/github.js";
import type { VercelFake } from "../fakes/vercel.js";
import { deployStep, expectNoLeak, makeWorkspace, removeWorkspace, startFakes } from "./support.js";

describe("vercel-deploy bundle: promote and instant rollback", () => {
  let fakes: { vercel: VercelFake; github: GitHubFake };
  let workspace: string;

  beforeEach(async () => {
    fakes = await startFakes();
    fakes.vercel.addDeployment({ id: "dpl_old", project: "prj_web", target: "production" });
    fakes.vercel.addDeployment({ id: "dpl_new", project: "prj_web", target: "production", url: "web-new-blockbuilders.vercel.app" });
    fakes.vercel.projects.get("prj_web")!.productionDeploymentId = "dpl_new";
    workspace = makeWorkspace({});
  });

  afterEach(async () => {
    await fakes.vercel.stop();
    await fakes.github.stop();
    removeWorkspace(workspace);
  });

  it("rolls back to an earlier deployment, waits until production points at it, and reports what was live before", async () => {
    fakes.vercel.aliasPollsToFinish = 2;
    const result = await deployStep(fakes, workspace, { command: "rollback", deployment: "dpl_old" });
    expect(result.code).toBe(0);
    expect(fakes.vercel.requestsTo("POST", "/v1/projects/prj_web/rollback/dpl_old")).toHaveLength(1);
    expect(fakes.vercel.projects.get("prj_web")!.productionDeploymentId).toBe("dpl_old");
    expect(fakes.vercel.requestsTo("GET", "/v9/projects/prj_web").length).toBeGreaterThanOrEqual(3);
    expect(result.outputs["deployment-id"]).toBe("dpl_old");
    expect(result.outputs["previous-deployment-id"]).toBe("dpl_new");
    expect(result.summary).toMatch(/\| rollback \| dpl_old \(https:\/\/.+\) \| dpl_new \| .+ \| ✅ live \|/);
    expect(fakes.github.deployments.at(-1)?.statuses.at(-1)).toMatchObject({ state: "success", environment_url: result.outputs.url });
    expectNoLeak(result);
  });

  it("promotes a deployment given by URL", async () => {
    fakes.vercel.projects.get("prj_web")!.productionDeploymentId = "dpl_old";
    const result = await deployStep(fakes, workspace, {
      command: "promote",
      deployment: "https://web-new-blockbuilders.vercel.app",
      "github-deployment": "false",
    });
    expect(result.code).toBe(0);
    expect(fakes.vercel.requestsTo("POST", "/v10/projects/prj_web/promote/dpl_new")).toHaveLength(1);
    expect(fakes.vercel.projects.get("prj_web")!.productionDeploymentId).toBe("dpl_new");
    expect(result.outputs["previous-deployment-id"]).toBe("dpl_old");
  });

  it("requests nothing when the deployment is already live", async () => {
    const result = await deployStep(fakes, workspace, { command: "promote", deployment: "dpl_new", "github-deployment": "false" });
    expect(result.code).toBe(0);
    expect(fakes.vercel.requestsTo("POST", /promote|rollback/)).toHaveLength(0);
    expect(result.summary).toContain("already live");
  });

  it("fails when Vercel reports the rollback failed, and when it does not finish within the timeout", async () => {
    fakes.vercel.aliasJobResult = "failed";
    const failed = await deployStep(fakes, workspace, { command: "rollback", deployment: "dpl_old", "github-deployment": "false" });
    expect(failed.code).toBe(1);
    expect(failed.annotations.find((annotation) => annotation.level === "error")?.message).toBe(
      "Vercel reported the rollback of dpl_old as failed; production still points at dpl_new.",
    );

    fakes.vercel.aliasJobResult = "succeeded";
    fakes.vercel.aliasPollsToFinish = 1_000;
    const slow = await deployStep(fakes, workspace, {
      command: "rollback",
      deployment: "dpl_old",
      "github-deployment": "false",
      timeout: "2s",
    });
    expect(slow.signal).toBeNull();
    expect(slow.code).toBe(1);
    expect(slow.annotations.find((annotation) => annotation.level === "error")?.message).toMatch(
      /The Vercel rollback timed out after 2\.0s\./,
    );
    expectNoLeak(failed);
    expectNoLeak(slow);
  });

  it("requires the deployment input for promote and rollback", async () => {
    const result = await deployStep(fakes, workspace, { command: "promote" });
    expect(result.code).toBe(1);
    expect(result.annotations.find((annotation) => annotation.level === "error")?.message).toBe(
      "Input 'deployment' is required for command 'promote': give the deployment id (dpl_…) or URL.",
    );
    expect(fakes.vercel.requests).toHaveLength(0);
  });
});
