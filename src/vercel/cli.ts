import type { Command } from "commander";
import { addInputOptions, addSummaryOption, cliAction, SUMMARY_FLAG } from "../cli/program.js";
import { readRunContext } from "../lib/context.js";
import { createGitHubClient } from "../lib/github.js";
import { createVercelClient, exitIfClientHung } from "./client.js";
import { runVercel } from "./run.js";
import { INPUTS, readVercelSettings } from "./settings.js";

export function registerVercel(program: Command): void {
  const command = program
    .command("vercel-deploy")
    .description("Deploy a prebuilt .vercel/output to Vercel (or promote / roll back), as the vercel-deploy action does");
  addInputOptions(
    command,
    "vercel-deploy",
    {
      token: "<token>",
      "team-id": "<id>",
      "project-id": "<id>",
      target: "<target>",
      path: "<dir>",
      prebuilt: "<boolean>",
      "output-dir": "<dir>",
      alias: "<host...>",
      "github-token": "<token>",
      "github-deployment": "<boolean>",
      "github-comment": "<boolean>",
      timeout: "<duration>",
      "api-url": "<url>",
      command: "<command>",
      deployment: "<id-or-url>",
      archive: "<mode>",
      "alias-wait": "<duration>",
    },
    // Secrets may come from the environment instead of flags, so they stay out of shell history and `ps`.
    { fromEnv: { token: "VERCEL_TOKEN", "github-token": "GITHUB_TOKEN" } },
  );
  addSummaryOption(command).action(
    cliAction(async (run) => {
      run.secrets.add(run.inputs.raw(INPUTS.token));
      run.secrets.add(run.inputs.raw(INPUTS.githubToken));
      const settings = readVercelSettings(run.inputs, process.cwd(), run.env);
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
      run.saveReport(run.inputs.optional(SUMMARY_FLAG), result.summary);
      run.print(result.summary);
      for (const [name, value] of Object.entries(result.outputs)) if (value) run.print(`${name}=${value}`);
      if (result.error) run.logger.error(result.error);
      setImmediate(exitIfClientHung);
      return result.ok ? 0 : 1;
    }),
  );
}
