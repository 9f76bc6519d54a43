import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow, type WorkflowTemplate } from "@actions/workflow-parser";
import { ConfigurationError } from "../lib/errors.js";

/** One workflow file, read and converted by GitHub's own parser. */
export interface LoadedWorkflow {
  /** The file name, e.g. `ci-cd.yml`. */
  file: string;
  /** The path shown in messages. */
  path: string;
  /** The `name:` (what `workflow_run` filters match), else the file name. */
  name: string;
  template: WorkflowTemplate;
}

const WORKFLOW_FILE = /\.ya?ml$/;

/** `dir` is a folder of workflow files, or a repository root meaning its `.github/workflows/`. */
export function workflowFolder(dir: string): string {
  const nested = join(dir, ".github/workflows");
  if (existsSync(nested) && statSync(nested).isDirectory()) return nested;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigurationError(`${dir} is not a folder.`);
  return dir;
}

export function listWorkflowFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((file) => WORKFLOW_FILE.test(file))
    .sort();
}

type ParseError = { message: string; range?: { start: { line: number; column: number } } };

/** The first line of a parser message, without the file prefix the parser adds (we add `file:line:col`). */
function placed(path: string, shownAs: string, error: ParseError): string {
  let message = error.message.split("\n")[0] ?? "";
  if (message.startsWith(shownAs)) message = message.slice(shownAs.length).replace(/^(\s*\(Line: \d+, Col: \d+\))?:\s*/, "");
  const at = error.range ? `:${error.range.start.line}:${error.range.start.column}` : "";
  return `${path}${at}: ${message}`;
}

export async function loadWorkflow(filePath: string, cwd = process.cwd()): Promise<LoadedWorkflow> {
  const file = basename(filePath);
  const path = relative(cwd, filePath) || filePath;
  const parsed = parseWorkflow({ name: file, content: readFileSync(filePath, "utf8") }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors() as ParseError[];
  if (errors.length || !parsed.value) throw new ConfigurationError(placed(path, file, errors[0] ?? { message: "empty workflow" }));
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const converted = (parsed.context.errors.getErrors() as ParseError[])[0];
  if (converted) throw new ConfigurationError(placed(path, file, converted));
  const name = nameOf(parsed.value) ?? file;
  return { file, path, name, template };
}

/** The top-level `name:` of a parsed workflow document. */
function nameOf(root: unknown): string | undefined {
  const mapping = root as { assertMapping(what: string): Iterable<{ key: { toString(): string }; value: { toString(): string } }> };
  for (const pair of mapping.assertMapping("workflow root")) if (pair.key.toString() === "name") return pair.value.toString();
  return undefined;
}
