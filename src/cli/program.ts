import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Command, CommanderError, Option } from "commander";
import { type ActionName, actionInputs, type InputName } from "../lib/action-inputs.js";
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

/** The exit code of a usage mistake (a bad, missing or unknown flag or command); a failed check exits 1. */
export const USAGE_EXIT_CODE = 2;

/** The one spelling of the flag that also writes a command's markdown report to a file. */
export const SUMMARY_FLAG = "summary";

/** A flag placeholder that says the input is no flag on this command (given as its argument, say). */
export const NOT_A_FLAG = null;

/** What a command changes about its inputs' flags, each for a reason the caller states. */
export interface LocalInputOptions<A extends ActionName> {
  /** Defaults for a terminal where action.yml's do not fit it (no token there to read the API with, say). */
  defaults?: Partial<Record<InputName<A>, string>>;
  /** The environment variable a flag falls back to (a token kept out of shell history and `ps`). */
  fromEnv?: Partial<Record<InputName<A>, string>>;
}

/** A workflow expression (`${{ github.token }}`) is the runner's default; a terminal has none, the reader falls back. */
function isExpression(value: string): boolean {
  return value.includes("${{");
}

/**
 * One option per input of `action`, named like the input, with action.yml's description, default and required-ness:
 * nothing about an input is retyped here. `placeholders` names each flag's value (`<url>`, `<line...>` for a
 * multi-line input), or is {@link NOT_A_FLAG}; its type lists every input, so an input added to action.yml without a
 * flag fails the typecheck. A default that is a workflow expression is no flag default.
 */
export function addInputOptions<A extends ActionName>(
  command: Command,
  action: A,
  placeholders: Record<InputName<A>, string | typeof NOT_A_FLAG>,
  local: LocalInputOptions<A> = {},
): Command {
  return addSomeInputOptions(command, action, placeholders, local);
}

/**
 * {@link addInputOptions} for a command that takes only some of the action's inputs (a subcommand, or a command that
 * spells one input otherwise).
 */
export function addSomeInputOptions<A extends ActionName>(
  command: Command,
  action: A,
  placeholders: Partial<Record<InputName<A>, string | typeof NOT_A_FLAG>>,
  local: LocalInputOptions<A> = {},
): Command {
  const definitions = actionInputs(action);
  for (const [name, placeholder] of Object.entries(placeholders) as Array<[InputName<A>, string | typeof NOT_A_FLAG]>) {
    if (placeholder === NOT_A_FLAG) continue;
    const { description, required } = definitions[name];
    const fallback = local.defaults?.[name] ?? definitions[name].default;
    const option = new Option(`--${name} ${placeholder}`, description);
    if (fallback !== undefined && !isExpression(fallback)) option.default(fallback);
    if (required && fallback === undefined) option.makeOptionMandatory();
    // Commander listens for the variable only when the option is added with it.
    const variable = local.fromEnv?.[name];
    if (variable) option.env(variable);
    command.addOption(option);
  }
  return command;
}

/** `--summary <file>`, the same on every command that writes a report. */
export function addSummaryOption(command: Command): Command {
  return command.option(`--${SUMMARY_FLAG} <file>`, "also write the markdown report to this file");
}

/**
 * Commander's own usage errors (unknown command or flag, missing required flag, missing value) end like ours:
 * one `launchpad: …` line on stderr and exit code 2; `--help` and `--version` exit 0. Subcommands created after
 * this call inherit it.
 */
export function configureProgram(program: Command): Command {
  return program
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      // One line: Commander puts its "(Did you mean --tls-min-days?)" on a second one.
      outputError: (text, write) =>
        write(
          `launchpad: ${text
            .replace(/^error: /, "")
            .trim()
            .replace(/\s*\n\s*/g, " ")}\n`,
        ),
    });
}

/** Runs the CLI; the exit code of a usage mistake Commander caught is 2, whatever Commander would have used. */
export async function runProgram(program: Command, argv?: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv as string[] | undefined);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const clean = error.code === "commander.helpDisplayed" || error.code === "commander.version";
    process.exitCode = clean ? 0 : USAGE_EXIT_CODE;
  }
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

/**
 * Messages name inputs as the action's log shows them (`Input 'tls-min-days'`, or `'tls-min-days'` in passing);
 * on the command line the same words name the flag as typed (`--tls-min-days`). Only this command's flags change.
 */
export function nameFlags(message: string, command: Command): string {
  const flags = new Set((command.options as Option[]).map((option) => option.long?.replace(/^--/, "")).filter(Boolean));
  return message.replace(/(?:\b[Ii]nput )?'([a-z][a-z0-9-]*)'/g, (whole, name: string) => (flags.has(name) ? `--${name}` : whole));
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
      const message = redact(errorMessage(error));
      const usage = error instanceof ConfigurationError;
      process.stderr.write(`launchpad: ${usage ? nameFlags(message, command) : message}\n`);
      process.exitCode = usage ? USAGE_EXIT_CODE : 1;
    } finally {
      cancellation.dispose();
    }
  };
}
