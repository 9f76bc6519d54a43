import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import picomatch from "picomatch";
import { type Document, isCollection, isScalar } from "yaml";
import { ConfigurationError } from "../lib/errors.js";
import { formatSourcePlace, parseYamlSource } from "../lib/yaml-source.js";

/** One heading of User-Facing Changes: a pull request lands in the first category that matches it. */
export interface Category {
  title: string;
  labels: string[];
  /** Path globs (picomatch); a pull request matches when any changed file does. */
  paths: string[];
  /** Conventional-commit types of the title (`feat`, `fix`…). */
  types: string[];
  /** Entries of this category are also listed under Highlights. */
  highlight: boolean;
}

export interface NotesConfig {
  categories: Category[];
  excludeLabels: string[];
  /** Logins or author names; `[bot]` suffixes are matched as written. */
  excludeAuthors: string[];
}

const list = { type: "array", items: { type: "string", minLength: 1 } };
const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    categories: {
      type: "array",
      items: {
        type: "object",
        required: ["title"],
        additionalProperties: false,
        properties: { title: { type: "string", minLength: 1 }, labels: list, paths: list, types: list, highlight: { type: "boolean" } },
      },
    },
    exclude: { type: "object", additionalProperties: false, properties: { labels: list, authors: list } },
  },
} as const;

/** The categories used when the repository has no config file. */
export const DEFAULT_CONFIG: NotesConfig = {
  categories: [
    { title: "Breaking changes", labels: ["breaking", "major"], paths: [], types: [], highlight: true },
    { title: "Features", labels: ["feature", "enhancement"], paths: [], types: ["feat"], highlight: true },
    { title: "Security", labels: ["security"], paths: [], types: [], highlight: true },
    { title: "Fixes", labels: ["bug", "fix"], paths: [], types: ["fix"], highlight: false },
    { title: "Performance", labels: ["performance"], paths: [], types: ["perf"], highlight: false },
  ],
  excludeLabels: ["skip-changelog", "no-release-notes"],
  excludeAuthors: [],
};

/** Reads and validates the config; a missing file is fine only at the default path (`required` false). */
export function loadConfig(path: string, options: { required: boolean; root: string }): NotesConfig {
  const shown = relative(options.root, path) || path;
  if (!existsSync(path)) {
    if (options.required) throw new ConfigurationError(`Input 'config': ${shown} does not exist.`);
    return DEFAULT_CONFIG;
  }
  const source = parseYamlSource(readFileSync(path, "utf8"), shown);
  if (source.errors.length) {
    const [first] = source.errors;
    throw new ConfigurationError(`${formatSourcePlace(first)}: ${first.message}`);
  }
  const data = source.document.toJS() ?? {};
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const validate = ajv.compile(CONFIG_SCHEMA);
  if (!validate(data)) {
    // A misspelt field also makes a required one "missing"; naming the misspelling is the useful message.
    const errors = validate.errors ?? [];
    const error = errors.find((candidate) => candidate.keyword === "additionalProperties") ?? (errors[0] as ErrorObject);
    const place = source.placeAt(locate(source.document, pointer(error), error.keyword === "additionalProperties"));
    throw new ConfigurationError(`${formatSourcePlace(place)}: ${describe(error)}`);
  }
  const config = data as { categories?: Array<Partial<Category> & { title: string }>; exclude?: { labels?: string[]; authors?: string[] } };
  const categories = (config.categories ?? DEFAULT_CONFIG.categories).map((category) => ({
    title: category.title,
    labels: category.labels ?? [],
    paths: category.paths ?? [],
    types: category.types ?? [],
    highlight: category.highlight ?? false,
  }));
  for (const [index, category] of categories.entries()) checkGlobs(category.paths, source, ["categories", index, "paths"]);
  return { categories, excludeLabels: config.exclude?.labels ?? [], excludeAuthors: config.exclude?.authors ?? [] };
}

function checkGlobs(globs: string[], source: ReturnType<typeof parseYamlSource>, path: Array<string | number>): void {
  globs.forEach((glob, index) => {
    try {
      picomatch.makeRe(glob, { strictBrackets: true });
    } catch (error) {
      const place = source.placeAt(locate(source.document, [...path, index]));
      throw new ConfigurationError(`${formatSourcePlace(place)}: ${JSON.stringify(glob)} is not a valid glob: ${(error as Error).message}`);
    }
  });
}

function pointer(error: ErrorObject): Array<string | number> {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, "/").replace(/~0/g, "~")));
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  return extra ? [...segments, extra] : segments;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, ".") : "the config";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    return `unknown field '${params.additionalProperty}' in ${where}; allowed are ${allowedFields(error)}`;
  }
  if (error.keyword === "required") return `${where} needs '${params.missingProperty}'`;
  return `${where} ${error.message}`;
}

function allowedFields(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties).join(", ") : "the documented fields";
}

/** The offset of the deepest node on `path` that exists; with `key`, of the mapping key itself (an unknown field). */
function locate(document: Document, path: Array<string | number>, key = false): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const node = prefix.length ? document.getIn(prefix, true) : document.contents;
    if (!(key && depth === path.length) && (isScalar(node) || isCollection(node)) && node.range) return node.range[0];
    if (depth === path.length && depth > 0) {
      const parent = document.getIn(prefix.slice(0, -1), true);
      if (isCollection(parent)) {
        const pair = (parent.items as Array<{ key?: unknown }>).find((item) => isScalar(item.key) && item.key.value === prefix[depth - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
    }
  }
  return 0;
}
