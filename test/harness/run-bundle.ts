import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { type Annotation, parseCommandFile, parseStdout } from "./workflow-commands.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** The Node option that preloads the loopback-only guard into a step and everything it starts. */
export const LOOPBACK_GUARD_OPTION = `--import=${pathToFileURL(join(REPO_ROOT, "test/harness/loopback-only.mjs")).href}`;

/** Every temp dir the harness makes lives under this one; the suite's global teardown removes it (tests may read report files until then). */
export const HARNESS_TEMP_PREFIX = "launchpad-harness-";

function makeTempDir(prefix: string): string {
  const parent = join(tmpdir(), `${HARNESS_TEMP_PREFIX}${process.pid}`);
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, prefix));
}

export interface ActionMetadata {
  name: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; "post-if"?: string };
}

export function readActionMetadata(action: string): ActionMetadata {
  return parse(readFileSync(join(REPO_ROOT, "actions", action, "action.yml"), "utf8"));
}

export interface RunOptions {
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment, on top of the runner's own variables. */
  env?: Record<string, string | undefined>;
  eventName?: string;
  event?: Record<string, unknown>;
  ref?: string;
  sha?: string;
  repository?: string;
  actor?: string;
  /** The job's working directory (GITHUB_WORKSPACE); a fresh temp dir by default. */
  workspace?: string;
  /** Kills the step after this long, as a hung step would be; default 60 s. */
  timeoutMs?: number;
  /** State saved by the main step, handed to the post step as STATE_ variables. */
  state?: Record<string, string>;
  /** What `${{ github.token }}` evaluates to in input defaults. */
  githubToken?: string;
}

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  masks: string[];
  debug: string[];
  /** Everything a person or a later step could see, for scanning planted secrets: the runner hides `::add-mask::` lines, so they are left out. */
  visible: string;
}

export interface RunningStep {
  child: ChildProcess;
  /** Resolves once the given text has appeared on stdout. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  result: Promise<StepResult>;
}

/**
 * Starts an action's built bundle as the runner does: `node <main>` with INPUT_ variables (defaults from
 * action.yml filled in), the runner's GITHUB_* variables, and temp files behind the command files.
 */
export function startStep(action: string, phase: "main" | "post", options: RunOptions = {}): RunningStep {
  const metadata = readActionMetadata(action);
  if (metadata.runs.using !== "node24") throw new Error(`${action}: runs.using is ${metadata.runs.using}, not node24`);
  const script = metadata.runs[phase];
  if (!script) throw new Error(`${action} has no ${phase} entry`);
  const temp = makeTempDir(`launchpad-${action}-`);
  const files = {
    GITHUB_OUTPUT: join(temp, "output"),
    GITHUB_ENV: join(temp, "env"),
    GITHUB_STATE: join(temp, "state"),
    GITHUB_STEP_SUMMARY: join(temp, "summary.md"),
    GITHUB_PATH: join(temp, "path"),
    GITHUB_EVENT_PATH: join(temp, "event.json"),
  };
  for (const [name, path] of Object.entries(files))
    writeFileSync(path, name === "GITHUB_EVENT_PATH" ? JSON.stringify(options.event ?? {}) : "");
  const runnerTemp = join(temp, "runner-temp");
  mkdirSync(runnerTemp);
  const workspace = options.workspace ?? makeTempDir("launchpad-workspace-");

  const pullRequest = (options.event as { pull_request?: { number: number; head?: { ref?: string }; base?: { ref?: string } } } | undefined)
    ?.pull_request;
  const ref = options.ref ?? (pullRequest ? `refs/pull/${pullRequest.number}/merge` : "refs/heads/main");
  const home = join(temp, "home");
  mkdirSync(home);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    // Nothing a step (or a command it runs) does may reach past loopback.
    NODE_OPTIONS: LOOPBACK_GUARD_OPTION,
    // A fresh HOME, so nothing of the developer's (~/.aws, ~/.npmrc, ~/.gitconfig) reaches the step.
    HOME: home,
    LANG: "C.UTF-8",
    CI: "true",
    GITHUB_ACTIONS: "true",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: options.eventName ?? "push",
    GITHUB_REF: ref,
    GITHUB_REF_NAME: pullRequest ? `${pullRequest.number}/merge` : ref.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_REF_TYPE: ref.startsWith("refs/tags/") ? "tag" : "branch",
    // Set on pull_request events only, as the runner does.
    GITHUB_HEAD_REF: pullRequest?.head?.ref ?? "",
    GITHUB_BASE_REF: pullRequest?.base?.ref ?? "",
    GITHUB_SHA: options.sha ?? "0123456789abcdef0123456789abcdef01234567",
    GITHUB_REPOSITORY: options.repository ?? "blockbuilders/platform",
    GITHUB_ACTOR: options.actor ?? "octo-operator",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "http://127.0.0.1:9/unreachable-github",
    ...files,
  };
  const expressionValues: Record<string, string> = {
    "github.token": options.githubToken ?? "ghs_harnessDefaultToken0000000000000000",
    "github.actor": env.GITHUB_ACTOR,
    "github.sha": env.GITHUB_SHA,
    "github.ref": env.GITHUB_REF,
    "github.repository": env.GITHUB_REPOSITORY,
    "github.run_id": env.GITHUB_RUN_ID,
    "github.workspace": env.GITHUB_WORKSPACE,
    "github.event_name": env.GITHUB_EVENT_NAME,
    "github.server_url": env.GITHUB_SERVER_URL,
    "github.api_url": env.GITHUB_API_URL,
  };
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
    if (input.default !== undefined) env[inputVariable(name)] = evaluateDefault(String(input.default), expressionValues);
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputVariable(name)] = String(value);
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const child = spawn(process.execPath, [join(REPO_ROOT, "actions", action, script)], {
    cwd: workspace,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers: Array<() => void> = [];
  child.stdout.on("data", (data: Buffer) => {
    stdout += data.toString();
    for (const watcher of watchers) watcher();
  });
  child.stderr.on("data", (data: Buffer) => {
    stderr += data.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);

  const result = new Promise<StepResult>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const read = (path: string) => readFileSync(path, "utf8");
      const outputs = parseCommandFile(read(files.GITHUB_OUTPUT));
      const exportedEnv = parseCommandFile(read(files.GITHUB_ENV));
      const summary = read(files.GITHUB_STEP_SUMMARY);
      const parsed = parseStdout(stdout);
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs,
        state: parseCommandFile(read(files.GITHUB_STATE)),
        exportedEnv,
        summary,
        ...parsed,
        visible: [stdout.replace(/^::add-mask::.*$/gm, ""), stderr, ...Object.values(outputs), ...Object.values(exportedEnv), summary].join(
          "\n",
        ),
      });
    });
  });

  return {
    child,
    result,
    waitForOutput(text, timeoutMs = 30_000) {
      const seen = () => (typeof text === "string" ? stdout.includes(text) : text.test(stdout));
      return new Promise((resolveWait, reject) => {
        if (seen()) return resolveWait();
        const giveUp = setTimeout(() => reject(new Error(`timed out waiting for ${text} in stdout:\n${stdout}`)), timeoutMs);
        watchers.push(() => {
          if (seen()) {
            clearTimeout(giveUp);
            resolveWait();
          }
        });
      });
    },
  };
}

/** Evaluates the `${{ github.* }}` expressions the runner allows in input defaults; anything else is a harness gap, said loudly. */
function evaluateDefault(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_all, name: string) => {
    if (!(name in values)) throw new Error(`the harness cannot evaluate \${{ ${name} }} in an input default`);
    return values[name];
  });
}

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** Runs one step to its end. */
export function runStep(action: string, options: RunOptions = {}): Promise<StepResult> {
  return startStep(action, "main", options).result;
}

/** Runs main, then post with main's saved state, as the runner does at job end (post-if defaults to always()). */
export async function runWithPost(action: string, options: RunOptions = {}): Promise<{ main: StepResult; post: StepResult }> {
  const main = await runStep(action, options);
  const post = await startStep(action, "post", { ...options, state: main.state }).result;
  return { main, post };
}
