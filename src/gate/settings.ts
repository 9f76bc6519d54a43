import { resolve } from "node:path";
import picomatch from "picomatch";
import { inputNames, outputNames } from "../lib/action-inputs.js";
import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import { insideWorkspace, pathError } from "../lib/workspace-path.js";
import { type GateCommand, type GateKind, SEVERITIES, type Severity } from "./model.js";
import { parseSize } from "./size.js";

/** Input and output names of the gate action, defined once for the entry, the CLI and action.yml tests. */
export const INPUTS = inputNames("gate");

export const OUTPUTS = outputNames("gate");

export type AuditSetting = { mode: "none" } | { mode: "npm" | "pnpm" } | { mode: "file"; path: string };

export interface GateSettings {
  commands: GateCommand[];
  /** Absolute; commands run here and relative globs resolve from here. */
  workingDirectory: string;
  /** Repository root: annotation paths are made relative to it. */
  workspace: string;
  junit: string[];
  /** A JUnit report with no test in it passes the tests gate instead of failing it. */
  allowNoTests: boolean;
  coverage: string[];
  minCoverage: number;
  audit: AuditSetting;
  maxVulnerabilities: Partial<Record<Severity, number>>;
  bundle: string[];
  /** Gzip bytes; undefined means measure only. */
  bundleBudget?: number;
  checkName: string;
  /** Which gates fail the run: every one by default. */
  failOn: FailOn;
}

/** `any` (default), `none`, or a list of gate kinds (`commands`, `tests`, `coverage`, `audit`, `bundle`) and command names. */
export type FailOn = { all: true } | { all: false; kinds: Set<GateKind>; commands: Set<string> };

const GATE_KINDS: Record<string, GateKind> = {
  commands: "command",
  tests: "tests",
  coverage: "coverage",
  audit: "audit",
  bundle: "bundle",
};
/** More findings than any audit reports; a larger count is a typo, not a limit. */
const MAX_VULNERABILITY_COUNT = 100_000;
/** No web bundle comes near it; a larger budget is a typo (a unit too many), not a limit. */
const MAX_BUNDLE_BUDGET = 100_000_000_000;
const COMMAND_LINE = /^([A-Za-z0-9][\w .-]*?)\s*:\s+(\S.*)$/;

export function readGateSettings(inputs: Inputs, where: { workspace: string }): GateSettings {
  const workspace = resolve(where.workspace);
  // Whether it exists is checked before any command runs (checks.ts); here only that it stays in the workspace.
  const workingDirectory = insideWorkspace(workspace, INPUTS.workingDirectory, inputs.optional(INPUTS.workingDirectory, "."));
  const places = { workspace, cwd: workingDirectory };
  const commands = readCommands(inputs);
  const bundle = readGlobs(inputs, INPUTS.bundle, places);
  const budgetText = inputs.raw(INPUTS.bundleBudget);
  const bundleBudget = budgetText ? parseSize(budgetText) : undefined;
  if (budgetText && !(bundleBudget !== undefined && bundleBudget >= 1 && bundleBudget <= MAX_BUNDLE_BUDGET)) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.bundleBudget)} got ${quoteValue(budgetText)}; expected a gzip size such as 250KB (1000 bytes), 244KiB (1024 bytes) or 1.5MB, from 1 byte to 100GB.`,
    );
  }
  if (bundleBudget !== undefined && bundle.length === 0) {
    throw new ConfigurationError(
      `Input '${INPUTS.bundleBudget}' is set but '${INPUTS.bundle}' is empty; list the built assets to measure.`,
    );
  }
  const settings: GateSettings = {
    commands,
    workingDirectory,
    workspace,
    junit: readGlobs(inputs, INPUTS.junit, places),
    allowNoTests: inputs.boolean(INPUTS.allowNoTests, false),
    coverage: readGlobs(inputs, INPUTS.coverage, places),
    minCoverage: inputs.number(INPUTS.minCoverage, 80, { min: 0, max: 100 }),
    audit: readAudit(inputs, places),
    maxVulnerabilities: readMaxVulnerabilities(inputs),
    bundle,
    bundleBudget,
    checkName: inputs.optional(INPUTS.checkName, "quality-gate"),
    failOn: readFailOn(inputs, commands),
  };
  const { junit, coverage, audit } = settings;
  if (!commands.length && !junit.length && !coverage.length && audit.mode === "none" && !bundle.length) {
    throw new ConfigurationError(
      `No gate configured: set ${INPUTS.commands}, ${INPUTS.junit}, ${INPUTS.coverage}, ${INPUTS.audit} or ${INPUTS.bundle}.`,
    );
  }
  return settings;
}

/**
 * One glob per line, each checked by picomatch now, so a typo is named before any command runs; and the folder a
 * glob starts from must be inside the workspace (`../../etc/passwd` is refused, not measured).
 */
function readGlobs(inputs: Inputs, name: string, places: { workspace: string; cwd: string }): string[] {
  const globs = inputs.list(name, /\n/);
  for (const glob of globs) {
    const body = glob.replace(/^!/, "");
    let problem: string | undefined;
    if (body.trim() === "") problem = "an empty pattern";
    else {
      try {
        picomatch.makeRe(body, { strictBrackets: true });
      } catch (error) {
        problem = (error as Error).message;
      }
    }
    if (problem)
      throw new ConfigurationError(`${inputLabel(name)} has the glob ${quoteValue(glob)}, which is not well-formed: ${problem}.`);
    // An exclusion only takes files away, wherever it points.
    if (!glob.startsWith("!")) {
      const { base } = picomatch.scan(body);
      try {
        insideWorkspace(places.workspace, name, base || ".", places.cwd);
      } catch {
        throw pathError(name, glob, "leaves the workspace; give globs inside it, relative to working-directory");
      }
    }
  }
  return globs;
}

function readCommands(inputs: Inputs): GateCommand[] {
  const commands: GateCommand[] = [];
  for (const { line, text } of inputs.lines(INPUTS.commands)) {
    const match = COMMAND_LINE.exec(text);
    if (!match) {
      throw new ConfigurationError(
        `Input '${INPUTS.commands}' line ${line}: ${quoteValue(text)} is not "name: command", e.g. "lint: pnpm turbo run lint".`,
      );
    }
    const [, name, command] = match;
    if (commands.some((other) => other.name === name)) {
      throw new ConfigurationError(
        `Input '${INPUTS.commands}' line ${line}: the name "${name}" is used twice; give each gate its own name.`,
      );
    }
    commands.push({ name, command, line });
  }
  return commands;
}

function readAudit(inputs: Inputs, places: { workspace: string; cwd: string }): AuditSetting {
  const value = inputs.optional(INPUTS.audit, "none");
  if (value === "none" || value === "npm" || value === "pnpm") return { mode: value };
  if (!/\.json$/i.test(value)) {
    throw new ConfigurationError(
      `${inputLabel(INPUTS.audit)} got ${quoteValue(value)}; expected npm, pnpm, none, or the path of an audit .json file.`,
    );
  }
  return { mode: "file", path: insideWorkspace(places.workspace, INPUTS.audit, value, places.cwd) };
}

function readMaxVulnerabilities(inputs: Inputs): Partial<Record<Severity, number>> {
  const limits: Partial<Record<Severity, number>> = {};
  const pairs = inputs.raw(INPUTS.maxVulnerabilities)
    ? inputs.keyValues(INPUTS.maxVulnerabilities, /[\n,]/)
    : new Map([
        ["critical", "0"],
        ["high", "0"],
      ]);
  for (const [key, value] of pairs) {
    const severity = key.toLowerCase() as Severity;
    const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!SEVERITIES.includes(severity) || !(count <= MAX_VULNERABILITY_COUNT)) {
      throw new ConfigurationError(
        `${inputLabel(INPUTS.maxVulnerabilities)} got ${quoteValue(`${key}=${value}`)}; expected severity=count (0 to ${MAX_VULNERABILITY_COUNT}) with a severity among ${SEVERITIES.join(", ")}, e.g. critical=0,high=0.`,
      );
    }
    limits[severity] = count;
  }
  return limits;
}

function readFailOn(inputs: Inputs, commands: GateCommand[]): FailOn {
  const items = inputs.list(INPUTS.failOn);
  if (items.length === 0 || (items.length === 1 && items[0] === "any")) return { all: true };
  const failOn: FailOn = { all: false, kinds: new Set(), commands: new Set() };
  if (items.length === 1 && items[0] === "none") return failOn;
  for (const item of items) {
    if (GATE_KINDS[item]) failOn.kinds.add(GATE_KINDS[item]);
    else if (commands.some((command) => command.name === item)) failOn.commands.add(item);
    else {
      const names = commands.map((command) => command.name);
      throw new ConfigurationError(
        `Input '${INPUTS.failOn}' got ${quoteValue(item)}; expected any, none, or a list of ${[...Object.keys(GATE_KINDS), ...names].join(", ")}.`,
      );
    }
  }
  return failOn;
}

export function isEnforced(failOn: FailOn, kind: GateKind, name: string): boolean {
  if (failOn.all) return true;
  return failOn.kinds.has(kind) || (kind === "command" && failOn.commands.has(name));
}
