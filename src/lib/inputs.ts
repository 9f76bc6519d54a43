import { parseDuration } from "./duration.js";
import { ConfigurationError } from "./errors.js";

/** Where raw input strings come from: the runner's INPUT_ variables, or CLI flags of the same names. */
export type InputSource = (name: string) => string | undefined;

/** The runner's convention: INPUT_ + name upper-cased, spaces to `_`, hyphens kept. */
export function runnerInputName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

export function envInputSource(env: NodeJS.ProcessEnv = process.env): InputSource {
  return (name) => env[runnerInputName(name)];
}

export function mapInputSource(values: Record<string, string | undefined>): InputSource {
  return (name) => values[name];
}

function invalid(name: string, value: string, allowed: string): ConfigurationError {
  return new ConfigurationError(`Input '${name}' got ${JSON.stringify(value)}; expected ${allowed}.`);
}

/** Typed readers over one source. Every bad value throws a ConfigurationError naming the input. */
export class Inputs {
  constructor(private readonly source: InputSource) {}

  /** The trimmed value, or '' when unset. */
  raw(name: string): string {
    return (this.source(name) ?? "").trim();
  }

  required(name: string): string {
    const value = this.raw(name);
    if (!value) throw new ConfigurationError(`Input '${name}' is required but was empty.`);
    return value;
  }

  optional(name: string, fallback = ""): string {
    return this.raw(name) || fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (!value) return fallback;
    if (/^(true|yes|on|1)$/i.test(value)) return true;
    if (/^(false|no|off|0)$/i.test(value)) return false;
    throw invalid(name, value, "true or false");
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.raw(name);
    if (!value) return fallback;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw invalid(name, value, `a whole number from ${min} to ${max}`);
    }
    return parsed;
  }

  number(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.raw(name);
    if (!value) return fallback;
    const { min = -Infinity, max = Infinity } = range;
    const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isNaN(parsed) || parsed < min || parsed > max) {
      throw invalid(name, value, `a number from ${min} to ${max}`);
    }
    return parsed;
  }

  /** Milliseconds, from `500ms`, `90s`, `15m`, `1h`. */
  duration(name: string, fallback: string): number {
    const value = this.raw(name) || fallback;
    const parsed = parseDuration(value);
    if (parsed === undefined) throw invalid(name, value, "a duration such as 500ms, 90s, 15m or 1h");
    return parsed;
  }

  /** Items separated by newlines or commas, trimmed, empties dropped. */
  list(name: string, separators: RegExp = /[\n,]/): string[] {
    return this.raw(name)
      .split(separators)
      .map((item) => item.trim())
      .filter(Boolean);
  }

  /** Non-empty, non-comment lines with their 1-based line numbers. */
  lines(name: string): Array<{ line: number; text: string }> {
    return (this.source(name) ?? "")
      .split(/\r?\n/)
      .map((text, index) => ({ line: index + 1, text: text.trim() }))
      .filter(({ text }) => text && !text.startsWith("#"));
  }

  /** `KEY=value` per line (or comma); the value may contain '='. */
  keyValues(name: string, separators: RegExp = /\n/): Map<string, string> {
    const pairs = new Map<string, string>();
    for (const item of this.list(name, separators)) {
      const at = item.indexOf("=");
      const key = at > 0 ? item.slice(0, at).trim() : "";
      if (!key) throw invalid(name, item, "lines of KEY=value");
      pairs.set(key, item.slice(at + 1).trim());
    }
    return pairs;
  }

  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name) || fallback;
    if (!(allowed as readonly string[]).includes(value)) throw invalid(name, value, `one of ${allowed.join(", ")}`);
    return value as T;
  }
}
