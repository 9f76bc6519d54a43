import { resolve } from "node:path";
import type { Command } from "commander";
import { addSomeInputOptions, cliAction } from "../cli/program.js";
import { actionInputs, type InputName } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { createGitHubClient } from "../lib/github.js";
import { Inputs, quoteValue } from "../lib/inputs.js";
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
          throw new ConfigurationError(`--deployment-id got ${quoteValue(id)}; expected a deployment id such as 1234.`);
        const token = run.inputs.raw(INPUTS.githubToken) || run.env.GITHUB_TOKEN || "";
        if (!token)
          throw new ConfigurationError(
            `--${INPUTS.githubToken} is empty and GITHUB_TOKEN is not set; give a token that reads deployments.`,
          );
        run.secrets.add(token);
        const slug = run.inputs.raw("repository") || run.env.GITHUB_REPOSITORY || "";
        const [owner, repo, extra] = slug.split("/");
        if (!owner || !repo || extra !== undefined) {
          throw new ConfigurationError(`--repository got ${quoteValue(slug)}; expected owner/repo (or set GITHUB_REPOSITORY).`);
        }
        const baseUrl = run.inputs.raw("api-url") || undefined;
        const client = createGitHubClient({ token, baseUrl, logger: run.logger, env: run.env });
        const result = await verifyDeploymentRecord(new ApprovalApi(client, { owner, repo }, run.signal), Number(id));
        run.print(result.markdown);
        return result.ok ? 0 : 1;
      }),
    );
  const plan = approval
    .command("plan")
    .description("Show what a promotion of the local commit would require (git only, no API)")
    .argument("[root]", "the repository checkout", ".");
  // `--version` is the program's own flag, so the `version` input is spelled --tag here; no token: git only.
  plan.option(`--${VERSION_FLAG} <tag>`, actionInputs("approval").version.description);
  addSomeInputOptions(plan, "approval", {
    environment: "<name>",
    sha: "<sha>",
    approvers: "<who...>",
    "required-approvals": "<n>",
    "allow-self-approval": "<boolean>",
    "required-checks": "<names...>",
    "require-staging": "<boolean>",
    "change-ticket": "<text>",
  } satisfies Record<Exclude<InputName<"approval">, "version" | "github-token">, string>);
  plan.action(
    cliAction(async (run, command) => {
      const root = resolve(command.args[0] ?? ".");
      const inputs = new Inputs((name) => (name === INPUTS.version ? run.inputs.raw(VERSION_FLAG) : run.inputs.raw(name)));
      const result = await planFor(inputs, root).catch((error: unknown) => {
        throw error instanceof ConfigurationError ? new ConfigurationError(tagFlag(error.message)) : error;
      });
      run.print(result.markdown);
      run.print(result.headline);
    }),
  );
}

/** On the command line the `version` input is typed `--tag`: messages name the flag as typed. */
function tagFlag(message: string): string {
  return message.replace(new RegExp(`(?:\\b[Ii]nput )?'${INPUTS.version}'`, "g"), `--${VERSION_FLAG}`);
}

/** The local plan for these inputs in this checkout: the CLI's `plan` and the preflight step share it. */
export async function planFor(inputs: Inputs, root: string): Promise<ApprovalPlan> {
  const settings = readApprovalSettings(inputs, null);
  return planApproval(settings, await readLocalCommit(root, settings.version));
}
