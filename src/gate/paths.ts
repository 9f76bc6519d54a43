import { isAbsolute, posix } from "node:path";
import { getExecOutput } from "@actions/exec";
import { repoPath } from "./files.js";

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/**
 * Turns the paths reports were written with into workspace-relative ones for annotations. A path from another
 * machine or OS (`C:\repo\src\Win.php`, `/home/runner/work/x/x/src/a.ts` on a laptop) is mapped to the tracked file
 * with the longest matching path suffix, or to nothing when none matches (or two match equally well).
 */
export class WorkspacePaths {
  private tracked?: Promise<Map<string, string[]>>;

  constructor(
    readonly workspace: string,
    private readonly listTracked: () => Promise<string[]> = () => gitLsFiles(workspace),
  ) {}

  /** Whether a path as written must be mapped rather than resolved: absolute (any OS) or written with backslashes. */
  static isForeign(path: string): boolean {
    return WINDOWS_DRIVE.test(path) || path.includes("\\") || path.startsWith("//");
  }

  /** A resolved absolute path → workspace-relative, or mapped by suffix when it lies outside the workspace. */
  async toRepo(absolute: string, asWritten = absolute): Promise<string | undefined> {
    const inside = repoPath(absolute, this.workspace);
    if (!isAbsolute(inside) && !inside.startsWith("..") && !WorkspacePaths.isForeign(asWritten)) return inside;
    return this.bySuffix(asWritten);
  }

  async bySuffix(path: string): Promise<string | undefined> {
    const segments = path.replace(/\\/g, "/").split("/").filter(Boolean);
    const name = segments.at(-1);
    if (!name) return undefined;
    if (!this.tracked) this.tracked = this.listTracked().then(byBaseName);
    const index = await this.tracked;
    let best: string | undefined;
    let bestLength = 0;
    let tie = false;
    for (const candidate of index.get(name) ?? []) {
      const length = commonSuffix(candidate.split("/"), segments);
      if (length > bestLength) [best, bestLength, tie] = [candidate, length, false];
      else if (length === bestLength) tie = true;
    }
    return tie ? undefined : best;
  }
}

function commonSuffix(a: readonly string[], b: readonly string[]): number {
  let length = 0;
  while (length < a.length && length < b.length && a[a.length - 1 - length] === b[b.length - 1 - length]) length++;
  return length;
}

function byBaseName(paths: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const path of paths) {
    const name = posix.basename(path);
    const list = index.get(name);
    if (list) list.push(path);
    else index.set(name, [path]);
  }
  return index;
}

/** Tracked files of the workspace's repository, relative to the workspace; none outside a repository or without git. */
export async function gitLsFiles(workspace: string): Promise<string[]> {
  try {
    // Run in the workspace, git lists paths relative to it.
    const { exitCode, stdout } = await getExecOutput("git", ["ls-files", "-z"], { cwd: workspace, silent: true, ignoreReturnCode: true });
    return exitCode === 0 ? stdout.split("\0").filter(Boolean) : [];
  } catch {
    return [];
  }
}
