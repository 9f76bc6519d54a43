import { describe, expect, it } from "vitest";
import { formatSourcePlace, parseYamlSource } from "../../src/lib/yaml-source.js";

describe("YAML sources with places", () => {
  it("places nodes by line and column", () => {
    const source = parseYamlSource("table: plans\nrows:\n  - code: free\n    price: 0\n", "seed/plans.yaml");
    const node = source.document.getIn(["rows", 0, "price"], true) as { range: [number, number, number] };
    expect(formatSourcePlace(source.placeAt(node.range[0]))).toBe("seed/plans.yaml:4:12");
    expect(source.errors).toEqual([]);
  });

  it("reports a parse error at its place with a one-line message", () => {
    const source = parseYamlSource("rows:\n  - code: free\n   bad: [\n", "seed/bad.yaml");
    expect(source.errors.length).toBeGreaterThan(0);
    expect(source.errors[0].file).toBe("seed/bad.yaml");
    expect(source.errors[0].line).toBeGreaterThanOrEqual(3);
    expect(source.errors[0].message).not.toContain("\n");
    expect(source.errors[0].message).not.toMatch(/at line \d+/);
  });
});
