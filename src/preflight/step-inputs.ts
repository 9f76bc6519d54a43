import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { isMapping, isSequence, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (pair.key.toString() === key) return pair.value;
  return undefined;
}

/**
 * Each step's `with:` mapping of one job, by step index, as GitHub's parser read it (literals and `${{ }}` already
 * split into expressions). The converted job drops `with:`, so it is read from the same parse here.
 */
export function stepWithMappings(workflowPath: string, jobId: string): Array<MappingToken | undefined> {
  const parsed = parseWorkflow({ name: basename(workflowPath), content: readFileSync(workflowPath, "utf8") }, new NoOperationTraceWriter());
  const steps = child(child(child(parsed.value, "jobs"), jobId), "steps");
  if (!steps || !isSequence(steps)) return [];
  return [...steps].map((step) => {
    const inputs = child(step, "with");
    return inputs && isMapping(inputs) ? inputs : undefined;
  });
}
