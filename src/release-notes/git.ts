import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ConfigurationError } from "../lib/errors.js";
import { inputLabel } from "../lib/inputs.js";
import { INPUTS } from "./settings.js";

const run = promisify(execFile);

/** `spawn git ENOENT`, said as the input that needs git. */
function gitMissing(): ConfigurationError {
  return new ConfigurationError(
    `${inputLabel(INPUTS.source)} is git, but git is not installed or not on PATH; it is needed to read the history (or use source: api).`,
  );
}

/** One way to run git in a repository, so the sources and the preflight share the same error handling. */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly signal?: AbortSignal,
  ) {}

  async output(args: string[]): Promise<string> {
    try {
      const { stdout } = await run("git", ["-c", "core.quotePath=false", ...args], {
        cwd: this.cwd,
        maxBuffer: 512 * 1024 * 1024,
        signal: this.signal,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      });
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; code?: unknown; message: string };
      if (failure.code === "ENOENT") throw gitMissing();
      const detail = (failure.stderr ?? "").trim().split("\n")[0] || failure.message.split("\n")[0];
      throw new Error(`git ${args[0]} failed: ${detail}`);
    }
  }

  /** True when git exits 0, false when it exits 1 (the answer "no" of --is-ancestor, --verify --quiet). */
  async succeeds(args: string[]): Promise<boolean> {
    try {
      await run("git", args, { cwd: this.cwd, signal: this.signal, env: { ...process.env, LC_ALL: "C" } });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 1) return false;
      throw error;
    }
  }

  async isRepository(): Promise<boolean> {
    try {
      return (await this.output(["rev-parse", "--is-inside-work-tree"])).trim() === "true";
    } catch (error) {
      // No git at all is not "not a repository".
      if (error instanceof ConfigurationError) throw error;
      return false;
    }
  }

  /** The path of the working directory inside the repository, with a trailing slash ('' at the top). */
  async prefix(): Promise<string> {
    return (await this.output(["rev-parse", "--show-prefix"])).trim();
  }

  /** The commit a tag (annotated or not) or any revision names, or undefined when it names none. */
  async commitOf(revision: string): Promise<string | undefined> {
    try {
      return (await this.output(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async isTag(name: string): Promise<boolean> {
    return this.succeeds(["show-ref", "--verify", "--quiet", `refs/tags/${name}`]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.succeeds(["merge-base", "--is-ancestor", ancestor, descendant]);
  }

  /** Tags whose commit is an ancestor of (or is) `revision`. */
  async tagsMerged(revision: string): Promise<Array<{ name: string; sha: string }>> {
    const text = await this.output(["tag", "--merged", revision, "--format=%(refname:strip=2)%00%(*objectname)%00%(objectname)"]);
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [name, peeled, object] = line.split("\0");
        return { name, sha: peeled || object };
      });
  }
}
