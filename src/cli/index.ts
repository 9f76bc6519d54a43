#!/usr/bin/env node
import { Command } from "commander";
import { registerApproval } from "../approval/cli.js";
import { registerCompliance } from "../compliance/cli.js";
import { registerEcs } from "../ecs/cli.js";
import { registerGate } from "../gate/cli.js";
import { LAUNCHPAD_VERSION } from "../lib/version.js";
import { registerPlan } from "../plan/cli.js";
import { registerReleaseNotes } from "../release-notes/cli.js";
import { registerSeed } from "../seed/cli.js";
import { registerVercel } from "../vercel/cli.js";
import { registerVerify } from "../verify/cli.js";
import { registerPreflight } from "./preflight.js";
import { configureProgram, runProgram } from "./program.js";

const program = configureProgram(new Command("launchpad"))
  .description("Launchpad: the cores of the Launchpad GitHub Actions, from the command line")
  .version(LAUNCHPAD_VERSION)
  .option("--verbose", "print debug output, including stack traces of internal errors");

registerVerify(program);
registerVercel(program);
registerEcs(program);
registerGate(program);
registerSeed(program);
registerCompliance(program);
registerReleaseNotes(program);
registerApproval(program);
registerPreflight(program);
registerPlan(program);

await runProgram(program);
