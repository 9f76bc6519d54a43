import { ConfigurationError } from "../lib/errors.js";
import { inputLabel, quoteValue } from "../lib/inputs.js";

export const CHECK_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type CheckMethod = (typeof CHECK_METHODS)[number];

/** One line of the `checks` input: `METHOD /path STATUSES [max-ms=N] [contains=TEXT]`. */
export interface CheckSpec {
  /** The line of the input it came from, 1-based, for error messages. */
  line: number;
  text: string;
  method: CheckMethod;
  path: string;
  /** Accepted statuses: exact codes, or classes like `2xx`. */
  statuses: string[];
  maxMs?: number;
  /** The response body must contain this text. */
  contains?: string;
}

const STATUS = /^([1-5]\d\d|[1-5]xx)$/;
const SYNTAX = "METHOD /path STATUSES [max-ms=N] [contains=TEXT], e.g. `GET /health 200` or `POST /api/templates 200,401 max-ms=800`";

export function statusMatches(accepted: readonly string[], status: number): boolean {
  return accepted.some((pattern) => (pattern.endsWith("xx") ? String(status)[0] === pattern[0] : Number(pattern) === status));
}

export function parseChecks(lines: ReadonlyArray<{ line: number; text: string }>, inputName: string): CheckSpec[] {
  if (lines.length === 0) throw new ConfigurationError(`${inputLabel(inputName)} has no checks; write one per line as ${SYNTAX}.`);
  return lines.map(({ line, text }) => parseCheckLine(text, line, inputName));
}

function parseCheckLine(text: string, line: number, inputName: string): CheckSpec {
  const fail = (problem: string) =>
    new ConfigurationError(`${inputLabel(inputName)} line ${line} (${quoteValue(text)}): ${problem}; expected ${SYNTAX}.`);
  const [method, path, statusList, ...options] = text.split(/\s+/);
  if (!(CHECK_METHODS as readonly string[]).includes(method?.toUpperCase() ?? "")) {
    throw fail(`unknown method ${quoteValue(method)} (allowed: ${CHECK_METHODS.join(", ")})`);
  }
  if (!path?.startsWith("/")) throw fail("the path must start with /");
  const statuses = (statusList ?? "").split(",").filter(Boolean);
  if (statuses.length === 0 || !statuses.every((status) => STATUS.test(status)))
    throw fail(`bad status list ${quoteValue(statusList ?? "")}`);
  const spec: CheckSpec = { line, text, method: method.toUpperCase() as CheckMethod, path, statuses };
  for (const option of options) {
    const [key, ...rest] = option.split("=");
    const value = rest.join("=");
    if (key === "max-ms" && /^\d+$/.test(value)) spec.maxMs = Number(value);
    else if (key === "contains" && value) spec.contains = value;
    else throw fail(`unknown option ${quoteValue(option)} (allowed: max-ms=N, contains=TEXT)`);
  }
  return spec;
}
