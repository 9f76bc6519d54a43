import { describe, expect, it } from "vitest";
import { INPUTS, OUTPUTS } from "../../src/vercel/settings.js";
import { readActionMetadata } from "../harness/run-bundle.js";

describe("vercel-deploy metadata", () => {
  it("declares exactly the inputs the settings read and the outputs the entry writes", () => {
    const metadata = readActionMetadata("vercel-deploy");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(OUTPUTS).sort());
    expect(metadata.inputs?.token.required).toBe(true);
    expect(metadata.inputs?.timeout.default).toBe("15m");
  });
});
