import { describe, expect, it } from "vitest";
import { INPUTS, OUTPUTS } from "../../src/approval/settings.js";
import { readActionMetadata } from "../harness/run-bundle.js";

describe("approval action metadata", () => {
  it("declares exactly the inputs and outputs the entry reads and writes", () => {
    const metadata = readActionMetadata("approval");
    expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(OUTPUTS).sort());
    expect(metadata.inputs?.[INPUTS.approvers].required).toBe(true);
  });
});
