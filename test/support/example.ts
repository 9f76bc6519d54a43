import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../harness/run-bundle.js";

const copies: string[] = [];

/** A private copy of the example consumer repo (without its .launchpad state), so a test can edit or run in it. */
export function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), "launchpad-example-"));
  copies.push(dir);
  cpSync(join(REPO_ROOT, "examples/blockbuilders"), dir, {
    recursive: true,
    filter: (source) => !source.includes(`${join("blockbuilders", ".launchpad")}`),
  });
  return dir;
}

/** For afterAll: each copy can hold a PGlite data dir of tens of megabytes. */
export function removeExampleCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}
