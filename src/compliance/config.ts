import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import picomatch from "picomatch";
import { ConfigurationError } from "../lib/errors.js";
import { jsonPointerPath, locateYamlPath, type YamlPath } from "../lib/yaml-path.js";
import { formatSourcePlace, parseYamlSource } from "../lib/yaml-source.js";
import type { ChecklistItem, ComplianceConfig, Phrase } from "./model.js";
import { COMPLIANCE_SCHEMA } from "./schema.js";

type Path = YamlPath;

/** Reads and validates the rules file; any mistake is one ConfigurationError at `file:line:col`. */
export function loadComplianceConfig(path: string, shownAs: string): ComplianceConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigurationError(`Input 'config': cannot read ${shownAs}; add the compliance rules there or point 'config' at them.`);
  }
  return parseComplianceConfig(text, shownAs);
}

export function parseComplianceConfig(text: string, file: string): ComplianceConfig {
  const source = parseYamlSource(text, file);
  const [syntax] = source.errors;
  if (syntax) throw new ConfigurationError(`${formatSourcePlace(syntax)}: ${syntax.message}`);
  const data = (source.document.toJS() ?? {}) as Record<string, any>;
  const place = (path: Path, key = false) => source.placeAt(locateYamlPath(source.document, path, key));
  const fail = (path: Path, message: string, key = false): never => {
    throw new ConfigurationError(`${formatSourcePlace(place(path, key))}: ${message}`);
  };

  const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
  const validate = ajv.compile(COMPLIANCE_SCHEMA);
  if (!validate(data)) {
    const error = mostSpecific(validate.errors ?? []);
    const { path, message, key } = describe(error);
    fail(path, message, key);
  }

  const glob = (patterns: string[], path: Path) => {
    patterns.forEach((pattern, index) => {
      try {
        picomatch.makeRe(pattern, { dot: true });
      } catch (error) {
        fail([...path, index], `'${pattern}' is not a valid glob: ${(error as Error).message}`);
      }
    });
    return picomatch(patterns, { dot: true });
  };
  const phrases = (items: string[] | undefined, path: Path) =>
    (items ?? []).map((item, index) => toPhrase(item, (message) => fail([...path, index], message)));

  const checklist: ChecklistItem[] = (data.checklist ?? []).map((item: any, index: number) => {
    const matches = item.text
      ? (itemText: string) => normalize(itemText) === normalize(item.text)
      : compileRegex(item.pattern, "i", (message) => fail(["checklist", index, "pattern"], message));
    return {
      label: item.text ?? `/${item.pattern}/`,
      matches: typeof matches === "function" ? matches : (itemText: string) => matches.test(itemText),
      whenPaths: item.when ? glob(item.when.paths, ["checklist", index, "when", "paths"]) : undefined,
    };
  });
  return {
    file,
    checklist,
    sections: (data.sections ?? []).map((item: any) =>
      typeof item === "string" ? { heading: item, allowNa: false } : { heading: item.heading, allowNa: Boolean(item["allow-na"]) },
    ),
    disclosures: (data.disclosures ?? []).map((rule: any, index: number) => ({
      files: glob(rule.files, ["disclosures", index, "files"]),
      filesText: rule.files.join(", "),
      require: phrases(rule.require, ["disclosures", index, "require"]),
      forbid: phrases(rule.forbid, ["disclosures", index, "forbid"]),
    })),
    reviewers: (data.reviewers ?? []).map((rule: any, index: number) => ({
      paths: glob(rule.paths, ["reviewers", index, "paths"]),
      pathsText: rule.paths.join(", "),
      teams: rule.teams ?? [],
      users: rule.users ?? [],
      min: rule.min ?? 1,
    })),
    waiveLabel: data["waive-label"],
    waivers: { users: data.waivers?.users ?? [], teams: data.waivers?.teams ?? [] },
  };
}

/** Lower-cased with every run of whitespace as one space: how `text` items and phrases compare. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

/** `/regex/flags` is a regular expression; anything else a plain phrase. */
function toPhrase(source: string, fail: (message: string) => never): Phrase {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
  if (literal) {
    const regex = compileRegex(literal[1], literal[2], fail, source);
    return { source, test: (text) => regex.test(text) };
  }
  const wanted = normalize(source);
  return { source, test: (text) => normalize(text).includes(wanted) };
}

function compileRegex(pattern: string, flags: string, fail: (message: string) => never, shown?: string): RegExp {
  try {
    // Never global: `test` on a /g regex keeps state between calls.
    return new RegExp(pattern, flags.replace("g", ""));
  } catch (error) {
    // V8 says "Invalid regular expression: /…/flags: Unterminated group"; the reason is the last part.
    const message = (error as Error).message;
    return fail(`'${shown ?? pattern}' is not a valid regular expression: ${message.slice(message.lastIndexOf(": ") + 2)}`);
  }
}

/** The deepest error: it names the exact key, not the `oneOf` around it. */
function mostSpecific(errors: ErrorObject[]): ErrorObject {
  const depth = (error: ErrorObject) => error.instancePath.split("/").length;
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors.filter((error) => depth(error) === deepest);
  return candidates.find((error) => error.keyword === "oneOf" || error.keyword === "anyOf") ?? candidates[0];
}

function describe(error: ErrorObject): { path: Path; message: string; key: boolean } {
  const path = jsonPointerPath(error.instancePath);
  const name = path.length
    ? path
        .map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`))
        .join("")
        .slice(1)
    : "the file";
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case "additionalProperties": {
      const allowed = Object.keys(schemaAt(error.parentSchema)).join(", ");
      return {
        path: [...path, params.additionalProperty],
        key: true,
        message: `unknown key '${params.additionalProperty}' in ${name}; allowed are ${allowed}`,
      };
    }
    case "required":
      return { path, key: false, message: `${name} needs '${params.missingProperty}'` };
    case "oneOf":
      return { path, key: false, message: `${name} takes exactly one of 'text' or 'pattern'` };
    case "anyOf":
      return { path, key: false, message: `${name} ${anyOfHint(path)}` };
    case "pattern":
      return { path, key: false, message: `${name} must look like ${patternHint(path)}` };
    default:
      return { path, key: false, message: `${name} ${error.message}` };
  }
}

function schemaAt(schema: any): Record<string, unknown> {
  return schema?.properties ?? {};
}

function anyOfHint(path: Path): string {
  if (path[0] === "disclosures") return "needs 'require' or 'forbid' (or both)";
  if (path[0] === "reviewers") return "needs 'teams' or 'users' (or both)";
  return "must be a heading text, or { heading, allow-na }";
}

function patternHint(path: Path): string {
  return path.includes("teams") ? "org/team-slug" : "a GitHub login";
}
