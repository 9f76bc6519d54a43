import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { REPO_ROOT } from "../harness/run-bundle.js";

export const FIXTURES = resolve(import.meta.dirname, "../fixtures/gate");
export const EXAMPLE = join(REPO_ROOT, "examples/blockbuilders");
const GENERATED = new Set(["reports", "coverage", "dist", "node_modules", ".launchpad"]);

/**
 * A throwaway copy of the example repo (apps/web and services/api) so runs never write into the source tree.
 * No node_modules: the tools come from PATH, as in `launchpad preflight` on a copy of the example.
 */
export function exampleWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-gate-ws-"));
  for (const part of ["apps/web", "services/api"]) {
    cpSync(join(EXAMPLE, part), join(root, part), {
      recursive: true,
      filter: (source) => !(GENERATED.has(basename(source)) && dirname(source) === join(EXAMPLE, "apps/web")),
    });
  }
  return root;
}

/** PATH with the repo's tools first (vitest, tsc, esbuild) and, optionally, a directory of fake commands before them. */
export function pathWith(...dirs: string[]): string {
  return [...dirs, join(REPO_ROOT, "node_modules/.bin"), process.env.PATH ?? ""].join(":");
}

/** A directory holding one executable shell script per name: fake `npm`/`pnpm` that print fixture JSON. */
export function fakeCommands(scripts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "launchpad-gate-bin-"));
  for (const [name, body] of Object.entries(scripts)) writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

/** A JUnit report with `failures` failing vitest-style tests across files that exist in the workspace. */
export function writeManyFailures(root: string, failures: number): string {
  const dir = join(root, "many");
  mkdirSync(join(dir, "test"), { recursive: true });
  const cases: string[] = [];
  for (let index = 0; index < failures; index++) {
    const file = `test/case-${index % 7}.test.ts`;
    cases.push(
      `<testcase classname="${file}" name="case ${index}"><failure message="expected ${index} to be ${index + 1}" type="AssertionError">AssertionError\n ❯ ${file}:${index + 1}:9</failure></testcase>`,
    );
  }
  for (let file = 0; file < 7; file++) writeFileSync(join(dir, `test/case-${file}.test.ts`), "// generated\n".repeat(200));
  writeFileSync(
    join(dir, "junit.xml"),
    `<?xml version="1.0"?>\n<testsuites><testsuite name="many">\n${cases.join("\n")}\n<testcase classname="test/case-0.test.ts" name="passes"/></testsuite></testsuites>\n`,
  );
  return dir;
}
