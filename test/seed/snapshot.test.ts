import { describe, expect, it } from "vitest";
import { canonicalJson as referenceCanonicalJson } from "../../src/lib/audit-record.js";
import { canonicalJson } from "../../src/seed/snapshot.js";

describe("the manifest digest's canonical JSON", () => {
  it("writes exactly what the plain recursive definition writes, keys sorted at every depth", () => {
    const value = {
      table: "t",
      version: undefined,
      rows: [
        { z: 1, a: { y: [1, { b: 2, a: 1 }], x: null }, m: 'é"\\n', n: -0, big: 1e21, list: [{}, [], "s"] },
        { a: true, z: { a: { c: 3, b: [null, 1.5] } }, Z: "upper before lower", "1": "numeric-looking key", _: "" },
      ],
      key: ["a"],
      prune: false,
    };
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});
