import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { ConfigurationError } from "../lib/errors.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import { readBody } from "./cli.js";
import { runCompliance } from "./compliance.js";
import { localPullRequestFacts } from "./local-source.js";
import { readComplianceSettings } from "./settings.js";

/** The example's own PR description, written as its template asks. */
const BODY_FILE = ".github/preflight-pr-body.md";

/**
 * Local mode on the example: its PR body against its rules, and its uncommitted changes (a PR of the pending work)
 * from `git diff HEAD`. A copy outside any git repository has no changes to judge, so only the body is checked.
 */
export const compliancePreflight: PreflightStep = {
  name: "compliance",
  async run({ root, logger, secrets }) {
    const settings = { ...readComplianceSettings(new Inputs(mapInputSource({})), { workspace: root }), comment: false };
    const body = readBody(join(root, BODY_FILE), BODY_FILE);
    let gitNote = "";
    const facts = async () => {
      try {
        return await localPullRequestFacts(root, "HEAD", body);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        gitNote = " (not a git repository: the PR body only)";
        return { body, headSha: "working-tree", author: "", files: [], labels: [] };
      }
    };
    const result = await runCompliance(settings, {
      source: { kind: "local", facts },
      logger,
      reportDir: join(root, ".launchpad"),
      redact: (text) => secrets.redact(text),
    });
    return { ok: result.passed, headline: `${result.headline}${gitNote}`, markdown: result.summary };
  },
};
