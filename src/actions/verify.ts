import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { StepFailedError } from "../lib/errors.js";
import { runAction } from "../lib/run-action.js";
import { readVerifySettings, VERIFY_OUTPUTS } from "../verify/settings.js";
import { runVerify } from "../verify/verify.js";

await runAction(async (run) => {
  const settings = readVerifySettings(run.inputs, run.secrets);
  const result = await runVerify(settings, { logger: run.logger, signal: run.signal });
  const report = join(run.context.runnerTemp, "launchpad-verify-report.md");
  writeFileSync(report, run.secrets.redact(result.markdown));
  run.setOutput(VERIFY_OUTPUTS.passed, result.passed);
  run.setOutput(VERIFY_OUTPUTS.failed, result.failed);
  run.setOutput(VERIFY_OUTPUTS.report, report);
  await run.writeSummary(result.markdown);
  if (!result.passed) throw new StepFailedError(`verify: ${result.failed} check(s) failed against ${settings.shownUrl}`);
});
