import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import { Git } from "./git.js";
import { runReleaseNotes } from "./release-notes.js";
import { readReleaseNotesSettings } from "./settings.js";

/**
 * The notes of the example app since its last tag, from local git history (only commits that touched the app).
 * Outside a git checkout (a copied example) there is no history to read, and the step says so.
 */
export const releaseNotesPreflight: PreflightStep = {
  name: "release-notes",
  async run({ root, logger, signal }) {
    if (!(await new Git(root, signal).isRepository())) {
      return {
        ok: true,
        headline: "skipped: not a git checkout, so no history to read",
        markdown: "> Not a git checkout: no history to write notes from.\n",
      };
    }
    const settings = {
      ...readReleaseNotesSettings(new Inputs(mapInputSource({ source: "git", "release-owner": "preflight" })), { workspace: root }),
      onlyUnderWorkspace: true,
    };
    const result = await runReleaseNotes(settings, {
      logger,
      signal,
      serverUrl: "https://github.com",
      outputDir: join(root, ".launchpad"),
    });
    const since = result.range.fromTag ? `since ${result.range.fromTag}` : "no earlier tag, so all history";
    return {
      ok: true,
      headline: `${result.version}: ${result.changes.pullRequests.length} pull requests and ${result.changes.loneCommits.length} other commits (${since})`,
      markdown: result.summary,
    };
  },
};
