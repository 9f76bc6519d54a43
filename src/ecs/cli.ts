import { resolve } from "node:path";
import type { Command } from "commander";
import { cliAction } from "../cli/program.js";
import { runEcs, withEcsClients } from "./run.js";
import { ECS_SECRET_ENV, readEcsSettings } from "./settings.js";

/** `launchpad ecs-blue-green`: the action's core from a terminal, with AWS credentials from the standard chain. */
export function registerEcs(program: Command): void {
  program
    .command("ecs-blue-green")
    .description("Deploy an ECS service blue/green through CodeDeploy (or ECS-native blue/green), or roll it back")
    .option("--command <command>", "deploy or rollback", "deploy")
    .requiredOption("--cluster <name>", "ECS cluster")
    .requiredOption("--service <name>", "ECS service")
    .requiredOption("--container-name <name>", "the container to update")
    .option("--image <uri>", "ECR image URI with a tag or digest")
    .option("--task-definition <file>", "task definition JSON or YAML; default: the service's current one")
    .option("--environment <NAME=value...>", "environment variables to upsert into the container")
    .option("--container-port <port>", "container port behind the load balancer")
    .option("--codedeploy-application <name>", "default AppECS-<cluster>-<service>")
    .option("--codedeploy-deployment-group <name>", "default DgpECS-<cluster>-<service>")
    .option("--deployment-config <name>", "e.g. CodeDeployDefault.ECSCanary10Percent5Minutes")
    .option("--appspec <file>", "AppSpec to load and substitute; default: generated")
    .option("--hooks <Event=function...>", "lifecycle hook Lambdas")
    .option("--wait <boolean>", "wait for the deployment to end", "true")
    .option("--timeout <duration>", "stop with rollback after this long", "60m")
    .option("--test-url <url>", "test listener URL for the checks at Ready")
    .option("--test-checks <line...>", "checks in the verify syntax, e.g. 'GET /health 200'")
    .option("--verify-image <boolean>", "check the image in ECR and pin its digest", "true")
    .option("--max-critical-findings <n>", "critical scan findings allowed; -1 disables the gate", "0")
    .option("--poll-interval <duration>", "status poll interval", "15s")
    .option("--summary <file>", "also write the markdown summary to this file")
    .action(
      cliAction(async (run) => {
        for (const name of ECS_SECRET_ENV) run.secrets.add(run.env[name]);
        const settings = readEcsSettings(run.inputs, (path) => resolve(path));
        const outcome = await withEcsClients(settings, (clients) =>
          runEcs(settings, { clients, logger: run.logger, signal: run.signal, root: process.cwd() }),
        );
        run.saveReport(run.inputs.optional("summary"), outcome.summary);
        run.print(outcome.summary);
        if (!outcome.ok) throw outcome.error;
      }),
    );
}
