import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { runGate } from "./gate.js";
import { readGateSettings } from "./settings.js";

/** The step's own commands and reports, judged locally. No token: the verdict goes to the report, never to a check run. */
export const gatePreflight: PreflightStep = {
  action: "gate",
  async run({ root, with: inputs, logger, secrets, signal, env, reportDir }) {
    const settings = readGateSettings(new Inputs(mapInputSource(inputs)), { workspace: root });
    const result = await runGate(settings, { logger, signal, env, reportDir, redact: (text) => secrets.redact(text) });
    return { ok: result.passed, headline: result.headline, markdown: result.summary };
  },
};
