import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../lib/errors.js";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { readBody } from "./cli.js";
import { runCompliance } from "./compliance.js";
import { localPullRequestFacts } from "./local-source.js";
import { readComplianceSettings } from "./settings.js";

/** Where local mode reads the description of the pending change: a PR has no body before it is opened. */
export const LOCAL_BODY_FILE = ".github/preflight-pr-body.md";

/**
 * The step's rules (its `config`) against the local PR: the body from {@link LOCAL_BODY_FILE} (empty when there is
 * none) and the uncommitted changes from `git diff HEAD`. Outside a git repository only the body is judged.
 */
export const compliancePreflight: PreflightStep = {
  action: "compliance",
  async run({ root, with: inputs, logger, secrets, reportDir }) {
    const settings = { ...readComplianceSettings(new Inputs(mapInputSource(inputs)), { workspace: root }), comment: false };
    const bodyPath = join(root, LOCAL_BODY_FILE);
    const body = existsSync(bodyPath) ? readBody(bodyPath, LOCAL_BODY_FILE) : "";
    const bodyNote = existsSync(bodyPath) ? "" : ` (no ${LOCAL_BODY_FILE}: an empty PR body)`;
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
      reportDir,
      redact: (text) => secrets.redact(text),
    });
    return { ok: result.passed, headline: `${result.headline}${bodyNote}${gitNote}`, markdown: result.summary };
  },
};
