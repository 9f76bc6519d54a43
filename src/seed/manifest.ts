import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type Document, isCollection, isMap, isPair, isScalar, visit } from "yaml";
import { ConfigurationError } from "../lib/errors.js";
import { parseYamlSource } from "../lib/yaml-source.js";
import type { Diagnostic, Manifest, ManifestRow, Place } from "./types.js";

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

/** Reads and parses every manifest. `root` makes reported paths workspace-relative, as annotations need. */
export function loadManifests(dir: string, root: string): LoadedManifests {
  const loaded: LoadedManifests = { manifests: [], documents: new Map(), diagnostics: [] };
  for (const path of listManifestFiles(dir)) {
    const file = relative(root, path) || path;
    parseManifestText(readFileSync(path, "utf8"), file, loaded);
  }
  return loaded;
}

export function parseManifestText(text: string, file: string, into: LoadedManifests): void {
  const { document: doc, placeAt, errors } = parseYamlSource(text, file, { keepSourceTokens: true, uniqueKeys: true });
  if (errors.length) {
    into.diagnostics.push(...errors);
    return;
  }
  const traps = coercionTraps(doc, placeAt);
  into.diagnostics.push(...traps);
  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
  const manifest: Manifest = {
    file,
    table: typeof data?.table === "string" ? data.table : "",
    key: typeof data?.key === "string" ? [data.key] : Array.isArray(data?.key) ? data.key.map(String) : [],
    rows: Array.isArray(data?.rows) ? (data.rows as ManifestRow[]) : [],
    version: data?.version === undefined || data?.version === null ? undefined : String(data.version),
    prune: data?.prune === true,
    schema: typeof data?.schema === "string" ? data.schema : undefined,
    references: isPlainObject(data?.references) ? (data.references as Record<string, string>) : {},
    locate: (path, options) => placeAt(locateOffset(doc, path, options?.key ?? false)),
  };
  into.manifests.push(manifest);
  into.documents.set(manifest, data);
}

/** The start offset of the node at `path`, or of its nearest ancestor that exists; `key` points at the mapping key instead. */
function locateOffset(doc: Document, path: ReadonlyArray<string | number>, key: boolean): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (key && depth === path.length && depth > 0) {
      const parent = doc.getIn(prefix.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === prefix[prefix.length - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
      continue;
    }
    const node = prefix.length ? doc.getIn(prefix, true) : doc.contents;
    if ((isScalar(node) || isCollection(node)) && node.range) return node.range[0];
  }
  return 0;
}

/**
 * YAML 1.2 silently turns some values into numbers that are not what the author meant: `1.10` becomes 1.1,
 * `012` becomes 12, and integers past 2^53 lose digits. Plain (unquoted) scalars only; quoting is the fix.
 */
function coercionTraps(doc: Document, placeAt: (offset: number) => Place): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Scalar(_key, node) {
      const token = node.srcToken;
      if (token?.type !== "scalar" || typeof node.value !== "number" || !node.range) return;
      const source = token.source.trim();
      let message: string | undefined;
      if (/^[-+]?\d+\.\d*0$/.test(source)) message = `${source} is read as the number ${node.value}, dropping the trailing zero`;
      else if (/^[-+]?0\d+$/.test(source)) message = `${source} is read as the number ${node.value}, dropping the leading zero`;
      else if (/^[-+]?\d+$/.test(source) && !Number.isSafeInteger(node.value))
        message = `${source} is past 2^53 and cannot be read exactly as a number`;
      if (message) found.push({ ...placeAt(node.range[0]), message: `${message}; quote it ("${source}") to keep it as written` });
    },
  });
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
