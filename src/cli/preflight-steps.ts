import { verifyPreflight } from "../verify/preflight.js";
import type { PreflightStep } from "./preflight.js";

/** The steps `launchpad preflight` runs, in pipeline order. */
export const PREFLIGHT_STEPS: readonly PreflightStep[] = [verifyPreflight];
