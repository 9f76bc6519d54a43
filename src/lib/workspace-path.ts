import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ConfigurationError } from "./errors.js";
import { inputLabel, quoteValue } from "./inputs.js";

export type PathKind = "file" | "directory";

/** Turns a path input's value into an absolute path inside the workspace, or throws naming the input. */
export type PathResolver = (name: string, value: string, kind?: PathKind) => string;

/** Why an OS refused a path, in words that do not need the errno table. */
const OS_REASONS: Record<string, string> = {
  ENOENT: "does not exist",
  ENOTDIR: "goes through a file as if it were a folder",
  ENAMETOOLONG: "is too long for the file system",
  EACCES: "cannot be read (permission denied)",
  ELOOP: "goes through a loop of symbolic links",
  ERR_INVALID_ARG_VALUE: "contains a NUL byte",
  ERR_INVALID_ARG_TYPE: "contains a NUL byte",
};

function outside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** How every refused path reads: the input, the value as given (cut to ~100 characters), the problem. */
export function pathError(name: string, value: string, problem: string): ConfigurationError {
  return new ConfigurationError(`${inputLabel(name)} got ${quoteValue(value)}: the path ${problem}.`);
}

const LEAVES = "leaves the workspace; give a path inside it, relative to the workspace";
const LINKS_OUT = "leads outside the workspace through a symbolic link";

/**
 * The lexical half of {@link resolveWorkspacePath}, for paths that need not exist yet (a glob's folder, a report a
 * command writes later): `value` resolved from `base` (default the workspace) must not leave the workspace by `..`
 * or an absolute path. Reads no file; returns the absolute path.
 */
export function insideWorkspace(workspace: string, name: string, value: string, base = workspace): string {
  const path = resolve(base, value);
  if (outside(resolve(workspace), path)) throw pathError(name, value, LEAVES);
  return path;
}

/** A path that exists (a file a glob matched) must not lead outside the workspace through a symbolic link. */
export function refuseLinkOut(workspace: string, name: string, value: string, path: string): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return;
  }
  if (outside(realpathSync(workspace), real)) throw pathError(name, value, LINKS_OUT);
}

/**
 * Resolves a path input against the workspace. Refused, naming the input, before anything remote happens: a path
 * that leaves the workspace (by `..`, an absolute path or a symbolic link), one that does not exist, one of the
 * wrong kind, and one the OS rejects (ENOTDIR, ENAMETOOLONG…). Relative paths resolve from `base` (default the
 * workspace). Returns the absolute path, symbolic links kept.
 */
export function resolveWorkspacePath(workspace: string, name: string, value: string, kind?: PathKind, base = workspace): string {
  const fail = (problem: string) => pathError(name, value, problem);
  const path = insideWorkspace(workspace, name, value, base);
  let real: string;
  let isDirectory: boolean;
  try {
    real = realpathSync(path);
    isDirectory = statSync(real).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw fail(OS_REASONS[code] ?? `cannot be read (${code || (error as Error).message})`);
  }
  if (outside(realpathSync(workspace), real)) throw fail(LINKS_OUT);
  if (kind === "file" && isDirectory) throw fail("is a folder; expected a file");
  if (kind === "directory" && !isDirectory) throw fail("is a file; expected a folder");
  return path;
}

/** A {@link PathResolver} bound to one workspace. */
export function workspacePaths(workspace: string): PathResolver {
  return (name, value, kind) => resolveWorkspacePath(workspace, name, value, kind);
}
