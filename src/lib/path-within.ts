import { isAbsolute, relative, sep } from "node:path";

/**
 * Whether absolute `path` lies outside `root`, compared as written (symbolic links are the resolver's business, see
 * workspace-path.ts): for a path that may not exist yet, or is checked against a folder other than the workspace.
 */
export function outside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
