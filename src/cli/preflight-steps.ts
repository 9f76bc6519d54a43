import { approvalPreflight } from "../approval/preflight.js";
import { compliancePreflight } from "../compliance/preflight.js";
import { ecsPreflight } from "../ecs/preflight.js";
import { gatePreflight } from "../gate/preflight.js";
import type { PreflightStep } from "../lib/preflight.js";
import { releaseNotesPreflight } from "../release-notes/preflight.js";
import { seedPreflight } from "../seed/preflight.js";
import { vercelPreflight } from "../vercel/preflight.js";
import { verifyPreflight } from "../verify/preflight.js";

/** The local mode of each Launchpad action, by its `actions/<name>`: adding an action's local mode is one entry. */
export const PREFLIGHT_STEPS: readonly PreflightStep[] = [
  compliancePreflight,
  gatePreflight,
  seedPreflight,
  ecsPreflight,
  vercelPreflight,
  verifyPreflight,
  approvalPreflight,
  releaseNotesPreflight,
];
