import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson as referenceCanonicalJson } from "../../src/lib/audit-record.js";
import { canonicalJson, digestInSlices, manifestDigest } from "../../src/seed/snapshot.js";
import type { Manifest, ManifestRow } from "../../src/seed/types.js";

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

describe("the manifest digest, worked out a slice of rows at a time", () => {
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const manifest = (rows: ManifestRow[], version?: string): Manifest => ({
    file: "seed/t.yaml",
    table: "t",
    key: ["id"],
    rows,
    version,
    prune: true,
    references: {},
    locate: () => ({ file: "seed/t.yaml", line: 1, col: 1 }),
  });
  // Past one slice (2,000 rows), with keys in another order in every other row and a nested object that also sorts.
  const rows = Array.from({ length: 4_501 }, (_, id) =>
    id % 2 ? { id, name: `n${id}`, meta: { z: id, a: [id, { y: 1, b: 2 }] } } : { meta: { a: [], z: null }, name: `é"${id}\\`, id },
  );

  it.each([
    ["no rows", [], undefined],
    ["one row", rows.slice(0, 1), "3"],
    ["several slices", rows, undefined],
  ])("equals the digest of the whole manifest's canonical JSON: %s", async (_name, slice, version) => {
    const { table, key, prune } = manifest([]);
    const expected = sha256(canonicalJson({ table, key, rows: slice, version, prune }));
    expect(manifestDigest(manifest(slice as ManifestRow[], version))).toBe(expected);
    const sliced = manifest(slice as ManifestRow[], version);
    expect(await digestInSlices([sliced])).toEqual([expected]);
    expect(manifestDigest(sliced)).toBe(expected);
  });
});
