import {
  boolCoreTag,
  CORE_SCHEMA,
  defineScalarTag,
  floatCoreTag,
  intCoreTag,
  load,
  NOT_RESOLVED,
  nullCoreTag,
  type ScalarTagDefinition,
} from "js-yaml";
import type { Spelling } from "./types.js";

/** A plain scalar that YAML reads as a value whose text differs from how it was written (`0x1F` → 31, `Null` → null). */
class Spelled {
  /** How many were made: a load that made none has nothing to unwrap (the common case). */
  static made = 0;
  constructor(
    readonly value: unknown,
    readonly source: string,
  ) {
    Spelled.made++;
  }
}

/** The text a value stands for once it is stored as text: what a plain scalar must read as to be taken as written. */
export function canonicalText(value: unknown): string {
  return value === null ? "null" : String(value);
}

/**
 * js-yaml's core-schema tag, resolving exactly as before, but a plain scalar whose spelling differs from its value's
 * text comes back wrapped, so the checks that need the spelling (and its place) can find it after one fast load.
 */
function remembering<T>(core: ScalarTagDefinition<T>): ScalarTagDefinition<T | Spelled> {
  return defineScalarTag<T | Spelled>(core.tagName, {
    implicit: core.implicit,
    implicitFirstChars: core.implicitFirstChars,
    identify: core.identify,
    represent: core.represent,
    resolve: (source, isExplicit, tagName) => {
      const value = core.resolve(source, isExplicit, tagName);
      if (value === NOT_RESOLVED || isExplicit || source === "" || canonicalText(value) === source) return value;
      return new Spelled(value, source);
    },
  });
}

const SCHEMA = CORE_SCHEMA.withTags(remembering(nullCoreTag), remembering(boolCoreTag), remembering(intCoreTag), remembering(floatCoreTag));

/**
 * Loads YAML with js-yaml (about ten times faster than building a `yaml` document) and lists the plain scalars whose
 * spelling differs from their value, by path. Throws on anything js-yaml refuses; the caller then goes back to the
 * `yaml` document API, which gives the precise message and place.
 */
export function loadFast(text: string): { data: unknown; spellings: Spelling[] } {
  const before = Spelled.made;
  const data = load(text, { schema: SCHEMA, maxAliases: 100 });
  const spellings: Spelling[] = [];
  return { data: Spelled.made === before ? data : unwrap(data, [], spellings), spellings };
}

function unwrap(node: unknown, path: Array<string | number>, found: Spelling[]): unknown {
  if (node instanceof Spelled) {
    found.push({ path: [...path], source: node.source, value: node.value as Spelling["value"] });
    return node.value;
  }
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      const item = node[index];
      if (item !== null && typeof item === "object") {
        path.push(index);
        node[index] = unwrap(item, path, found);
        path.pop();
      }
    }
  } else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item !== null && typeof item === "object") {
        path.push(key);
        record[key] = unwrap(item, path, found);
        path.pop();
      }
    }
  }
  return node;
}
