import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadFast } from "../../src/seed/yaml-fast.js";

const SAMPLE = `table: things
key: id
version: 2026.1
rows:
  - { id: a, n: 12, f: 1.5, e: 1e3, hex: 0x1F, oct: 0o17, plus: +7, inf: .inf, ninf: -.Inf, nan: .NaN }
  - { id: b, t: true, T: True, F: FALSE, nul: null, tilde: ~, Nul: Null, empty: , q: "0x1F", s: '1e3' }
  - id: c
    nested: { list: [1, 01, 1.10, yes, no, on, 2024-01-02] }
    tagged: !!str 0x1F
    block: |
      keeps 0x1F as text
`;

describe("the fast YAML path", () => {
  it("reads the same data as the yaml package's core schema", () => {
    expect(loadFast(SAMPLE).data).toEqual(parse(SAMPLE));
  });

  it("lists every plain scalar read as a value whose text differs from its spelling, by path", () => {
    expect(loadFast(SAMPLE).spellings).toEqual([
      { path: ["rows", 0, "e"], source: "1e3", value: 1000 },
      { path: ["rows", 0, "hex"], source: "0x1F", value: 31 },
      { path: ["rows", 0, "oct"], source: "0o17", value: 15 },
      { path: ["rows", 0, "plus"], source: "+7", value: 7 },
      { path: ["rows", 0, "inf"], source: ".inf", value: Number.POSITIVE_INFINITY },
      { path: ["rows", 0, "ninf"], source: "-.Inf", value: Number.NEGATIVE_INFINITY },
      { path: ["rows", 0, "nan"], source: ".NaN", value: Number.NaN },
      { path: ["rows", 1, "T"], source: "True", value: true },
      { path: ["rows", 1, "F"], source: "FALSE", value: false },
      { path: ["rows", 1, "tilde"], source: "~", value: null },
      { path: ["rows", 1, "Nul"], source: "Null", value: null },
      { path: ["rows", 2, "nested", "list", 1], source: "01", value: 1 },
      { path: ["rows", 2, "nested", "list", 2], source: "1.10", value: 1.1 },
    ]);
  });

  it("throws on what it refuses, so the caller can ask the yaml document for the place", () => {
    expect(() => loadFast("a: 1\na: 2\n")).toThrow();
    expect(() => loadFast("a: [1, 2\n")).toThrow();
  });
});
