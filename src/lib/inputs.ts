import { formatDuration, parseDuration } from "./duration.js";
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

/** The most of a bad value an error message echoes: a 120 KB input must not come back as a 120 KB `::error::` line. */
export const SHOWN_VALUE_CHARS = 100;

/** A value quoted for an error message, cut to about {@link SHOWN_VALUE_CHARS} characters with its full length noted. */
export function quoteValue(value: string): string {
  if (value.length <= SHOWN_VALUE_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, SHOWN_VALUE_CHARS - 20))}… (${value.length} characters)`;
}

/** How messages name an input; the CLI shows the same words with the flag as typed (see src/cli/program.ts). */
export function inputLabel(name: string): string {
  return `Input '${name}'`;
}

function invalid(name: string, value: string, allowed: string): ConfigurationError {
  return new ConfigurationError(`${inputLabel(name)} got ${quoteValue(value)}; expected ${allowed}.`);
}

export interface NumberRange {
  min?: number;
  max?: number;
}

/** Bounds of a duration input, as durations (`1s`) or milliseconds. */
export interface DurationRange {
  min?: string | number;
  max?: string | number;
}

/** Just under the longest delay a Node timer (and so `AbortSignal.timeout`) holds, 2^31-1 ms. */
export const MAX_TIMER_DURATION = "596h";

function durationBound(bound: string | number): { ms: number; shown: string } {
  const ms = typeof bound === "number" ? bound : parseDuration(bound);
  if (ms === undefined) throw new Error(`bad duration bound ${bound}`);
  return { ms, shown: typeof bound === "string" ? bound : formatDuration(bound) };
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
    if (!value) throw new ConfigurationError(`${inputLabel(name)} is required but was empty.`);
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

  integer(name: string, fallback: number, range: NumberRange = {}): number {
    const value = this.raw(name);
    if (!value) return fallback;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw invalid(name, value, `a whole number from ${min} to ${max}`);
    }
    return parsed;
  }

  number(name: string, fallback: number, range: NumberRange = {}): number {
    const value = this.raw(name);
    if (!value) return fallback;
    const { min = -Infinity, max = Infinity } = range;
    const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isNaN(parsed) || parsed < min || parsed > max) {
      throw invalid(name, value, `a number from ${min} to ${max}`);
    }
    return parsed;
  }

  /**
   * Milliseconds, from `500ms`, `90s`, `15m`, `1h`, within `range` (by default 0 to the longest timer Node holds,
   * so no value reaches `setTimeout` or `AbortSignal.timeout` out of their range).
   */
  duration(name: string, fallback: string, range: DurationRange = {}): number {
    const value = this.raw(name) || fallback;
    const parsed = parseDuration(value);
    if (parsed === undefined) throw invalid(name, value, "a duration such as 500ms, 90s, 15m or 1h");
    const min = durationBound(range.min ?? "0s");
    const max = durationBound(range.max ?? MAX_TIMER_DURATION);
    if (parsed < min.ms || parsed > max.ms) throw invalid(name, value, `a duration from ${min.shown} to ${max.shown}`);
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
