/** Writes .github/workflows/<file> for each reusable workflow in workflows/ (only its workflow_call trigger); --check fails when one is stale. */
import { readFileSync, writeFileSync } from "node:fs";
import { REUSABLE_WORKFLOWS, reusableCopy } from "../src/plan/reusable.js";

const check = process.argv.includes("--check");
const stale: string[] = [];
for (const file of REUSABLE_WORKFLOWS) {
  const wanted = reusableCopy(file, readFileSync(`workflows/${file}`, "utf8"));
  const path = `.github/workflows/${file}`;
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {}
  if (current === wanted) continue;
  if (check) stale.push(path);
  else writeFileSync(path, wanted);
}
if (stale.length) {
  console.error(`Stale reusable workflows (run \`npx tsx scripts/reusable-workflows.ts\`): ${stale.join(", ")}`);
  process.exit(1);
}
