import { data, type Expr } from "@actions/expressions";
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Unary } from "@actions/expressions/ast";
import { parseExpression } from "../plan/expression.js";

/** The contexts a local run fills from the secrets file or the environment. */
export const LOCAL_CONTEXTS = ["secrets", "vars"] as const;
export type LocalContextName = (typeof LOCAL_CONTEXTS)[number];

export interface ContextReference {
  context: LocalContextName;
  name: string;
}

/** Every `secrets.NAME` / `vars.NAME` (or `secrets['NAME']`) one expression reads, from its syntax tree. */
export function localReferences(expression: string): ContextReference[] {
  const found: ContextReference[] = [];
  const visit = (node: Expr): void => {
    if (node instanceof IndexAccess) {
      const context = node.expr instanceof ContextAccess ? node.expr.name.lexeme : undefined;
      if ((LOCAL_CONTEXTS as readonly string[]).includes(context ?? "") && node.index instanceof Literal) {
        const index = node.index.literal;
        if (index.kind === data.Kind.String) found.push({ context: context as LocalContextName, name: index.coerceString() });
      }
      visit(node.expr);
      visit(node.index);
    } else if (node instanceof Binary) {
      visit(node.left);
      visit(node.right);
    } else if (node instanceof Logical || node instanceof FunctionCall) {
      for (const arg of node.args) visit(arg);
    } else if (node instanceof Unary) visit(node.expr);
    else if (node instanceof Grouping) visit(node.group);
  };
  visit(parseExpression(expression));
  return found;
}
