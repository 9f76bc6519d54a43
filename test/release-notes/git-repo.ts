import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const made: string[] = [];

/** A real git repository in a temp dir, with helpers for GitHub's three merge styles. */
export class GitRepo {
  readonly dir: string;
  private clock = Date.parse("2026-03-01T10:00:00Z") / 1000;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "launchpad-release-notes-git-"));
    made.push(this.dir);
    this.git("init", "--quiet", "--initial-branch=main");
    this.git("config", "user.name", "Ada Lovelace");
    this.git("config", "user.email", "ada@example.com");
    this.git("config", "commit.gpgsign", "false");
  }

  git(...args: string[]): string {
    this.clock += 60;
    const date = `${this.clock} +0000`;
    return execFileSync("git", args, {
      cwd: this.dir,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: "1", HOME: this.dir },
    }).trim();
  }

  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }

  /** A commit on the current branch touching `path`; returns its SHA. */
  commit(message: string, options: { path?: string; author?: string } = {}): string {
    const path = options.path ?? `notes/${this.clock}.txt`;
    this.write(path, `${message}\n${this.clock}\n`);
    this.git("add", "-A");
    const author = options.author ? [`--author=${options.author} <${options.author.replace(/\W/g, "")}@example.com>`] : [];
    this.git("commit", "--quiet", "-m", message, ...author);
    return this.head();
  }

  head(): string {
    return this.git("rev-parse", "HEAD");
  }

  /** GitHub's "Create a merge commit": the branch's commits plus a --no-ff merge titled with the PR number. */
  mergePullRequest(number: number, title: string, commits: Array<{ message: string; path?: string; author?: string }>): string {
    const branch = `feature/${number}`;
    this.git("checkout", "--quiet", "-b", branch);
    for (const commit of commits) this.commit(commit.message, commit);
    this.git("checkout", "--quiet", "main");
    this.git("merge", "--quiet", "--no-ff", branch, "-m", `Merge pull request #${number} from blockbuilders/${branch}`, "-m", title);
    return this.head();
  }

  /** GitHub's "Squash and merge": one commit titled `title (#N)` whose body is the PR description. */
  squashPullRequest(number: number, title: string, options: { body?: string; path?: string; author?: string } = {}): string {
    const branch = `squash/${number}`;
    this.git("checkout", "--quiet", "-b", branch);
    this.commit(`wip ${number}`, { path: options.path });
    this.commit(`more wip ${number}`, { path: options.path ? `${options.path}.extra` : undefined });
    this.git("checkout", "--quiet", "main");
    this.git("merge", "--quiet", "--squash", branch);
    const author = options.author ? [`--author=${options.author} <${options.author.replace(/\W/g, "")}@example.com>`] : [];
    this.git("commit", "--quiet", "-m", `${title} (#${number})`, ...(options.body ? ["-m", options.body] : []), ...author);
    return this.head();
  }

  /** GitHub's "Rebase and merge": the branch's commits replayed onto main, no PR number anywhere. */
  rebasePullRequest(number: number, messages: string[]): string[] {
    const branch = `rebase/${number}`;
    const base = this.head();
    this.git("checkout", "--quiet", "-b", branch, `${base}~1`);
    for (const message of messages) this.commit(message);
    this.git("rebase", "--quiet", "main");
    this.git("checkout", "--quiet", "main");
    this.git("merge", "--quiet", "--ff-only", branch);
    return this.git("rev-list", `${base}..HEAD`).split("\n").reverse();
  }

  tag(name: string, options: { annotated?: boolean; at?: string } = {}): void {
    this.git("tag", ...(options.annotated ? ["-a", "-m", `Release ${name}`] : []), name, options.at ?? "HEAD");
  }
}

export function removeRepos(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
