import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { withDeadline } from "../lib/cancel.js";
import type { RunContext } from "../lib/context.js";
import { ConfigurationError, errorMessage } from "../lib/errors.js";
import type { GitHubClient } from "../lib/github.js";
import type { Logger } from "../lib/logger.js";
import type { Sleep } from "../lib/retry.js";
import { type AliasResult, assignAliases, renderAliases } from "./aliases.js";
import { VercelApi } from "./api.js";
import type { VercelDeployClient } from "./client.js";
import { deployWithClient } from "./deploy.js";
import { GitHubReporter } from "./github.js";
import { type PromoteResult, switchProduction } from "./promote.js";
import { deploySummary, promoteSummary } from "./report.js";
import { INPUTS, OUTPUTS, type VercelSettings } from "./settings.js";

export interface VercelDependencies {
  logger: Logger;
  signal: AbortSignal;
  context: RunContext;
  /** Present when a github-token was given. */
  github?: GitHubClient;
  /** @vercel/client behind its adapter (createVercelClient). */
  client: VercelDeployClient;
  sleep?: Sleep;
  now?: () => number;
}

export interface VercelResult {
  ok: boolean;
  outputs: Partial<Record<(typeof OUTPUTS)[keyof typeof OUTPUTS], string>>;
  summary: string;
  error?: string;
}

/** The marker that finds our sticky comment again: one per project and target. */
export function commentMarker(settings: Pick<VercelSettings, "projectId" | "target">): string {
  return `<!-- launchpad:vercel-deploy project=${settings.projectId} target=${settings.target} -->`;
}

/** The vercel-deploy core: `deploy` (with aliases, GitHub deployment and PR comment), `promote` or `rollback`. */
export async function runVercel(settings: VercelSettings, deps: VercelDependencies): Promise<VercelResult> {
  return settings.command === "deploy" ? deploy(settings, deps) : promote(settings, deps);
}

function reporterFor(deps: VercelDependencies): GitHubReporter | undefined {
  const repo = deps.context.repository;
  return deps.github && repo ? new GitHubReporter(deps.github, repo, deps.logger) : undefined;
}

/** `path` itself was checked when the settings were read (a folder inside the workspace). */
function checkOutputDir(settings: VercelSettings): void {
  if (settings.prebuilt && !existsSync(join(settings.outputDir, "config.json"))) {
    throw new ConfigurationError(
      `Input '${INPUTS.outputDir}': ${relative(settings.path, settings.outputDir) || "."}/config.json not found under ${settings.path}. Build first (e.g. \`vercel build\` or your framework's Build Output API step), or set prebuilt: false.`,
    );
  }
}

async function deploy(settings: VercelSettings, deps: VercelDependencies): Promise<VercelResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { context, logger } = deps;
  checkOutputDir(settings);
  const pr = context.pullRequest;
  const sha = pr?.headSha || context.sha;
  const branch = pr?.headRef || context.refName;
  const wanted = renderAliases(settings.aliases, { branch, pr: pr?.number, sha }, logger);
  const github = reporterFor(deps);

  if (github && settings.githubDeployment && sha) {
    await github.startDeployment({
      ref: sha,
      environment: settings.target,
      production: settings.target === "production",
      description: `Vercel ${settings.target} deploy of ${settings.projectId}`,
    });
  }

  const deadline = withDeadline(deps.signal, settings.timeoutMs, "The Vercel deploy");
  const api = new VercelApi(settings, deadline);
  const outcome = await deployWithClient(
    {
      ...settings,
      meta: gitMeta(context, sha, branch),
      gitMetadata: sha ? { commitSha: sha, commitRef: branch, remoteUrl: remoteUrl(context) } : undefined,
      aliasesRequested: wanted.length > 0,
    },
    {
      logger,
      signal: deadline,
      client: deps.client,
      api,
      sleep: deps.sleep,
      now: deps.now,
      onCreated: (created) => github?.setStatus("in_progress", { logUrl: created.inspectorUrl, description: `Building ${created.id}` }),
    },
  );

  let aliases: AliasResult[] = [];
  let error = outcome.error;
  if (outcome.ok && outcome.deployment && wanted.length) {
    aliases = await assignAliases(api, outcome.deployment.id, wanted, { logger, signal: deadline, sleep: deps.sleep });
    const failed = aliases.filter((result) => !result.ok);
    if (failed.length)
      error = `Could not assign ${failed.length} of ${aliases.length} aliases: ${failed.map((result) => result.error).join(" ")}`;
  }
  const ok = !error;
  const assigned = aliases.filter((result) => result.ok).map((result) => result.alias);
  const environmentUrl = assigned.length ? `https://${assigned[0]}` : outcome.deployment?.url;
  await github?.setStatus(ok ? "success" : "failure", {
    environmentUrl: ok ? environmentUrl : undefined,
    logUrl: outcome.deployment?.inspectorUrl,
    description: ok ? `Ready: ${environmentUrl}` : (error ?? "").slice(0, 140),
  });

  const report = {
    projectId: settings.projectId,
    target: settings.target,
    outcome,
    aliases,
    durationMs: now() - started,
    error,
    warnings: outcome.warning ? [outcome.warning] : [],
    sha,
  };
  if (github && pr && settings.githubComment) {
    await github.upsertComment(pr.number, commentMarker(settings), deploySummary(report));
  }
  report.warnings = [...(outcome.warning ? [outcome.warning] : []), ...(github?.warnings ?? [])];
  return {
    ok,
    error,
    summary: deploySummary(report),
    outputs: {
      [OUTPUTS.url]: outcome.deployment?.url ?? "",
      [OUTPUTS.deploymentId]: outcome.deployment?.id ?? "",
      [OUTPUTS.inspectorUrl]: outcome.deployment?.inspectorUrl ?? "",
      [OUTPUTS.aliases]: assigned.map((alias) => `https://${alias}`).join("\n"),
      [OUTPUTS.state]: outcome.state,
    },
  };
}

async function promote(settings: VercelSettings, deps: VercelDependencies): Promise<VercelResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const command = settings.command as "promote" | "rollback";
  const deadline = withDeadline(deps.signal, settings.timeoutMs, `The Vercel ${command}`);
  const api = new VercelApi(settings, deadline);
  let result: PromoteResult | undefined;
  let error: string | undefined;
  try {
    result = await switchProduction(command, api, settings.deployment ?? "", { logger: deps.logger, signal: deadline, sleep: deps.sleep });
  } catch (caught) {
    error = errorMessage(caught);
  }
  const github = reporterFor(deps);
  if (github && settings.githubDeployment && result && !error && deps.context.sha) {
    await github.startDeployment({
      ref: deps.context.sha,
      environment: "production",
      production: true,
      description: `Vercel ${command} to ${result.deploymentId}`,
    });
    await github.setStatus("success", {
      environmentUrl: result.url,
      logUrl: result.inspectorUrl,
      description: `${command}: ${result.deploymentId}`,
    });
  }
  return {
    ok: !error,
    error,
    summary: promoteSummary(settings.projectId, result, now() - started, error),
    outputs: {
      [OUTPUTS.url]: result?.url ?? "",
      [OUTPUTS.deploymentId]: result?.deploymentId ?? "",
      [OUTPUTS.inspectorUrl]: result?.inspectorUrl ?? "",
      [OUTPUTS.state]: error ? "FAILED" : "READY",
      [OUTPUTS.previousDeploymentId]: result?.previousDeploymentId ?? "",
    },
  };
}

function remoteUrl(context: RunContext): string | undefined {
  return context.repository ? `${context.serverUrl}/${context.repository.owner}/${context.repository.repo}` : undefined;
}

/** The git facts Vercel shows next to a deployment (its own Git integration sends the same keys). */
function gitMeta(context: RunContext, sha: string, branch: string): Record<string, string> {
  const meta: Record<string, string> = { githubDeployment: "1" };
  if (sha) meta.githubCommitSha = sha;
  if (branch) meta.githubCommitRef = branch;
  if (context.repository) {
    meta.githubCommitOrg = context.repository.owner;
    meta.githubCommitRepo = context.repository.repo;
  }
  if (context.pullRequest) meta.githubPrId = String(context.pullRequest.number);
  return meta;
}
