import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import { runGate } from "./gate.js";
import { readGateSettings } from "./settings.js";

/** The example's build-test job: lint, test and build the web app, then judge it with the api's pytest reports. */
const EXAMPLE_INPUTS = {
  commands: [
    "lint: cd apps/web && tsc -p .",
    "test: cd apps/web && vitest run --reporter=junit --outputFile.junit=reports/junit.xml --coverage",
    "build: cd apps/web && esbuild src/index.ts --bundle --minify --format=esm --outfile=dist/assets/main.js",
  ].join("\n"),
  junit: "apps/web/reports/junit.xml\nservices/api/reports/pytest.xml",
  coverage: "apps/web/coverage/coverage-summary.json\nservices/api/reports/coverage.xml",
  bundle: "apps/web/dist/assets/*.js",
  "bundle-budget": "250KB",
  audit: "none",
};

export const gatePreflight: PreflightStep = {
  name: "gate",
  async run({ root, logger, secrets, signal, env: callerEnv }) {
    const settings = readGateSettings(new Inputs(mapInputSource(EXAMPLE_INPUTS)), { workspace: root });
    // No token: locally the verdict goes to the report only, never to a check run.
    const result = await runGate(settings, {
      logger,
      signal,
      env: callerEnv,
      reportDir: join(root, ".launchpad"),
      redact: (text) => secrets.redact(text),
    });
    return { ok: result.passed, headline: result.headline, markdown: result.summary };
  },
};
