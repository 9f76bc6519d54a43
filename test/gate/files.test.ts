import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findReports, matchFiles, repoPath } from "../../src/gate/files.js";

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "launchpad-gate-files-"));
  for (const file of [
    "apps/web/dist/assets/main.js",
    "apps/web/dist/assets/vendor.js",
    "apps/web/dist/assets/main.js.map",
    "apps/admin/dist/assets/main.js",
  ]) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), "x");
  }
  mkdirSync(join(root, "apps/web/dist/assets/chunk.js"));
  symlinkSync(join(root, "apps/web/dist/assets/main.js"), join(root, "apps/web/dist/linked.js"));
  return root;
}

describe("matching report and asset files", () => {
  it("matches files only, follows file symlinks and applies ! exclusions, relative to the working directory", async () => {
    const root = tree();
    const files = await matchFiles(["apps/*/dist/**/*.js", "!**/vendor.js", "!apps/admin/**"], root);
    expect(files.map((file) => repoPath(file, root))).toEqual(["apps/web/dist/assets/main.js", "apps/web/dist/linked.js"]);
  });

  it("names the input when a required glob matches nothing, and tolerates it after a failed command", async () => {
    const root = tree();
    await expect(findReports("junit", ["reports/*.xml"], { cwd: root, workspace: root }, false)).rejects.toThrow(
      `Input 'junit' matched no file: reports/*.xml (relative to ${root}).`,
    );
    await expect(findReports("junit", ["reports/*.xml"], { cwd: root, workspace: root }, true)).resolves.toBeUndefined();
    await expect(findReports("junit", [], { cwd: root, workspace: root }, false)).resolves.toBeUndefined();
  });
});
