import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { Inputs } from "../lib/inputs.js";
import { createVercelClient, exitIfClientHung } from "./client.js";
import { runVercel } from "./run.js";
import { INPUTS, readVercelSettings } from "./settings.js";

/** Secrets may come from the environment instead of flags, so they stay out of shell history and `ps`. */
const FROM_ENV: Partial<Record<string, string>> = { [INPUTS.token]: "VERCEL_TOKEN", [INPUTS.githubToken]: "GITHUB_TOKEN" };

export function registerVercel(program: Command): void {
  program
    .command("vercel-deploy")
    .description("Deploy a prebuilt .vercel/output to Vercel (or promote / roll back), as the vercel-deploy action does")
    .option(`--${INPUTS.token} <token>`, "Vercel token (default: $VERCEL_TOKEN)")
    .option(`--${INPUTS.teamId} <id>`, "Vercel team id")
    .requiredOption(`--${INPUTS.projectId} <id>`, "Vercel project id or name")
    .option(`--${INPUTS.target} <target>`, "preview, production or a custom environment slug", "preview")
    .option(`--${INPUTS.path} <dir>`, "project root", ".")
    .option(`--${INPUTS.prebuilt} <bool>`, "deploy the Build Output as is", "true")
    .option(`--${INPUTS.outputDir} <dir>`, "Build Output directory, relative to --path", ".vercel/output")
    .option(`--${INPUTS.alias} <host...>`, "aliases to assign after READY; {{branch}}, {{pr}}, {{sha}} are filled in")
    .option(`--${INPUTS.githubToken} <token>`, "GitHub token for the deployment and PR comment (default: $GITHUB_TOKEN)")
    .option(`--${INPUTS.githubDeployment} <bool>`, "create a GitHub Deployment", "true")
    .option(`--${INPUTS.githubComment} <bool>`, "keep a sticky comment on the pull request", "true")
    .option(`--${INPUTS.timeout} <duration>`, "overall limit", "15m")
    .option(`--${INPUTS.apiUrl} <url>`, "Vercel API base URL", "https://api.vercel.com")
    .option(`--${INPUTS.command} <command>`, "deploy, promote or rollback", "deploy")
    .option(`--${INPUTS.deployment} <idOrUrl>`, "the deployment to promote or roll back to")
    .option(`--${INPUTS.archive} <mode>`, "auto, always or never: upload the files as a gzipped archive", "auto")
    .option(`--${INPUTS.aliasWait} <duration>`, "how long READY waits for Vercel's own aliases when none were requested", "20s")
    .action(
      cliAction(async (run) => {
        const inputs = new Inputs((name) => run.inputs.raw(name) || (FROM_ENV[name] ? run.env[FROM_ENV[name]] : undefined));
        run.secrets.add(inputs.raw(INPUTS.token));
        run.secrets.add(inputs.raw(INPUTS.githubToken));
        const settings = readVercelSettings(inputs, process.cwd(), run.env);
        const github = settings.githubToken
          ? createGitHubClient({ token: settings.githubToken, logger: run.logger, env: run.env })
          : undefined;
        const client = createVercelClient(run.env);
        const result = await runVercel(settings, {
          logger: run.logger,
          signal: run.signal,
          context: readRunContext(run.env),
          github,
          client,
        });
        run.print(result.summary);
        for (const [name, value] of Object.entries(result.outputs)) if (value) run.print(`${name}=${value}`);
        if (result.error) run.logger.error(result.error);
        setImmediate(exitIfClientHung);
        return result.ok ? 0 : 1;
      }),
    );
}
