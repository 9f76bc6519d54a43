import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { isBasicExpression, isBoolean, isMapping, isNumber, isString } from "@actions/workflow-parser";
import type { WorkflowJob } from "@actions/workflow-parser/model/workflow-template";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { ConfigurationError } from "../lib/errors.js";
import { asString, type ExpressionContext, evaluate, isTruthy } from "./expression.js";
import { type GitRef, parseRef, pullRequestMismatch, pushMismatch, workflowRunMismatch } from "./triggers.js";
import type { Plan, PlanEntry, PlanRequest } from "./types.js";
import { type LoadedWorkflow, listWorkflowFiles, loadWorkflow, workflowFolder } from "./workflows.js";

/** GitHub allows four levels of reusable workflows and three of workflow_run chains. */
const MAX_CALL_DEPTH = 4;
const MAX_RUN_CHAIN = 3;

interface Scope {
  /** The triggered workflow's file name, on every entry. */
  label: string;
  /** `caller/` for a reusable workflow's jobs. */
  prefix: string;
  /** Needs added to the called workflow's first jobs: the calling job's own. */
  outerNeeds: string[];
  context: ExpressionContext;
  depth: number;
  /** How the workflow started, when not by the event itself: `after ci-cd (workflow_run)`, `called by pipeline`. */
  via?: string;
}

/** The plan of one event: which jobs of which workflows run, in dependency order, where they deploy, and why not. */
export async function planEvent(request: PlanRequest): Promise<Plan> {
  const folder = workflowFolder(resolve(request.folder));
  const repoRoot = basename(folder) === "workflows" && basename(dirname(folder)) === ".github" ? dirname(dirname(folder)) : folder;
  const cwd = request.cwd ?? process.cwd();
  const workflows = await Promise.all(listWorkflowFiles(folder).map((file) => loadWorkflow(join(folder, file), cwd)));
  if (request.workflow && !workflows.some((workflow) => workflow.file === request.workflow))
    throw new ConfigurationError(`--workflow ${request.workflow}: no such workflow in ${folder}.`);
  const planner = new Planner(request, folder, repoRoot, cwd);
  return planner.plan(workflows.filter((workflow) => !request.workflow || workflow.file === request.workflow));
}

class Planner {
  private readonly entries: PlanEntry[] = [];
  private readonly untriggered: Plan["untriggered"] = [];
  private readonly jobs: Plan["jobs"] = [];
  private readonly ref: GitRef;
  private readonly repository: string;
  private readonly sha: string;

  constructor(
    private readonly request: PlanRequest,
    private readonly folder: string,
    private readonly repoRoot: string,
    private readonly cwd: string,
  ) {
    this.ref = parseRef(request.ref);
    this.repository = request.repository ?? "local/repository";
    this.sha = request.sha ?? "0".repeat(40);
  }

  async plan(workflows: LoadedWorkflow[]): Promise<Plan> {
    this.checkInputNames(workflows);
    const completed: LoadedWorkflow[] = [];
    for (const workflow of workflows) {
      const mismatch = this.triggerMismatch(workflow);
      if (mismatch) {
        if (!workflow.template.events.workflow_run) this.untriggered.push({ workflow: workflow.file, reason: mismatch });
        continue;
      }
      if (await this.planTriggered(workflow, this.eventContext(workflow))) completed.push(workflow);
    }
    await this.followWorkflowRuns(workflows, completed);
    return { entries: this.entries, untriggered: this.untriggered, jobs: this.jobs };
  }

  /** Workflows started by the completion of those that ran, level by level, as GitHub chains them. */
  private async followWorkflowRuns(workflows: LoadedWorkflow[], completed: LoadedWorkflow[]): Promise<void> {
    const started = new Set<LoadedWorkflow>();
    let level = completed;
    for (let depth = 0; depth < MAX_RUN_CHAIN && level.length; depth++) {
      const next: LoadedWorkflow[] = [];
      for (const upstream of level) {
        for (const workflow of workflows) {
          if (started.has(workflow) || workflowRunMismatch(workflow.template.events, upstream.name, this.ref.name)) continue;
          started.add(workflow);
          const via = `after ${upstream.name} (workflow_run)`;
          if (await this.planTriggered(workflow, this.workflowRunContext(workflow, upstream), via)) next.push(workflow);
        }
      }
      level = next;
    }
    for (const workflow of workflows)
      if (workflow.template.events.workflow_run && !started.has(workflow) && this.triggerMismatch(workflow))
        this.untriggered.push({ workflow: workflow.file, reason: `no workflow it follows ran (${this.triggerMismatch(workflow)})` });
  }

  /** Plans a started workflow; true when at least one of its jobs runs (what a workflow_run follower sees as success). */
  private async planTriggered(workflow: LoadedWorkflow, context: ExpressionContext, via?: string): Promise<boolean> {
    const before = this.entries.length;
    const missing = this.missingInput(workflow);
    if (missing) {
      for (const job of workflow.template.jobs)
        this.entries.push({
          workflow: workflow.file,
          job: job.id.value,
          runs: false,
          needs: (job.needs ?? []).map((need) => need.value),
          environment: null,
          reason: `workflow_dispatch needs --input ${missing}`,
        });
      return false;
    }
    await this.planJobs(workflow, { label: workflow.file, prefix: "", outerNeeds: [], context, depth: 0, via });
    return this.entries.slice(before).some((entry) => entry.runs);
  }

  private async planJobs(workflow: LoadedWorkflow, scope: Scope): Promise<Map<string, boolean>> {
    const results = new Map<string, boolean>();
    for (const job of dependencyOrder(workflow.template.jobs)) {
      const id = job.id.value;
      const needs = (job.needs ?? []).map((need) => need.value);
      const needsContext = Object.fromEntries(
        needs.map((need) => [need, { result: results.get(need) ? "success" : "skipped", outputs: {} }]),
      );
      const context = { ...scope.context, needs: needsContext };
      const needsSucceeded = needs.every((need) => results.get(need));
      const runs = isTruthy(evaluate(job.if.expression, context, { needsSucceeded }));
      const entry: PlanEntry = {
        workflow: scope.label,
        job: scope.prefix + id,
        runs,
        needs: needs.length ? needs.map((need) => scope.prefix + need) : scope.outerNeeds,
        environment: job.type === "job" ? this.environmentOf(job.environment, context) : null,
        reason: [scope.via, runs ? runReason(job) : skipReason(job, needs, results, context)].filter(Boolean).join("; "),
      };
      results.set(id, runs);
      if (runs && job.type === "reusableWorkflowJob") {
        const called = await this.planCall(job, entry, scope, context);
        if (called) continue;
      }
      this.entries.push(entry);
      if (runs && job.type === "job") this.jobs.push({ entry, path: workflow.path, job, context });
    }
    return results;
  }

  /** Expands a reusable workflow call into the called workflow's jobs; false when the file is not available here. */
  private async planCall(
    job: Extract<WorkflowJob, { type: "reusableWorkflowJob" }>,
    entry: PlanEntry,
    scope: Scope,
    context: ExpressionContext,
  ): Promise<boolean> {
    const reference = job.ref.value;
    const path = this.resolveCall(reference);
    if (!path) {
      entry.reason = `calls ${reference}, which is not available locally`;
      return false;
    }
    if (scope.depth >= MAX_CALL_DEPTH)
      throw new ConfigurationError(`${reference}: reusable workflows nest deeper than ${MAX_CALL_DEPTH} levels.`);
    const called = await loadWorkflow(path, this.cwd);
    if (!called.template.events.workflow_call)
      throw new ConfigurationError(`${called.path}: called by ${scope.label} job ${entry.job} but has no workflow_call trigger.`);
    const inputs = this.callInputs(job, called, context);
    await this.planJobs(called, {
      label: scope.label,
      prefix: `${entry.job}/`,
      outerNeeds: entry.needs,
      context: { ...scope.context, inputs },
      depth: scope.depth + 1,
      via: [scope.via, `called by ${entry.job}`].filter(Boolean).join("; "),
    });
    return true;
  }

  private resolveCall(reference: string): string | undefined {
    if (reference.startsWith("./")) {
      const inRepo = join(this.repoRoot, reference);
      if (existsSync(inRepo)) return inRepo;
      // A bare folder of workflow files (the suite's workflows/): the called file sits beside its caller.
      const beside = join(this.folder, basename(reference));
      return existsSync(beside) ? beside : undefined;
    }
    return this.request.resolveRemote?.(reference);
  }

  /** The called workflow's inputs: its defaults, then the caller's `with:`, evaluated in the caller's context. */
  private callInputs(
    job: Extract<WorkflowJob, { type: "reusableWorkflowJob" }>,
    called: LoadedWorkflow,
    context: ExpressionContext,
  ): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [name, definition] of Object.entries(called.template.events.workflow_call?.inputs ?? {})) {
      const fallback = definition.default;
      inputs[name] =
        typeof fallback === "object" && fallback !== null ? tokenValue(fallback as TemplateToken, context) : (fallback ?? null);
    }
    if (job["input-values"] && isMapping(job["input-values"]))
      for (const pair of job["input-values"]) inputs[pair.key.toString()] = tokenValue(pair.value, context);
    return inputs;
  }

  private environmentOf(token: TemplateToken | undefined, context: ExpressionContext): string | null {
    if (!token) return null;
    if (isMapping(token)) {
      for (const pair of token) if (pair.key.toString() === "name") return this.environmentOf(pair.value, context);
      return null;
    }
    const value = tokenValue(token, context);
    return value === null || value === "" ? null : String(value);
  }

  private triggerMismatch(workflow: LoadedWorkflow): string | undefined {
    const events = workflow.template.events;
    switch (this.request.event) {
      case "push":
        return pushMismatch(events, this.ref);
      case "pull_request":
        return pullRequestMismatch(events, this.ref.name, this.request.pullRequestAction ?? "opened");
      case "workflow_dispatch":
        return events.workflow_dispatch ? undefined : "no workflow_dispatch trigger";
    }
  }

  /** `--input` names that no dispatched workflow declares are typos, and a choice outside its options is refused. */
  private checkInputNames(workflows: LoadedWorkflow[]): void {
    const given = Object.entries(this.request.inputs ?? {});
    if (this.request.event !== "workflow_dispatch") {
      if (given.length) throw new ConfigurationError(`--input is for --event workflow_dispatch only (got --input ${given[0]?.[0]}).`);
      return;
    }
    const dispatchable = workflows.filter((workflow) => workflow.template.events.workflow_dispatch);
    for (const [name, value] of given) {
      const declaring = dispatchable.filter((workflow) => workflow.template.events.workflow_dispatch?.inputs?.[name]);
      if (!declaring.length)
        throw new ConfigurationError(`--input ${name}: no workflow_dispatch workflow here declares an input '${name}'.`);
      for (const workflow of declaring) {
        const definition = workflow.template.events.workflow_dispatch?.inputs?.[name];
        if (definition?.type === "choice" && definition.options && !definition.options.includes(value))
          throw new ConfigurationError(`--input ${name}=${value}: ${workflow.file} allows ${definition.options.join(", ")}.`);
        if (definition?.type === "boolean" && value !== "true" && value !== "false")
          throw new ConfigurationError(`--input ${name}=${value}: ${workflow.file} takes true or false.`);
      }
    }
  }

  private missingInput(workflow: LoadedWorkflow): string | undefined {
    if (this.request.event !== "workflow_dispatch") return undefined;
    for (const [name, definition] of Object.entries(workflow.template.events.workflow_dispatch?.inputs ?? {}))
      if (definition.required && definition.default === undefined && !this.request.inputs?.[name]) return `${name} (required)`;
    return undefined;
  }

  private dispatchInputs(workflow: LoadedWorkflow): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [name, definition] of Object.entries(workflow.template.events.workflow_dispatch?.inputs ?? {})) {
      const value = this.request.inputs?.[name] ?? (definition.default === undefined ? "" : String(definition.default));
      inputs[name] = definition.type === "boolean" ? value === "true" : value;
    }
    return inputs;
  }

  private baseGithub(workflow: LoadedWorkflow): Record<string, unknown> {
    const [owner] = this.repository.split("/");
    return {
      event_name: this.request.event,
      ref: this.ref.full,
      ref_name: this.ref.name,
      ref_type: this.ref.kind,
      sha: this.sha,
      repository: this.repository,
      repository_owner: owner,
      actor: this.request.actor ?? "local",
      triggering_actor: this.request.actor ?? "local",
      workflow: workflow.name,
      head_ref: "",
      base_ref: "",
    };
  }

  private eventContext(workflow: LoadedWorkflow): ExpressionContext {
    const github = this.baseGithub(workflow);
    const repository = { full_name: this.repository, default_branch: this.defaultBranch };
    if (this.request.event === "pull_request") {
      const head = { ref: "feature", sha: this.sha, repo: repository };
      const pullRequest = { number: 1, head, base: { ref: this.ref.name, repo: repository }, draft: false };
      Object.assign(github, {
        ref: "refs/pull/1/merge",
        ref_name: "1/merge",
        ref_type: "branch",
        head_ref: head.ref,
        base_ref: this.ref.name,
        event: { action: this.request.pullRequestAction ?? "opened", number: 1, pull_request: pullRequest, repository },
      });
      return { github, inputs: {}, vars: {} };
    }
    if (this.request.event === "workflow_dispatch") {
      const inputs = this.dispatchInputs(workflow);
      github.event = { inputs, ref: this.ref.full, repository };
      return { github, inputs, vars: {} };
    }
    github.event = { ref: this.ref.full, after: this.sha, repository };
    return { github, inputs: {}, vars: {} };
  }

  private workflowRunContext(workflow: LoadedWorkflow, upstream: LoadedWorkflow): ExpressionContext {
    const github = this.baseGithub(workflow);
    const branch = this.defaultBranch;
    const workflowRun = {
      conclusion: "success",
      name: upstream.name,
      event: this.request.event,
      head_branch: this.ref.name,
      head_sha: this.sha,
    };
    Object.assign(github, {
      event_name: "workflow_run",
      ref: `refs/heads/${branch}`,
      ref_name: branch,
      ref_type: "branch",
      event: { action: "completed", workflow_run: workflowRun, repository: { full_name: this.repository } },
    });
    return { github, inputs: {}, vars: {} };
  }

  private get defaultBranch(): string {
    return this.request.defaultBranch ?? "main";
  }
}

/** A template value: literal as is, expression evaluated. */
export function tokenValue(token: TemplateToken, context: ExpressionContext): unknown {
  if (isString(token)) return token.value;
  if (isBoolean(token) || isNumber(token)) return token.value;
  if (isBasicExpression(token)) return asString(evaluate(token.expression, context));
  return token.toString();
}

/** The `if:` as written, on one line and without a `${{ }}` wrapper. */
function conditionText(job: WorkflowJob): string | undefined {
  const source = job.if.source?.replace(/\s+/g, " ").trim();
  if (!source) return undefined;
  return source.startsWith("${{") && source.endsWith("}}") ? source.slice(3, -2).trim() : source;
}

function runReason(job: WorkflowJob): string {
  const condition = conditionText(job);
  return condition ? `if: ${condition}` : job.needs?.length ? "its needs succeed" : "no condition";
}

function skipReason(job: WorkflowJob, needs: string[], results: Map<string, boolean>, context: ExpressionContext): string {
  const skippedNeed = needs.find((need) => !results.get(need));
  // When the job would run were its needs all successful, the skipped need is the reason.
  if (skippedNeed && isTruthy(evaluate(job.if.expression, context, { needsSucceeded: true })))
    return `needs ${skippedNeed}, which does not run`;
  return `if: ${conditionText(job) ?? job.if.expression} is false`;
}

/** Jobs ordered so each comes after its needs, otherwise in the order written. */
function dependencyOrder(jobs: WorkflowJob[]): WorkflowJob[] {
  const ordered: WorkflowJob[] = [];
  const placed = new Set<string>();
  const pending = [...jobs];
  while (pending.length) {
    const index = pending.findIndex((job) => (job.needs ?? []).every((need) => placed.has(need.value)));
    // The parser refuses cycles and unknown needs; this keeps a bad file from looping forever.
    const [next] = pending.splice(index === -1 ? 0 : index, 1);
    if (!next) break;
    ordered.push(next);
    placed.add(next.id.value);
  }
  return ordered;
}
