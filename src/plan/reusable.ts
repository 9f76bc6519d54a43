import { isMap, parseDocument } from "yaml";

/** The suite's workflows a consumer may call; GitHub only calls reusable workflows from `.github/workflows/`. */
export const REUSABLE_WORKFLOWS = ["ci-cd.yml", "pr-checks.yml", "promote.yml", "seed-staging.yml"];

/**
 * The callable copy of `workflows/<file>`: the same jobs with only its `workflow_call` trigger, so that it runs when a
 * consumer calls it and never on the suite's own pushes, pull requests or dispatches.
 */
export function reusableCopy(file: string, source: string): string {
  const document = parseDocument(source);
  const on = document.get("on", true);
  if (!isMap(on) || !on.has("workflow_call")) throw new Error(`workflows/${file} has no workflow_call trigger to keep.`);
  for (const pair of [...on.items])
    if (String((pair.key as { value?: unknown })?.value ?? pair.key) !== "workflow_call") on.delete(pair.key);
  document.commentBefore = [
    ` Generated from workflows/${file} by scripts/reusable-workflows.ts: edit that file, then run the script.`,
    ` Call it: jobs: { <id>: { uses: blockbuilders/launchpad/.github/workflows/${file}@v1, secrets: inherit } }`,
  ].join("\n");
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}
