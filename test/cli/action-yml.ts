import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../harness/run-bundle.js";

export interface Definition {
  description?: string;
  required?: boolean;
  default?: string;
}

/** The action's inputs as its action.yml says, read with a YAML parser (not the generated module under test). */
export function actionYml(action: string): Record<string, Definition> {
  return parse(readFileSync(join(REPO_ROOT, "actions", action, "action.yml"), "utf8")).inputs;
}
