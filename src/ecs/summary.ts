import { formatDuration } from "../lib/duration.js";
import { table } from "../lib/summary.js";
import type { Progress } from "./progress.js";
import type { EcsSettings } from "./settings.js";
import { revisionName } from "./task-definition.js";

export interface SummaryFacts {
  ok: boolean;
  command: EcsSettings["command"];
  controller: "codedeploy" | "native";
  region?: string;
  image?: string;
  imageDigest?: string;
  findings?: Record<string, number>;
  taskDefinitionArn: string;
  deploymentId?: string;
  status: string;
  rolledBack: boolean;
  rollbackId?: string;
  rollbackStatus?: string;
  cancelled: boolean;
  failure?: string;
  outcome?: { progress: Progress; checksMarkdown?: string };
  progress?: Progress;
  checksMarkdown?: string;
}

export function consoleLink(
  facts: Pick<SummaryFacts, "region" | "deploymentId" | "controller">,
  settings: Pick<EcsSettings, "cluster" | "service">,
): string | undefined {
  if (!facts.region || !facts.deploymentId) return undefined;
  const host = `https://${facts.region}.console.aws.amazon.com`;
  if (facts.controller === "codedeploy") return `${host}/codesuite/codedeploy/deployments/${facts.deploymentId}?region=${facts.region}`;
  return `${host}/ecs/v2/clusters/${settings.cluster}/services/${settings.service}/deployments?region=${facts.region}`;
}

/** The job summary: what was deployed, where to look, how traffic moved, and how it ended. */
export function renderEcsSummary(settings: EcsSettings, facts: SummaryFacts): string {
  const outcome = facts.ok ? `✅ ${facts.status}` : facts.cancelled ? `⏹️ cancelled: ${facts.status}` : `❌ ${facts.status}`;
  const link = consoleLink(facts, settings);
  const shortId = facts.deploymentId?.split("/").pop();
  const findings = facts.findings
    ? Object.entries(facts.findings)
        .map(([severity, count]) => `${count} ${severity.toLowerCase()}`)
        .join(", ") || "none"
    : undefined;
  const rows: unknown[][] = [
    ["service", `${settings.cluster}/${settings.service}`],
    ["command", facts.command],
    ["image", facts.image],
    ["digest", facts.imageDigest],
    ...(findings ? [["scan findings", findings]] : []),
    ["task definition", revisionName(facts.taskDefinitionArn)],
    ["deployment", shortId ? (link ? `[${shortId}](${link})` : shortId) : undefined],
    ["outcome", outcome],
    ...(facts.rollbackId || facts.rolledBack
      ? [["rollback", `${facts.rollbackId ?? "requested"}${facts.rollbackStatus ? ` (${facts.rollbackStatus})` : ""}`]]
      : []),
  ];
  const lines = [`## ECS blue/green: ${settings.service} ${facts.ok ? "✅" : "❌"}\n`, table(["field", "value"], rows)];
  if (facts.failure) lines.push(`\n> ${facts.failure}\n`);
  const progress = facts.outcome?.progress ?? facts.progress;
  if (progress?.timeline.length) {
    lines.push("\n### Traffic shift\n");
    lines.push(
      table(
        ["at", "status", "traffic", "event"],
        progress.timeline.map((entry) => [
          `+${formatDuration(entry.atMs)}`,
          entry.status,
          entry.traffic,
          [entry.event, entry.note].filter(Boolean).join("; "),
        ]),
      ),
    );
  }
  const checks = facts.outcome?.checksMarkdown ?? facts.checksMarkdown;
  if (checks) lines.push(`\n### Test checks at Ready\n\n${checks}`);
  return lines.join("");
}

/** The summary of a run that threw: before any deployment (nothing changed), or after one started. */
export function renderRunError(settings: Pick<EcsSettings, "cluster" | "service" | "image">, message: string, started?: string): string {
  const what = started
    ? `Deployment ${started} was started; the post step stops it with rollback if it is still running.`
    : `No deployment was started for ${settings.cluster}/${settings.service}${settings.image ? ` (image ${settings.image})` : ""}.`;
  return `## ECS blue/green: ${settings.service} ❌\n\n${what}\n\n> ${message}\n`;
}
