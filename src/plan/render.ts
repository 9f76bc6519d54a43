import { table } from "../lib/summary.js";
import type { Plan, PlanRequest } from "./types.js";

/** The event as one heading line: `push to main`, `pull_request into main`, `workflow_dispatch on main (version=v1)`. */
export function describeEvent(request: Pick<PlanRequest, "event" | "ref" | "inputs" | "workflow">): string {
  const preposition = request.event === "pull_request" ? "into" : request.event === "push" ? "to" : "on";
  const inputs = Object.entries(request.inputs ?? {}).map(([key, value]) => `${key}=${value}`);
  const only = request.workflow ? ` (${request.workflow} only)` : "";
  return `${request.event} ${preposition} ${request.ref}${inputs.length ? ` with ${inputs.join(", ")}` : ""}${only}`;
}

/** The plan as markdown: one row per job in dependency order, then the workflows the event does not start. */
export function renderPlan(plan: Plan, heading: string): string {
  const lines = [`### Event plan: ${heading}`, ""];
  if (plan.entries.length === 0) lines.push("No workflow here starts on this event.", "");
  else {
    const rows = plan.entries.map((entry, index) => [
      index + 1,
      entry.workflow,
      entry.job,
      entry.runs ? "✅ runs" : "⏭️ skipped",
      entry.environment ?? "",
      entry.needs.join(", "),
      entry.reason,
    ]);
    lines.push(table(["#", "workflow", "job", "runs", "environment", "needs", "why"], rows).trimEnd());
  }
  if (plan.untriggered.length)
    lines.push("", `Not started: ${plan.untriggered.map((item) => `${item.workflow} (${item.reason})`).join("; ")}.`);
  return `${lines.join("\n")}\n`;
}
