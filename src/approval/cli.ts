import { resolve } from "node:path";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { ConfigurationError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { Inputs } from "../lib/inputs.js";
import { ApprovalApi } from "./github.js";
import { type ApprovalPlan, planApproval, readLocalCommit } from "./plan.js";
import { INPUTS, readApprovalSettings } from "./settings.js";
import { verifyDeploymentRecord } from "./verify-record.js";

const VERSION_FLAG = "tag";

/** `launchpad approval`: `verify-record` for auditors, `plan` for what a promotion would require, locally. */
export function registerApproval(program: Command): void {
  const approval = program
    .command("approval")
    .description("The approval action's promotion gate: plan it locally, verify its audit records");
  approval
    .command("verify-record")
    .description("Re-read a deployment's audit record and check its digest")
    .requiredOption("--deployment-id <id>", "the GitHub Deployment that holds the record")
    .option(`--${INPUTS.githubToken} <token>`, "token that reads deployments (default: $GITHUB_TOKEN)")
    .option("--repository <owner/repo>", "the repository (default: $GITHUB_REPOSITORY)")
    .option("--api-url <url>", "GitHub API base URL (default: $GITHUB_API_URL, then https://api.github.com)")
    .action(
      cliAction(async (run) => {
        const id = run.inputs.raw("deployment-id");
        if (!/^[1-9]\d*$/.test(id))
          throw new ConfigurationError(`--deployment-id got ${JSON.stringify(id)}; expected a deployment id such as 1234.`);
        const token = run.inputs.raw(INPUTS.githubToken) || run.env.GITHUB_TOKEN || "";
        if (!token)
          throw new ConfigurationError(
            `--${INPUTS.githubToken} is empty and GITHUB_TOKEN is not set; give a token that reads deployments.`,
          );
        run.secrets.add(token);
        const slug = run.inputs.raw("repository") || run.env.GITHUB_REPOSITORY || "";
        const [owner, repo, extra] = slug.split("/");
        if (!owner || !repo || extra !== undefined) {
          throw new ConfigurationError(`--repository got ${JSON.stringify(slug)}; expected owner/repo (or set GITHUB_REPOSITORY).`);
        }
        const baseUrl = run.inputs.raw("api-url") || undefined;
        const client = createGitHubClient({ token, baseUrl, logger: run.logger, env: run.env });
        const result = await verifyDeploymentRecord(new ApprovalApi(client, { owner, repo }, run.signal), Number(id));
        run.print(result.markdown);
        return result.ok ? 0 : 1;
      }),
    );
  approval
    .command("plan")
    .description("Show what a promotion of the local commit would require (git only, no API)")
    .argument("[root]", "the repository checkout", ".")
    .option(`--${INPUTS.environment} <name>`, "the environment being promoted to", "production")
    // `--version` is the program's own flag, so the `version` input is spelled --tag here.
    .option(`--${VERSION_FLAG} <tag>`, "the action's `version` input: a tag to promote (resolved with git)")
    .option(`--${INPUTS.sha} <sha>`, "the commit to promote (default: HEAD)")
    .option(`--${INPUTS.approvers} <who...>`, "users and org/team slugs who may approve")
    .option(`--${INPUTS.requiredApprovals} <n>`, "how many distinct approvers are needed", "1")
    .option(`--${INPUTS.allowSelfApproval} <bool>`, "let authors and mergers count", "false")
    .option(`--${INPUTS.requiredChecks} <names...>`, "check runs that must have concluded success")
    .option(`--${INPUTS.requireStaging} <bool>`, "require a successful staging deployment", "true")
    .option(`--${INPUTS.changeTicket} <text>`, "the change ticket (required for production)")
    .action(
      cliAction(async (run, command) => {
        const root = resolve(command.args[0] ?? ".");
        const inputs = new Inputs((name) => (name === INPUTS.version ? run.inputs.raw(VERSION_FLAG) : run.inputs.raw(name)));
        const plan = await planFor(inputs, root);
        run.print(plan.markdown);
        run.print(plan.headline);
      }),
    );
}

/** The local plan for these inputs in this checkout: the CLI's `plan` and the preflight step share it. */
export async function planFor(inputs: Inputs, root: string): Promise<ApprovalPlan> {
  const settings = readApprovalSettings(inputs, null);
  return planApproval(settings, await readLocalCommit(root, settings.version));
}
