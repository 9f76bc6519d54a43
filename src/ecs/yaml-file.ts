import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Document } from "yaml";
import { ConfigurationError } from "../lib/errors.js";
import { inputLabel } from "../lib/inputs.js";
import { formatSourcePlace, parseYamlSource } from "../lib/yaml-source.js";

export interface YamlFile {
  document: Document;
  /** `file:line:col` of an offset in the file, for error messages. */
  at(offset?: number): string;
}

/** Reads a JSON or YAML file named by an input; unreadable or malformed files become `file:line:col: …` errors. */
export function readYamlFile(path: string, inputName: string, root: string): YamlFile {
  const shown = relative(root, path) || path;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigurationError(`${inputLabel(inputName)}: cannot read ${shown}; the path is relative to the workspace.`);
  }
  const source = parseYamlSource(text, shown);
  const [error] = source.errors;
  if (error) throw new ConfigurationError(`${formatSourcePlace(error)}: ${error.message}`);
  return { document: source.document, at: (offset) => formatSourcePlace(source.placeAt(offset)) };
}
