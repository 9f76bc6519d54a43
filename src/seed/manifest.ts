import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isScalar, isSeq } from "yaml";
import { ConfigurationError } from "../lib/errors.js";
import { locateYamlPath } from "../lib/yaml-path.js";
import { parseYamlSource } from "../lib/yaml-source.js";
import type { Diagnostic, Manifest, ManifestRow, Place, Spelling } from "./types.js";
import { canonicalText, loadFast } from "./yaml-fast.js";

/** What loading a folder of manifests gives: the ones that parsed, and every syntax or coercion problem found. */
export interface LoadedManifests {
  manifests: Manifest[];
  /** The parsed documents, for the schema checks that need positions. */
  documents: Map<Manifest, unknown>;
  diagnostics: Diagnostic[];
}

/** Lists `*.yaml`/`*.yml` under a folder, recursively, in name order so the load order never depends on the file system. */
export function listManifestFiles(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a folder");
    entries = readdirSync(dir, { recursive: true, encoding: "utf8" });
  } catch {
    throw new ConfigurationError(`Input 'manifests' names ${dir}, which is not a readable folder.`);
  }
  return entries
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** One manifest file as read: its workspace-relative name and its text. */
export interface ManifestSource {
  file: string;
  text: string;
}

/** Reads every manifest file. `root` makes reported paths workspace-relative, as annotations need. */
export function readManifestSources(dir: string, root: string): ManifestSource[] {
  return listManifestFiles(dir).map((path) => ({ file: relative(root, path) || path, text: readFileSync(path, "utf8") }));
}

export function parseManifestSources(sources: readonly ManifestSource[]): LoadedManifests {
  const loaded: LoadedManifests = { manifests: [], documents: new Map(), diagnostics: [] };
  for (const { file, text } of sources) parseManifestText(text, file, loaded);
  return loaded;
}

/** Reads and parses every manifest. */
export function loadManifests(dir: string, root: string): LoadedManifests {
  return parseManifestSources(readManifestSources(dir, root));
}

/**
 * Parses one manifest. The fast path (js-yaml) reads the data; the `yaml` document with its places is only built when
 * something needs a `file:line:col`: a YAML error (js-yaml refused the text), a lint finding or a row the database
 * refuses. Both paths read the same YAML 1.2 core schema, so they give the same data.
 */
export function parseManifestText(text: string, file: string, into: LoadedManifests): void {
  let precise: PreciseYaml | undefined;
  const preciseYaml = () => {
    precise ??= parsePrecise(text, file);
    return precise;
  };
  let parsed: { data: unknown; spellings: Spelling[] };
  try {
    parsed = loadFast(text);
  } catch {
    const slow = preciseYaml();
    if (slow.errors.length) {
      into.diagnostics.push(...slow.errors);
      return;
    }
    parsed = { data: slow.data, spellings: slow.spellings };
  }
  const data = (isPlainObject(parsed.data) ? parsed.data : null) as Record<string, unknown> | null;
  const manifest: Manifest = {
    file,
    table: typeof data?.table === "string" ? data.table : "",
    key: typeof data?.key === "string" ? [data.key] : Array.isArray(data?.key) ? data.key.map(String) : [],
    rows: Array.isArray(data?.rows) ? (data.rows as ManifestRow[]) : [],
    version: data?.version === undefined || data?.version === null ? undefined : String(data.version),
    prune: data?.prune === true,
    schema: typeof data?.schema === "string" ? data.schema : undefined,
    references: isPlainObject(data?.references) ? (data.references as Record<string, string>) : {},
    environments: Array.isArray(data?.environments) ? data.environments.map(String) : undefined,
    requiresApproval: data?.["requires-approval"] === true,
    spellings: parsed.spellings,
    locate: (path, options) => preciseYaml().locate(path, options?.key ?? false),
  };
  into.diagnostics.push(...numberTraps(manifest));
  into.manifests.push(manifest);
  into.documents.set(manifest, parsed.data);
}

interface PreciseYaml {
  errors: Diagnostic[];
  data: unknown;
  spellings: Spelling[];
  locate(path: ReadonlyArray<string | number>, key: boolean): Place;
}

/** The `yaml` document API: slower, but every node knows its place. */
function parsePrecise(text: string, file: string): PreciseYaml {
  const { document: doc, placeAt, errors } = parseYamlSource(text, file, { keepSourceTokens: true, uniqueKeys: true });
  const locate = (path: ReadonlyArray<string | number>, key: boolean) => placeAt(locateYamlPath(doc, [...path], key));
  if (errors.length) return { errors, data: null, spellings: [], locate };
  const spellings: Spelling[] = [];
  collectSpellings(doc.contents, [], spellings);
  return { errors: [], data: doc.toJS({ maxAliasCount: 100 }), spellings, locate };
}

/** The `yaml` document's version of what the fast path's tags remember: plain scalars read as something else. */
function collectSpellings(node: unknown, path: Array<string | number>, found: Spelling[]): void {
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) collectSpellings(pair.value, [...path, String(pair.key.value)], found);
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) collectSpellings(item, [...path, index], found);
  } else if (isScalar(node) && node.srcToken?.type === "scalar" && typeof node.value !== "string") {
    const source = node.srcToken.source.trim();
    if (source !== "" && canonicalText(node.value) !== source) found.push({ path, source, value: node.value as Spelling["value"] });
  }
}

/**
 * YAML 1.2 silently turns some values into numbers that are not what the author meant: `1.10` becomes 1.1,
 * `012` becomes 12, and integers past 2^53 lose digits, whatever column they land in. Quoting is the fix.
 * (Other spellings, such as `1e3` or `0x1F`, are only a mistake in a text column: see `textColumnTraps`.)
 */
function numberTraps(manifest: Manifest): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const { path, source, value } of manifest.spellings ?? []) {
    if (typeof value !== "number") continue;
    let message: string | undefined;
    if (/^[-+]?\d+\.\d*0$/.test(source)) message = `${source} is read as the number ${value}, dropping the trailing zero`;
    else if (/^[-+]?0\d+$/.test(source)) message = `${source} is read as the number ${value}, dropping the leading zero`;
    else if (/^[-+]?\d+$/.test(source) && !Number.isSafeInteger(value))
      message = `${source} is past 2^53 and cannot be read exactly as a number`;
    if (message) found.push({ ...manifest.locate(path), message: `${message}; quote it ("${source}") to keep it as written` });
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
