import { type Document, isCollection, isMap, isPair, isScalar } from "yaml";

/** A path into a parsed YAML/JSON document: keys and sequence indexes. */
export type YamlPath = Array<string | number>;

/** A JSON Pointer (ajv's `instancePath`, e.g. `/rules/0/files`) as a document path. */
export function jsonPointerPath(pointer: string): YamlPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The offset of the node at `path` (with `key`, of its mapping key), falling back to the nearest ancestor that
 * exists, so a schema error can name its `file:line:col` (through yaml-source's placeAt).
 */
export function locateYamlPath(doc: Document, path: YamlPath, key = false): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (key && depth === path.length && depth > 0) {
      const parent = doc.getIn(prefix.slice(0, -1), true);
      const pair = isMap(parent)
        ? parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === prefix.at(-1))
        : undefined;
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      continue;
    }
    const node = prefix.length ? doc.getIn(prefix, true) : doc.contents;
    if ((isScalar(node) || isCollection(node)) && node.range) return node.range[0];
  }
  return 0;
}
