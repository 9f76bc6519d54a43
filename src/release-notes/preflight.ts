import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { Git } from "./git.js";
import { runReleaseNotes } from "./release-notes.js";
import { readReleaseNotesSettings } from "./settings.js";

/**
 * The step's notes from local git history (the `git` source: no API, no release written), whatever `source` and
 * `draft-release` the workflow sets. Outside a git checkout there is no history to read, and the step says so.
 */
export const releaseNotesPreflight: PreflightStep = {
  action: "release-notes",
  async run({ root, with: inputs, logger, signal, reportDir }) {
    if (!(await new Git(root, signal).isRepository()))
      return { ok: true, skipped: true, headline: "not a git checkout, so no history to read", markdown: "" };
    const local = { ...inputs, source: "git", "draft-release": "false", "release-owner": inputs["release-owner"] || "preflight" };
    const settings = { ...readReleaseNotesSettings(new Inputs(mapInputSource(local)), { workspace: root }), onlyUnderWorkspace: true };
    const result = await runReleaseNotes(settings, { logger, signal, serverUrl: "https://github.com", outputDir: reportDir });
    const since = result.range.fromTag ? `since ${result.range.fromTag}` : "no earlier tag, so all history";
    return {
      ok: true,
      headline: `${result.version}: ${result.changes.pullRequests.length} pull requests and ${result.changes.loneCommits.length} other commits (${since})`,
      markdown: result.summary,
    };
  },
};
