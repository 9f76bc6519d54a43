import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunStep, Step } from "@actions/workflow-parser/model/workflow-template";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import { type ActionName, actionInputs, type InputDefinition } from "../lib/action-inputs.js";
import { ConfigurationError, errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import type { PreflightOutcome, PreflightStep } from "../lib/preflight.js";
import type { Secrets } from "../lib/secrets.js";
import type { ExpressionContext } from "../plan/expression.js";
import { planEvent } from "../plan/planner.js";
import type { PlannedJob, PlanRequest } from "../plan/types.js";
import { LocalContext } from "./local-context.js";
import { type JobReport, renderReport, type StepRow } from "./report.js";
import { runScript } from "./run-step.js";
import { stepWithMappings } from "./step-inputs.js";

export interface PreflightRequest extends Pick<PlanRequest, "event" | "ref" | "inputs" | "repository" | "sha" | "actor" | "resolveRemote"> {
  /** The consumer repo, absolute. */
  root: string;
  /** `--secrets-file` values: `secrets.*` and `vars.*` read here first, then from the environment. */
  secretsFile: Record<string, string>;
  /** `--run-steps`: run the jobs' `run:` scripts in the root too, instead of listing them as skipped. */
  runSteps?: boolean;
}

export interface PreflightDependencies {
  logger: Logger;
  secrets: Secrets;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** The local mode of each Launchpad action (src/cli/preflight-steps.ts). */
  modes: readonly PreflightStep[];
}

export interface PreflightReport {
  ok: boolean;
  markdown: string;
  jobs: JobReport[];
}

/** `blockbuilders/launchpad/actions/<x>@ref` from a consumer, or `./actions/<x>` inside the suite. */
const LAUNCHPAD_ACTION = /^(?:blockbuilders\/launchpad\/actions\/([\w-]+)@[\w./-]+|\.\/actions\/([\w-]+))$/;

const EMPTY_CONTEXTS = { matrix: {}, strategy: {}, job: {}, jobs: {}, runner: { os: "Linux", arch: "X64" }, needs: {} };

export function launchpadAction(uses: string): string | undefined {
  const match = LAUNCHPAD_ACTION.exec(uses);
  return match?.[1] ?? match?.[2];
}

function workflowFiles(root: string): string[] {
  const folder = join(root, ".github/workflows");
  return existsSync(folder) ? readdirSync(folder).filter((file) => /\.ya?ml$/.test(file)) : [];
}

function usesOf(step: Step): string | undefined {
  return "uses" in step ? step.uses.value : undefined;
}

/** The jobs the event runs (the same planner as `launchpad plan`), each Launchpad step in its local mode. */
export async function runPreflight(request: PreflightRequest, deps: PreflightDependencies): Promise<PreflightReport> {
  if (!workflowFiles(request.root).length)
    throw new ConfigurationError(`${request.root}: no workflow files in .github/workflows/, so there is no pipeline to run.`);
  const plan = await planEvent({ ...request, folder: request.root });
  const usesLaunchpad = plan.jobs.some((planned) => planned.job.steps.some((step) => launchpadAction(usesOf(step) ?? "")));
  if (!usesLaunchpad)
    throw new ConfigurationError(
      `${request.root}: none of the ${plan.jobs.length} jobs that --event ${request.event} --ref ${request.ref} runs uses a Launchpad action.`,
    );
  const local = new LocalContext(request.secretsFile, deps.env, deps.secrets);
  const jobs: JobReport[] = [];
  for (const planned of plan.jobs) jobs.push(await runJob(planned, local, request, deps));
  const ok = jobs.every((job) => job.rows.every((row) => row.verdict !== "fail"));
  const markdown = renderReport({ request, jobs, missing: [...local.missing], untriggered: plan.untriggered });
  return { ok, markdown: deps.secrets.redact(markdown), jobs };
}

function jobTitle(planned: PlannedJob, local: LocalContext): string {
  const name = planned.job.name ? local.value(planned.job.name, planned.context) : "";
  const id = `${planned.entry.workflow} › ${planned.entry.job}`;
  return name && name !== planned.job.id.value ? `${id} (${name})` : id;
}

function mappingValues(mapping: MappingToken | undefined, local: LocalContext, context: ExpressionContext): Record<string, string> {
  const values: Record<string, string> = {};
  if (mapping) for (const pair of mapping) values[pair.key.toString()] = local.value(pair.value, context);
  return values;
}

function stepName(step: Step, local: LocalContext, context: ExpressionContext): string {
  if (step.name) return local.value(step.name, context);
  if ("run" in step) return `run: ${step.run.toString().split("\n")[0]}`;
  return usesOf(step) ?? step.id;
}

async function runJob(
  planned: PlannedJob,
  local: LocalContext,
  request: PreflightRequest,
  deps: PreflightDependencies,
): Promise<JobReport> {
  const { root, runSteps = false } = request;
  const title = jobTitle(planned, local);
  // The planner shows paths relative to the current directory.
  const withs = stepWithMappings(resolve(planned.path), planned.job.id.value);
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  // Every context an expression may name must exist; locally a matrix job runs once, with no matrix values.
  const context = (): ExpressionContext => ({ ...EMPTY_CONTEXTS, ...planned.context, env: jobEnv, steps });
  let jobEnv: Record<string, string> = {};
  jobEnv = mappingValues(planned.job.env, local, context());
  local.takeMissing();
  const rows: StepRow[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let failed = false;
  try {
    for (const [index, step] of planned.job.steps.entries()) {
      const name = stepName(step, local, context());
      const started = Date.now();
      const outcome = await runStep(step, withs[index], { local, context, root, runSteps, deps, failed, cleanups, title, name });
      const row: StepRow = { name, ...outcome, ms: Date.now() - started, missing: local.takeMissing() };
      rows.push(row);
      if (row.verdict === "fail") failed = true;
      const conclusion = row.verdict === "fail" ? "failure" : row.verdict === "skipped" ? "skipped" : "success";
      steps[step.id] = { outputs: outcome.outputs ?? {}, outcome: conclusion, conclusion };
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => deps.logger.warning(`cleanup: ${errorMessage(error)}`));
  }
  return { title, rows };
}

interface StepScope {
  local: LocalContext;
  context: () => ExpressionContext;
  root: string;
  runSteps: boolean;
  deps: PreflightDependencies;
  failed: boolean;
  cleanups: Array<() => Promise<void>>;
  title: string;
  name: string;
}

type StepResult = Pick<StepRow, "verdict" | "headline" | "markdown"> & { outputs?: Record<string, string> };

const skipped = (headline: string): StepResult => ({ verdict: "skipped", headline });

async function runStep(step: Step, withMapping: MappingToken | undefined, scope: StepScope): Promise<StepResult> {
  if ("run" in step) return scope.runSteps ? runScriptStep(step, scope) : skipped("`run:` step, not run locally (--run-steps runs it)");
  if (!("uses" in step)) return skipped("not a run or uses step");
  const uses = step.uses.value;
  const action = launchpadAction(uses);
  if (!action) return skipped(`third-party action \`${uses}\`, not run locally`);
  const mode = scope.deps.modes.find((candidate) => candidate.action === action);
  if (!mode) return skipped(`\`actions/${action}\` has no local mode yet`);
  const { local, deps } = scope;
  if (!local.condition(step.if.expression, scope.context(), { needsSucceeded: !scope.failed }))
    return skipped(`if: ${step.if.expression} is false`);
  const stepEnv = mappingValues(step.env, local, scope.context());
  const given = mappingValues(withMapping, local, scope.context());
  const outcome = await deps.logger.group(`preflight: ${scope.title} › ${scope.name}`, async (): Promise<PreflightOutcome> => {
    try {
      return await mode.run({
        root: scope.root,
        with: withDefaults(action as ActionName, given, (expression) => local.expression(expression, scope.context())),
        logger: deps.logger,
        secrets: deps.secrets,
        signal: deps.signal,
        env: { ...deps.env, ...(scope.context().env as Record<string, string>), ...stepEnv },
        reportDir: join(scope.root, ".launchpad"),
        onJobEnd: (cleanup) => scope.cleanups.push(cleanup),
      });
    } catch (error) {
      return { ok: false, headline: errorMessage(error), markdown: `> ${errorMessage(error)}\n` };
    }
  });
  return {
    verdict: outcome.skipped ? "skipped" : outcome.ok ? "pass" : "fail",
    headline: outcome.headline,
    markdown: outcome.markdown,
    outputs: outcome.outputs,
  };
}

/**
 * The step's inputs over action.yml's defaults, what the runner would hand the action. A default that is one
 * expression (`${{ github.sha }}`) is evaluated like the runner does; `github.token` is empty locally.
 */
function withDefaults(action: ActionName, given: Record<string, string>, evaluate: (expression: string) => string): Record<string, string> {
  const values: Record<string, string> = {};
  const definitions: Record<string, InputDefinition> = actionInputs(action);
  for (const [name, { default: fallback }] of Object.entries(definitions)) {
    if (fallback === undefined || name in given) continue;
    const text = fallback.trim();
    values[name] = text.startsWith("${{") && text.endsWith("}}") ? evaluate(text.slice(3, -2)) : fallback;
  }
  return { ...values, ...given };
}

/** A `run:` script of the job, with `--run-steps`: in the root, with the job's and step's `env:`, its `if:` honoured. */
async function runScriptStep(step: RunStep, scope: StepScope): Promise<StepResult> {
  const { local, deps } = scope;
  if (!local.condition(step.if.expression, scope.context(), { needsSucceeded: !scope.failed }))
    return skipped(`if: ${step.if.expression} is false`);
  const env = { ...deps.env, ...(scope.context().env as Record<string, string>), ...mappingValues(step.env, local, scope.context()) };
  const script = local.value(step.run, scope.context());
  const result = await deps.logger.group(`preflight: ${scope.title} › ${scope.name}`, () =>
    runScript({ script, cwd: scope.root, env, logger: deps.logger, signal: deps.signal }),
  );
  const ok = result.exitCode === 0;
  const headline = ok ? "exit 0" : result.stopped ? `stopped: ${result.stopped}` : `exit ${result.exitCode ?? "none: bash did not start"}`;
  const markdown = ok || !result.tail.length ? "" : `\`\`\`\n${result.tail.join("\n")}\n\`\`\`\n`;
  return { verdict: ok ? "pass" : "fail", headline, markdown, outputs: result.outputs };
}
