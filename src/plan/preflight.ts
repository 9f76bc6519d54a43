import type { PreflightStep } from "../cli/preflight.js";
import { resolveSuiteWorkflow } from "./cli.js";
import { planEvent } from "./planner.js";
import { describeEvent, renderPlan } from "./render.js";
import type { Plan, PlanRequest } from "./types.js";

type PlannedEvent = Pick<PlanRequest, "event" | "ref" | "inputs" | "workflow">;

/** The events the pipeline answers: each push branch, a pull request, and the two dispatches. */
const EVENTS: PlannedEvent[] = [
  { event: "push", ref: "main" },
  { event: "push", ref: "staging" },
  { event: "pull_request", ref: "main" },
  {
    event: "workflow_dispatch",
    ref: "main",
    workflow: "promote.yml",
    inputs: { version: "v1.0.0", environment: "production", "change-ticket": "CHG-1", reason: "preflight" },
  },
  {
    event: "workflow_dispatch",
    ref: "main",
    workflow: "seed-staging.yml",
    inputs: { environment: "production", "change-ticket": "CHG-1" },
  },
];

function headline(event: PlannedEvent, plan: Plan): string {
  const running = plan.entries.filter((entry) => entry.runs);
  const environments = [...new Set(running.map((entry) => entry.environment).filter(Boolean))];
  return `${event.event} ${event.workflow ?? event.ref}: ${running.length} jobs${environments.length ? ` → ${environments.join(", ")}` : ""}`;
}

/** The example's own workflows, planned for each event: which jobs run, in order, and where they deploy. */
export const planPreflight: PreflightStep = {
  name: "event plan",
  async run({ root }) {
    const sections: string[] = [];
    const lines: string[] = [];
    for (const event of EVENTS) {
      const plan = await planEvent({ folder: root, ...event, resolveRemote: (reference) => resolveSuiteWorkflow(reference) });
      sections.push(renderPlan(plan, describeEvent(event)));
      lines.push(headline(event, plan));
    }
    return { ok: true, headline: lines.join("; "), markdown: sections.join("\n") };
  },
};
