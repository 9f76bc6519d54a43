import { expect } from "vitest";
import type { StepResult } from "./run-bundle.js";

/** Each planted secret was registered with the runner as a mask, and appears nowhere a person or a later step can read. */
export function expectSecretsHidden(result: StepResult, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(result.masks).toContain(secret);
    expect(result.visible).not.toContain(secret);
  }
}
