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

/**
 * Resolves a path input against the workspace. Refused, naming the input, before anything remote happens: a path
 * that leaves the workspace (by `..`, an absolute path or a symbolic link), one that does not exist, one of the
 * wrong kind, and one the OS rejects (ENOTDIR, ENAMETOOLONG…). Returns the absolute path, symbolic links kept.
 */
export function resolveWorkspacePath(workspace: string, name: string, value: string, kind?: PathKind): string {
  const fail = (problem: string) => new ConfigurationError(`${inputLabel(name)} got ${quoteValue(value)}: the path ${problem}.`);
  const path = resolve(workspace, value);
  if (outside(resolve(workspace), path)) throw fail("leaves the workspace; give a path inside it, relative to the workspace");
  let real: string;
  let isDirectory: boolean;
  try {
    real = realpathSync(path);
    isDirectory = statSync(real).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw fail(OS_REASONS[code] ?? `cannot be read (${code || (error as Error).message})`);
  }
  if (outside(realpathSync(workspace), real)) throw fail("leads outside the workspace through a symbolic link");
  if (kind === "file" && isDirectory) throw fail("is a folder; expected a file");
  if (kind === "directory" && !isDirectory) throw fail("is a file; expected a folder");
  return path;
}

/** A {@link PathResolver} bound to one workspace. */
export function workspacePaths(workspace: string): PathResolver {
  return (name, value, kind) => resolveWorkspacePath(workspace, name, value, kind);
}
