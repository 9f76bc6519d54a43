import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConfigurationError } from "../lib/errors.js";
import type { ChangedFile, PullRequestFacts } from "./model.js";
import { addedLines } from "./patch.js";
import { LOCAL_FLAGS } from "./settings.js";

const exec = promisify(execFile);
const STATUS: Record<string, string> = { A: "added", M: "modified", D: "removed", R: "renamed", C: "copied", T: "changed" };

async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec("git", ["-c", "core.quotePath=false", ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    // `spawn git ENOENT`, said as the flag that needs git.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ConfigurationError(
        `--${LOCAL_FLAGS.base}: git is not installed or not on PATH; local mode diffs against the base with git.`,
      );
    }
    throw error;
  }
}

/**
 * What a PR from this working tree would change against `base`: tracked changes since the merge base (committed
 * or not) plus untracked files, paths relative to `root`. No API is used; reviews are left out.
 */
export async function localPullRequestFacts(root: string, base: string, body: string): Promise<PullRequestFacts> {
  const mergeBase = await resolveBase(root, base);
  const diffArgs = ["diff", "-M", "--no-color", "--no-ext-diff", "--relative", mergeBase];
  const [names, patches, untracked] = await Promise.all([
    git(root, [...diffArgs, "--name-status", "-z"]),
    git(root, [...diffArgs, "--unified=0"]),
    git(root, ["ls-files", "--others", "--exclude-standard", "-z"]),
  ]);
  const chunks = splitFiles(patches);
  const files = parseNameStatus(names).map((file, index): ChangedFile => {
    const chunk = chunks[index] ?? "";
    const binary = chunk.includes("\nBinary files ") || chunk.includes("\nGIT binary patch");
    return { ...file, addedLines: binary ? undefined : addedLines(chunk) };
  });
  for (const path of untracked.split("\0").filter(Boolean)) {
    const text = readFileSync(join(root, path), "utf8");
    files.push({ path, status: "added", addedLines: text.split("\n").map((line, index) => ({ line: index + 1, text: line })) });
  }
  return { body, headSha: "working-tree", author: "", files, labels: [] };
}

async function resolveBase(root: string, base: string): Promise<string> {
  try {
    await git(root, ["rev-parse", "--is-inside-work-tree"]);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`--base: ${root} is not inside a git repository, so there is nothing to diff against '${base}'.`);
  }
  try {
    return (await git(root, ["merge-base", base, "HEAD"])).trim();
  } catch {
    throw new ConfigurationError(`--base: '${base}' is not a commit or branch of this repository (try main, origin/main or a SHA).`);
  }
}

/** `git diff -z --name-status`: status, then one path (two for renames and copies), each NUL-terminated. */
function parseNameStatus(text: string): Array<Omit<ChangedFile, "addedLines">> {
  const parts = text.split("\0");
  const files: Array<Omit<ChangedFile, "addedLines">> = [];
  for (let at = 0; at < parts.length && parts[at]; ) {
    const letter = parts[at][0];
    if (letter === "R" || letter === "C") {
      files.push({ status: STATUS[letter], previousPath: parts[at + 1], path: parts[at + 2] });
      at += 3;
    } else {
      files.push({ status: STATUS[letter] ?? "modified", path: parts[at + 1] });
      at += 2;
    }
  }
  return files;
}

/** One chunk per file of a multi-file `git diff`, in the order `--name-status` lists them. */
function splitFiles(patch: string): string[] {
  return patch
    .split(/^diff --git /m)
    .slice(1)
    .map((chunk) => `diff --git ${chunk}`);
}
