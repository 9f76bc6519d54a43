import { describe, expect, it } from "vitest";
import { formatDuration } from "../../src/lib/duration.js";
import { envInputSource, Inputs, mapInputSource, quoteValue, runnerInputName } from "../../src/lib/inputs.js";

const inputs = (values: Record<string, string>) => new Inputs(mapInputSource(values));

describe("typed input readers", () => {
  it("follows the runner's INPUT_ naming: upper-cased, spaces to underscores, hyphens kept", () => {
    expect(runnerInputName("database-url")).toBe("INPUT_DATABASE-URL");
    expect(runnerInputName("my input")).toBe("INPUT_MY_INPUT");
    expect(new Inputs(envInputSource({ "INPUT_LOCK-TIMEOUT": " 30s " })).raw("lock-timeout")).toBe("30s");
  });

  it("names the input when a required one is empty", () => {
    expect(() => inputs({ url: "  " }).required("url")).toThrow("Input 'url' is required but was empty.");
  });

  it("reads booleans in the YAML 1.2 core spellings and rejects anything else", () => {
    expect(inputs({ a: "True", b: "false" }).boolean("a", false)).toBe(true);
    expect(inputs({ b: "false" }).boolean("b", true)).toBe(false);
    expect(inputs({}).boolean("c", true)).toBe(true);
    expect(() => inputs({ d: "maybe" }).boolean("d", true)).toThrow(`Input 'd' got "maybe"; expected true or false.`);
  });

  it("reads whole numbers within a range", () => {
    expect(inputs({ n: "3" }).integer("n", 1, { min: 1, max: 5 })).toBe(3);
    expect(() => inputs({ n: "7" }).integer("n", 1, { min: 1, max: 5 })).toThrow(`Input 'n' got "7"; expected a whole number from 1 to 5.`);
    expect(() => inputs({ n: "2.5" }).integer("n", 1)).toThrow(/expected a whole number/);
  });

  it("reads durations in ms, s, m and h, and combinations", () => {
    const reader = inputs({ a: "90s", b: "15m", c: "1h", d: "250ms", e: "1m30s" });
    expect(["a", "b", "c", "d", "e"].map((name) => reader.duration(name, "1s"))).toEqual([90_000, 900_000, 3_600_000, 250, 90_000]);
    expect(reader.duration("missing", "10s")).toBe(10_000);
    expect(() => inputs({ t: "10 minutes" }).duration("t", "1s")).toThrow(
      `Input 't' got "10 minutes"; expected a duration such as 500ms, 90s, 15m or 1h.`,
    );
  });

  it("splits lists on newlines and commas, and keeps line numbers for multiline inputs", () => {
    expect(inputs({ l: "a, b\n\nc" }).list("l")).toEqual(["a", "b", "c"]);
    expect(inputs({ l: "# comment\nGET /a 200\n\nGET /b 200" }).lines("l")).toEqual([
      { line: 2, text: "GET /a 200" },
      { line: 4, text: "GET /b 200" },
    ]);
  });

  it("reads KEY=value lines, keeping = inside values", () => {
    const pairs = inputs({ env: "A=1\nB=x=y" }).keyValues("env");
    expect(Object.fromEntries(pairs)).toEqual({ A: "1", B: "x=y" });
    expect(() => inputs({ env: "=oops" }).keyValues("env")).toThrow(`Input 'env' got "=oops"; expected lines of KEY=value.`);
  });

  it("accepts only the listed choices and says which they are", () => {
    const reader = inputs({ target: "qa" });
    expect(() => reader.choice("target", ["preview", "production"], "preview")).toThrow(
      `Input 'target' got "qa"; expected one of preview, production.`,
    );
    expect(inputs({}).choice("target", ["preview", "production"], "preview")).toBe("preview");
  });
});

describe("ranges and echoed values", () => {
  it("keeps duration readers without a range working, bounded by the longest timer Node holds", () => {
    expect(inputs({ t: "0s" }).duration("t", "1s")).toBe(0);
    expect(inputs({ t: "596h" }).duration("t", "1s")).toBe(596 * 3_600_000);
    expect(() => inputs({ t: "999999h" }).duration("t", "1s")).toThrow(`Input 't' got "999999h"; expected a duration from 0s to 596h.`);
  });

  it("refuses a duration outside its declared range, naming the range as written", () => {
    const reader = inputs({ fast: "10ms", slow: "2h", ok: "1m30s" });
    const range = { min: "50ms", max: "5m" };
    expect(reader.duration("ok", "15s", range)).toBe(90_000);
    expect(() => reader.duration("fast", "15s", range)).toThrow(`Input 'fast' got "10ms"; expected a duration from 50ms to 5m.`);
    expect(() => reader.duration("slow", "15s", range)).toThrow(`Input 'slow' got "2h"; expected a duration from 50ms to 5m.`);
  });

  it("echoes at most about 100 characters of a bad value, with its length", () => {
    const huge = "x".repeat(120_000);
    let message = "";
    try {
      inputs({ n: huge }).integer("n", 1);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      `Input 'n' got "${"x".repeat(80)}"… (120000 characters); expected a whole number from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}.`,
    );
    expect(quoteValue("y".repeat(100))).toBe(JSON.stringify("y".repeat(100)));
  });
});

describe("formatDuration", () => {
  it("floors every unit, so nothing reads 1m60s or 60.0s", () => {
    expect(formatDuration(119_600)).toBe("1m59s");
    expect(formatDuration(59_960)).toBe("59.9s");
    expect(formatDuration(999.7)).toBe("999ms");
    expect(formatDuration(3_000)).toBe("3.0s");
    expect(formatDuration(3_599_999)).toBe("59m59s");
    expect(formatDuration(7_380_000)).toBe("2h3m");
  });
});
