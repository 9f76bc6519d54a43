import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { isBasicExpression } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { ConfigurationError } from "../lib/errors.js";
import type { Secrets } from "../lib/secrets.js";
import { asString, type ExpressionContext, evaluate, isTruthy, type JobStatus } from "../plan/expression.js";
import { tokenValue } from "../plan/planner.js";
import { type LocalContextName, localReferences } from "./references.js";

/** `--secrets-file .env`: KEY=value lines, parsed by Node's own dotenv reader; every value is masked. */
export function readSecretsFile(path: string, flag: string, secrets: Secrets): Record<string, string> {
  if (!existsSync(path)) throw new ConfigurationError(`${flag} ${path}: no such file.`);
  const values = parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  for (const value of Object.values(values)) secrets.add(value);
  return values;
}

/**
 * Evaluates workflow values as a local run sees them: `secrets.*` and `vars.*` from the secrets file, else the
 * environment. A name found in neither evaluates to empty, as on GitHub, and is remembered so the report lists it.
 */
export class LocalContext {
  /** `secrets.NAME` / `vars.NAME` read but not set, in the order first read. */
  readonly missing = new Set<string>();
  private pending: string[] = [];

  constructor(
    private readonly file: Record<string, string>,
    private readonly env: NodeJS.ProcessEnv,
    private readonly secrets: Secrets,
  ) {}

  /** A `with:`/`env:` value as the string the step receives. */
  value(token: TemplateToken, base: ExpressionContext, status?: JobStatus): string {
    if (!isBasicExpression(token)) return String(tokenValue(token, base) ?? "");
    return asString(evaluate(token.expression, this.contexts(token.expression, base), status));
  }

  /** One expression (without `${{ }}`) as a string. */
  expression(expression: string, base: ExpressionContext): string {
    return asString(evaluate(expression, this.contexts(expression, base)));
  }

  /** An `if:`. */
  condition(expression: string, base: ExpressionContext, status: JobStatus): boolean {
    return isTruthy(evaluate(expression, this.contexts(expression, base), status));
  }

  /** The missing names read since the last call: what one step's row lists. */
  takeMissing(): string[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  private contexts(expression: string, base: ExpressionContext): ExpressionContext {
    const filled: Record<LocalContextName, Record<string, string>> = { secrets: {}, vars: {} };
    for (const { context, name } of localReferences(expression)) {
      const value = this.file[name] ?? this.env[name];
      if (value === undefined || value === "") {
        this.missing.add(`${context}.${name}`);
        if (!this.pending.includes(`${context}.${name}`)) this.pending.push(`${context}.${name}`);
        continue;
      }
      if (context === "secrets") this.secrets.add(value);
      filled[context][name] = value;
    }
    return { ...base, secrets: filled.secrets, vars: { ...(base.vars as object), ...filled.vars } };
  }
}
