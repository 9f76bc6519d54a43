import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Command, Option } from "commander";
import { onCancel } from "../lib/cancel.js";
import { ConfigurationError, errorMessage, isUserFacing } from "../lib/errors.js";
import { Inputs } from "../lib/inputs.js";
import { consoleLogger, type Logger } from "../lib/logger.js";
import { Secrets } from "../lib/secrets.js";

/** What a CLI subcommand gets: the same typed inputs, logger, secrets and cancellation an action gets. */
export interface CliRun {
  inputs: Inputs;
  logger: Logger;
  secrets: Secrets;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Prints a result line on stdout, secrets redacted. */
  print(text: string): void;
  /** Writes a report to the file a flag named, when it named one; secrets redacted, as in the job summary. */
  saveReport(path: string, markdown: string): void;
}

/** Flags are named like the action's inputs (`--tls-min-days`), so one settings reader serves both. */
export function inputsFromCommand(command: Command): Inputs {
  const options = command.opts();
  const byFlag = new Map<string, unknown>();
  for (const option of command.options as Option[]) {
    const flag = option.long?.replace(/^--/, "");
    if (flag) byFlag.set(flag, options[option.attributeName()]);
  }
  return new Inputs((name) => {
    const value = byFlag.get(name);
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value.join("\n") : String(value);
  });
}

/** Wraps a subcommand: one readable error line and exit code 1 (2 for a usage mistake), stack only with --verbose. */
export function cliAction(work: (run: CliRun, command: Command) => Promise<number | void>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const verbose = Boolean(command.optsWithGlobals().verbose);
    const secrets = new Secrets();
    const redact = (text: string) => secrets.redact(text);
    const logger = consoleLogger({ verbose, redact });
    const cancellation = onCancel();
    try {
      const code = await work(
        {
          inputs: inputsFromCommand(command),
          logger,
          secrets,
          signal: cancellation.signal,
          env: process.env,
          print: (text) => process.stdout.write(`${redact(text)}\n`),
          saveReport: (path, markdown) => {
            if (!path) return;
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, redact(markdown));
          },
        },
        command,
      );
      process.exitCode = code ?? 0;
    } catch (error) {
      if (verbose && !isUserFacing(error) && error instanceof Error) logger.debug(error.stack ?? "");
      process.stderr.write(`launchpad: ${redact(errorMessage(error))}\n`);
      process.exitCode = error instanceof ConfigurationError ? 2 : 1;
    } finally {
      cancellation.dispose();
    }
  };
}
