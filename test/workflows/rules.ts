/**
 * The hardening rules of the composed workflows, each a function from one parsed workflow file to its problems.
 * Files are parsed with the `yaml` package; expressions with GitHub's own @actions/expressions parser.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type Expr, Lexer, Parser } from "@actions/expressions";
import { isScalar, parseDocument } from "yaml";

export interface WorkflowFile {
  path: string;
  /** The plain data. */
  data: Workflow;
  /** The document, for comments (pinned versions). */
  document: ReturnType<typeof parseDocument>;
}

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  permissions?: unknown;
  environment?: string | { name?: string; url?: string };
  concurrency?: string | { group?: string; "cancel-in-progress"?: unknown };
  steps?: Step[];
  env?: Record<string, unknown>;
}

interface Workflow {
  on?: unknown;
  permissions?: unknown;
  concurrency?: string | { group?: string; "cancel-in-progress"?: unknown };
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

export function readWorkflowFile(root: string, path: string): WorkflowFile {
  return parseWorkflowText(relative(root, path), readFileSync(path, "utf8"));
}

export function parseWorkflowText(path: string, text: string): WorkflowFile {
  const document = parseDocument(text);
  if (document.errors.length) throw new Error(`${path}: ${document.errors[0]?.message}`);
  return { path, data: document.toJS() as Workflow, document };
}

/** Every workflow file of the suite (workflows/, .github/workflows/) and of the example consumer. */
export function allWorkflowFiles(root: string): string[] {
  const dirs = ["workflows", ".github/workflows", "examples/blockbuilders/.github/workflows"];
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => join(root, dir, file)),
  );
}

function jobs(file: WorkflowFile): Array<[string, Job]> {
  return Object.entries(file.data.jobs ?? {});
}

function steps(job: Job): Step[] {
  return job.steps ?? [];
}

// ── untrusted expressions in scripts ─────────────────────────────────────────

/** github.* fields that an outsider cannot choose. Everything else, and every other context but these, is untrusted. */
const SAFE_GITHUB = new Set([
  "sha",
  "repository",
  "repository_id",
  "repository_owner",
  "repository_owner_id",
  "run_id",
  "run_number",
  "run_attempt",
  "server_url",
  "api_url",
  "graphql_url",
  "workspace",
  "action_path",
  "job",
  "workflow_sha",
  "event_name",
  "ref_type",
]);
const SAFE_CONTEXTS = new Set(["matrix", "runner", "strategy", "job"]);
const CONTEXT_NAMES = ["github", "inputs", "vars", "needs", "env", "secrets", "matrix", "strategy", "steps", "job", "jobs", "runner"];

type Path = string[];

/** The context paths an expression reads (`github.event.pull_request.title` → ["github","event","pull_request","title"]). */
export function contextPaths(expression: string): Path[] {
  const tree = new Parser(new Lexer(expression).lex().tokens, CONTEXT_NAMES, []).parse();
  const found: Path[] = [];
  const walk = (node: Expr): Path | undefined => {
    const any = node as unknown as Record<string, unknown>;
    if (node.constructor.name === "ContextAccess") return [String((any.name as { lexeme: string }).lexeme)];
    if (node.constructor.name === "IndexAccess") {
      const base = walk(any.expr as Expr);
      const index = any.index as Expr;
      const indexAny = index as unknown as Record<string, unknown>;
      let key = "*";
      if (index.constructor.name === "Literal") key = String((indexAny.literal as { coerceString(): string }).coerceString());
      else if (index.constructor.name !== "Star") {
        const inner = walk(index);
        if (inner) found.push(inner);
      }
      return base ? [...base, key] : undefined;
    }
    for (const child of [any.expr, any.left, any.right, any.group, ...((any.args as Expr[] | undefined) ?? [])])
      if (child && typeof child === "object") {
        const path = walk(child as Expr);
        if (path) found.push(path);
      }
    return undefined;
  };
  const top = walk(tree);
  if (top) found.push(top);
  return found;
}

export function isUntrusted(path: Path): boolean {
  const [root, field] = path;
  if (root === "github") return !(field && SAFE_GITHUB.has(field));
  return !SAFE_CONTEXTS.has(root ?? "");
}

/** `${{ … }}` inside an already-extracted script string. */
function expressionsIn(script: string): string[] {
  return [...script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => (match[1] ?? "").trim());
}

/** Scripts: `run:`, and the `script:` of actions/github-script. */
function scriptsOf(step: Step): string[] {
  const scripts = typeof step.run === "string" ? [step.run] : [];
  if (step.uses?.startsWith("actions/github-script@") && typeof step.with?.script === "string") scripts.push(step.with.script);
  return scripts;
}

export function untrustedInScripts(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [id, job] of jobs(file))
    for (const step of steps(job))
      for (const script of scriptsOf(step))
        for (const expression of expressionsIn(script))
          for (const path of contextPaths(expression))
            if (isUntrusted(path))
              problems.push(
                `${file.path} job ${id}: \${{ ${expression} }} expands ${path.join(".")} inside a script; pass it through env:`,
              );
  return problems;
}

// ── pull_request_target ──────────────────────────────────────────────────────

function triggers(file: WorkflowFile): string[] {
  const on = file.data.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys((on as Record<string, unknown>) ?? {});
}

export function pullRequestTargetCheckout(file: WorkflowFile): string[] {
  if (!triggers(file).includes("pull_request_target")) return [];
  const problems: string[] = [];
  for (const [id, job] of jobs(file))
    for (const step of steps(job)) {
      if (!step.uses?.startsWith("actions/checkout@")) continue;
      const ref = String(step.with?.ref ?? "");
      const paths = expressionsIn(ref).flatMap(contextPaths);
      if (paths.some((path) => path[0] === "github" && (path[1] === "head_ref" || path[1] === "event")))
        problems.push(`${file.path} job ${id}: pull_request_target checks out the pull request's code (ref: ${ref})`);
    }
  return problems;
}

// ── permissions ──────────────────────────────────────────────────────────────

const SCOPES = new Set([
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
]);

function permissionProblems(where: string, permissions: unknown): string[] {
  if (typeof permissions === "string") return [`${where}: permissions: ${permissions} (name each scope instead)`];
  if (!permissions || typeof permissions !== "object") return [`${where}: permissions must be a mapping`];
  return Object.entries(permissions as Record<string, unknown>).flatMap(([scope, level]) => {
    if (!SCOPES.has(scope)) return [`${where}: unknown permission scope ${scope}`];
    return ["read", "write", "none"].includes(String(level)) ? [] : [`${where}: ${scope}: ${String(level)}`];
  });
}

/** What each suite action and third-party action needs that only a write permission gives. */
function needsIdToken(job: Job): boolean {
  return steps(job).some((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"));
}

export function leastPrivilege(file: WorkflowFile): string[] {
  const problems: string[] = [];
  if (file.data.permissions !== undefined) problems.push(...permissionProblems(`${file.path} (workflow)`, file.data.permissions));
  for (const [id, job] of jobs(file)) {
    const where = `${file.path} job ${id}`;
    if (job.permissions === undefined) {
      problems.push(`${where}: no permissions: block`);
      continue;
    }
    problems.push(...permissionProblems(where, job.permissions));
    const granted = (job.permissions ?? {}) as Record<string, string>;
    if (granted["id-token"] === "write" && !job.uses && !needsIdToken(job))
      problems.push(`${where}: id-token: write without a step that assumes a role`);
  }
  return problems;
}

// ── AWS through OIDC ─────────────────────────────────────────────────────────

const LONG_LIVED = ["aws-access-key-id", "aws-secret-access-key", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

export function awsThroughOidc(file: WorkflowFile): string[] {
  const problems: string[] = [];
  const envs = (where: string, env: Record<string, unknown> | undefined) => {
    for (const key of Object.keys(env ?? {})) if (LONG_LIVED.includes(key)) problems.push(`${where}: ${key} is a long-lived key`);
  };
  envs(`${file.path} (workflow env)`, file.data.env);
  for (const [id, job] of jobs(file)) {
    const where = `${file.path} job ${id}`;
    envs(`${where} (env)`, job.env);
    for (const step of steps(job)) {
      envs(`${where} (step env)`, step.env);
      if (!step.uses?.startsWith("aws-actions/configure-aws-credentials@")) continue;
      for (const key of LONG_LIVED) if (step.with && key in step.with) problems.push(`${where}: configure-aws-credentials with ${key}`);
      if (!step.with?.["role-to-assume"]) problems.push(`${where}: configure-aws-credentials without role-to-assume`);
      if ((job.permissions as Record<string, string> | undefined)?.["id-token"] !== "write")
        problems.push(`${where}: configure-aws-credentials without id-token: write`);
    }
  }
  return problems;
}

// ── pinned actions ───────────────────────────────────────────────────────────

const FULL_SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+(\.\d+){0,2}\s*$/;

/** Our own actions and workflows, GitHub's `actions/*` (major tags allowed) and local paths need no SHA. */
function needsPin(uses: string): boolean {
  return !(
    uses.startsWith("./") ||
    uses.startsWith("actions/") ||
    uses.startsWith("blockbuilders/launchpad/") ||
    uses.startsWith("docker://")
  );
}

export function pinnedActions(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [id, job] of jobs(file)) {
    (job.steps ?? []).forEach((step, index) => {
      if (!step.uses || !needsPin(step.uses)) return;
      const [, ref = ""] = step.uses.split("@");
      const node = file.document.getIn(["jobs", id, "steps", index, "uses"], true);
      const comment = isScalar(node) ? (node.comment ?? "") : "";
      if (!FULL_SHA.test(ref)) problems.push(`${file.path} job ${id}: ${step.uses} is not pinned to a full commit SHA`);
      else if (!VERSION_COMMENT.test(comment)) problems.push(`${file.path} job ${id}: ${step.uses} has no "# vX.Y.Z" comment`);
    });
    if (job.uses && needsPin(job.uses)) problems.push(`${file.path} job ${id}: reusable workflow ${job.uses} is not ours`);
  }
  return problems;
}

// ── deploy jobs: environments and concurrency ────────────────────────────────

/** Our deploy actions as consumers call them; the suite's own smoke job runs `./actions/…` against local fakes only. */
const DEPLOY_ACTION = /^blockbuilders\/launchpad\/actions\/(vercel-deploy|ecs-blue-green|seed)@/;

/** A job that changes a live environment: it deploys (Vercel, ECS) or writes reference data (seed apply/rollback). */
export function isDeployJob(job: Job): boolean {
  return steps(job).some((step) => {
    const match = DEPLOY_ACTION.exec(step.uses ?? "");
    if (!match) return false;
    if (match[1] === "seed") return ["apply", "rollback"].includes(String(step.with?.command ?? "apply"));
    return true;
  });
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

/** `cancel-in-progress` set to anything but false (true, or an expression that may be true). */
function cancels(concurrency: Workflow["concurrency"]): boolean {
  const value = typeof concurrency === "object" && concurrency !== null ? concurrency["cancel-in-progress"] : undefined;
  return value !== undefined && String(value) !== "false";
}

export function deployConcurrency(file: WorkflowFile): string[] {
  const problems: string[] = [];
  const deployJobs = jobs(file).filter(([, job]) => isDeployJob(job));
  if (deployJobs.length && cancels(file.data.concurrency))
    problems.push(`${file.path}: workflow concurrency cancels in progress, and it has deploy jobs`);
  for (const [id, job] of deployJobs) {
    const where = `${file.path} job ${id}`;
    const environment = environmentName(job);
    const concurrency = job.concurrency;
    const group = typeof concurrency === "string" ? concurrency : concurrency?.group;
    if (!environment) problems.push(`${where}: a deploy job without environment:`);
    if (!group) problems.push(`${where}: a deploy job without a concurrency group`);
    else if (environment && !group.includes(environment))
      problems.push(`${where}: concurrency group ${group} is not per environment (${environment})`);
    if (cancels(concurrency)) problems.push(`${where}: a deploy job with cancel-in-progress`);
  }
  return problems;
}

/** Staging and production environments carry their URL; a preview deployment runs in the `preview` environment. */
export function environmentsDeclared(file: WorkflowFile): string[] {
  const problems: string[] = [];
  for (const [id, job] of jobs(file)) {
    const where = `${file.path} job ${id}`;
    const name = environmentName(job);
    if (name !== undefined && name !== "preview" && (typeof job.environment !== "object" || !job.environment.url))
      problems.push(`${where}: environment ${name} without its url`);
    for (const step of steps(job)) {
      const match = DEPLOY_ACTION.exec(step.uses ?? "");
      const preview = String(step.with?.target ?? "preview") === "preview" && (step.with?.command ?? "deploy") === "deploy";
      if (match?.[1] === "vercel-deploy" && preview && name !== "preview")
        problems.push(`${where}: a preview deployment outside environment: preview`);
    }
  }
  return problems;
}
