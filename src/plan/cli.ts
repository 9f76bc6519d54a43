import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { ConfigurationError } from "../lib/errors.js";
import { planEvent } from "./planner.js";
import { describeEvent, renderPlan } from "./render.js";
import { PLAN_EVENTS, type PlanEventName, type PlanRequest } from "./types.js";

/** The suite's own checkout: the bundle is dist/cli/index.js, the sources src/plan/cli.ts; both two levels down. */
const SUITE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** `blockbuilders/launchpad/.github/workflows/<file>@<ref>`: the suite's reusable workflows, read from this checkout. */
const SUITE_WORKFLOW = /^blockbuilders\/launchpad\/(\.github\/workflows\/[\w.-]+\.ya?ml)@[\w./-]+$/;

export function resolveSuiteWorkflow(reference: string, suiteRoot = SUITE_ROOT): string | undefined {
  const match = SUITE_WORKFLOW.exec(reference);
  const path = match?.[1] ? join(suiteRoot, match[1]) : undefined;
  return path && existsSync(path) ? path : undefined;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--input k=v` pairs; the value may itself contain `=`. */
export function parseInputFlags(pairs: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new ConfigurationError(`--input ${pair}: expected key=value.`);
    inputs[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return inputs;
}

export function gitOutput(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `owner/name` from the origin remote (https or ssh form), when there is one. */
export function repositoryOf(cwd: string): string | undefined {
  const url = gitOutput(cwd, ["remote", "get-url", "origin"]);
  const path = url
    ?.replace(/\.git$/, "")
    .split(/[:/]/)
    .slice(-2)
    .join("/");
  return path?.includes("/") ? path : undefined;
}

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("Print which workflow jobs an event would run, in dependency order, where they deploy, and why others are skipped")
    .argument("[dir]", "a folder of workflow files, or a repository root meaning its .github/workflows/ (default the current repo)")
    .option("--event <event>", `the event: ${PLAN_EVENTS.join(", ")}`)
    .option("--ref <ref>", "push/workflow_dispatch: the branch or refs/tags/<tag>; pull_request: the base branch")
    .option("--input <key=value>", "a workflow_dispatch input (repeatable)", collect, [])
    .option("--workflow <file>", "only this workflow file, e.g. promote.yml")
    .option("--json", "print the plan as a JSON array of { workflow, job, runs, needs, environment, reason }")
    .action(
      cliAction(async (run, command) => {
        const options = command.opts<{ event?: string; ref?: string; input: string[]; workflow?: string; json?: boolean }>();
        if (!options.event || !(PLAN_EVENTS as readonly string[]).includes(options.event))
          throw new ConfigurationError(`--event ${options.event ?? "(missing)"}: expected one of ${PLAN_EVENTS.join(", ")}.`);
        if (!options.ref) throw new ConfigurationError("--ref (missing): expected a branch, e.g. main, or refs/tags/<tag>.");
        const dir = resolve(command.args[0] ?? gitOutput(process.cwd(), ["rev-parse", "--show-toplevel"]) ?? ".");
        const request: PlanRequest = {
          folder: dir,
          event: options.event as PlanEventName,
          ref: options.ref,
          inputs: parseInputFlags(options.input),
          workflow: options.workflow,
          repository: repositoryOf(dir),
          sha: gitOutput(dir, ["rev-parse", "HEAD"]),
          actor: run.env.GITHUB_ACTOR || undefined,
          resolveRemote: (reference) => resolveSuiteWorkflow(reference),
        };
        const plan = await planEvent(request);
        run.print(options.json ? JSON.stringify(plan.entries, null, 2) : renderPlan(plan, describeEvent(request)));
        return 0;
      }),
    );
}
