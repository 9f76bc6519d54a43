import { data, Evaluator, type Expr, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";

/** The contexts a job-level `if:` or `environment:` may read, as plain JSON. */
export type ExpressionContext = Record<string, unknown>;

/** What the status functions answer for one job: the plan assumes every job that runs succeeds. */
export interface JobStatus {
  /** Every job in `needs` succeeded (a skipped one is not a success). */
  needsSucceeded: boolean;
}

const CONTEXT_NAMES = ["github", "inputs", "vars", "needs", "env", "secrets", "matrix", "strategy", "steps", "job", "jobs", "runner"];

function statusFunctions(status: JobStatus): Map<string, FunctionDefinition> {
  const fixed = (name: string, value: boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value),
  });
  return new Map(
    [
      fixed("success", status.needsSucceeded),
      fixed("always", true),
      // Planned runs never fail or get cancelled: a job guarded by failure() is what happens when something breaks.
      fixed("failure", false),
      fixed("cancelled", false),
    ].map((definition) => [definition.name, definition]),
  );
}

/** Plain JSON into the evaluator's data model. */
export function toExpressionData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === "string") return new data.StringData(value);
  if (typeof value === "number") return new data.NumberData(value);
  if (typeof value === "boolean") return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toExpressionData));
  const dictionary = new data.Dictionary();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) dictionary.add(key, toExpressionData(item));
  return dictionary;
}

/** Evaluates one expression (without `${{ }}`) with GitHub's own lexer, parser and evaluator. */
export function evaluate(
  expression: string,
  context: ExpressionContext,
  status: JobStatus = { needsSucceeded: true },
): data.ExpressionData {
  const functions = statusFunctions(status);
  return new Evaluator(parseExpression(expression, functions), toExpressionData(context) as data.Dictionary, functions).evaluate();
}

/** One expression's syntax tree, by GitHub's own lexer and parser. */
export function parseExpression(expression: string, functions = statusFunctions({ needsSucceeded: true })): Expr {
  const tokens = new Lexer(expression).lex().tokens;
  return new Parser(tokens, CONTEXT_NAMES, [...functions.values()]).parse();
}

export function isTruthy(value: data.ExpressionData): boolean {
  return truthy(value);
}

/** The string an expression result becomes in a workflow field (null becomes empty). */
export function asString(value: data.ExpressionData): string {
  return value.kind === data.Kind.Null ? "" : value.coerceString();
}
