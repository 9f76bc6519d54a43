import { glob, stat } from "node:fs/promises";
import { isAbsolute, join, matchesGlob, relative, resolve, sep } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import { inputLabel } from "../lib/inputs.js";
import { refuseLinkOut } from "../lib/workspace-path.js";

/**
 * Files (not directories) matched by globs; relative patterns and `!` exclusions resolve from `cwd`.
 * Node's own glob, not @actions/glob: that one prints `::debug::` lines on stdout, which the CLI's report would carry.
 */
export async function matchFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const pattern of patterns) {
    const body = pattern.replace(/^!/, "");
    (pattern.startsWith("!") ? exclude : include).push(isAbsolute(body) ? body : resolve(cwd, body));
  }
  const files = new Set<string>();
  for await (const entry of glob(include, { withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile());
    if (isFile && !exclude.some((pattern) => matchesGlob(path, pattern))) files.add(path);
  }
  return [...files].sort();
}

/**
 * The files of a report input: undefined when the input is empty, or when nothing matched and `missingOk`
 * (a command failed before writing them); otherwise matching nothing is the user's mistake.
 */
export async function findReports(
  input: string,
  patterns: readonly string[],
  places: { cwd: string; workspace: string },
  missingOk: boolean,
): Promise<string[] | undefined> {
  if (patterns.length === 0) return undefined;
  let files: string[];
  try {
    files = await matchFiles(patterns, places.cwd);
  } catch (error) {
    // Node's glob refuses some patterns only when it walks ("pattern is too long"); name the input, not the library.
    throw new ConfigurationError(`${inputLabel(input)}: its globs cannot be matched (${(error as Error).message}).`);
  }
  for (const file of files) refuseLinkOut(places.workspace, input, repoPath(file, places.workspace), file);
  if (files.length > 0) return files;
  if (missingOk) return undefined;
  throw new ConfigurationError(`${inputLabel(input)} matched no file: ${patterns.join(", ")} (relative to ${places.cwd}).`);
}

/** A path as annotations and summaries show it: relative to the repository, with forward slashes. */
export function repoPath(absolute: string, workspace: string): string {
  const prefix = workspace.endsWith(sep) ? workspace : `${workspace}${sep}`;
  // The common case without path.relative: it re-resolves both sides, which adds up over 5,000 coverage files.
  const path = absolute.startsWith(prefix) ? absolute.slice(prefix.length) : relative(workspace, absolute);
  return (path.startsWith("..") ? absolute : path).split(sep).join("/");
}
