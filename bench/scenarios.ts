import { complianceScenario } from "./compliance.bench.js";
import { ecsScenario } from "./ecs.bench.js";
import { gateScenario } from "./gate.bench.js";
import type { BenchScenario } from "./harness.js";
import { releaseNotesScenario } from "./release-notes.bench.js";
import { seedScenario } from "./seed.bench.js";
import { vercelScenario } from "./vercel.bench.js";
import { verifyScenario } from "./verify.bench.js";

/** Every scenario `npm run bench` runs; each issue adds its own. */
export const SCENARIOS: BenchScenario[] = [
  gateScenario,
  vercelScenario,
  verifyScenario,
  ecsScenario,
  seedScenario,
  complianceScenario,
  releaseNotesScenario,
];
