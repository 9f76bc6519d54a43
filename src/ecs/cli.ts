import type { Command } from "commander";
import { addInputOptions, addSummaryOption, cliAction, SUMMARY_FLAG } from "../cli/program.js";
import { workspacePaths } from "../lib/workspace-path.js";
import { runEcs, withEcsClients } from "./run.js";
import { ECS_SECRET_ENV, readEcsSettings } from "./settings.js";

/** `launchpad ecs-blue-green`: the action's core from a terminal, with AWS credentials from the standard chain. */
export function registerEcs(program: Command): void {
  const command = program
    .command("ecs-blue-green")
    .description("Deploy an ECS service blue/green through CodeDeploy (or ECS-native blue/green), or roll it back");
  addInputOptions(command, "ecs-blue-green", {
    command: "<command>",
    cluster: "<name>",
    service: "<name>",
    "task-definition": "<file>",
    "container-name": "<name>",
    image: "<uri>",
    environment: "<NAME=value...>",
    "container-port": "<port>",
    "codedeploy-application": "<name>",
    "codedeploy-deployment-group": "<name>",
    "deployment-config": "<name>",
    appspec: "<file>",
    hooks: "<Event=function...>",
    wait: "<boolean>",
    timeout: "<duration>",
    "test-url": "<url>",
    "test-checks": "<line...>",
    "verify-image": "<boolean>",
    "max-critical-findings": "<n>",
    "poll-interval": "<duration>",
  });
  addSummaryOption(command).action(
    cliAction(async (run) => {
      for (const name of ECS_SECRET_ENV) run.secrets.add(run.env[name]);
      const root = process.cwd();
      const settings = readEcsSettings(run.inputs, workspacePaths(root), run.secrets);
      const outcome = await withEcsClients(settings, (clients) =>
        runEcs(settings, { clients, logger: run.logger, signal: run.signal, root }),
      );
      run.saveReport(run.inputs.optional(SUMMARY_FLAG), outcome.summary);
      run.print(outcome.summary);
      if (!outcome.ok) throw outcome.error;
    }),
  );
}
