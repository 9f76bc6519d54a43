import type { BenchScenario } from "./harness.js";
import { verifyScenario } from "./verify.bench.js";

/** Every scenario `npm run bench` runs; each issue adds its own. */
export const SCENARIOS: BenchScenario[] = [verifyScenario];
