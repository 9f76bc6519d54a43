import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigurationError } from "../lib/errors.js";

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
    throw new ConfigurationError(`Input '${inputName}': cannot read ${shown}; the path is relative to the workspace.`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset = 0) => {
    const { line, col } = lines.linePos(offset);
    return `${shown}:${line}:${col}`;
  };
  const error = document.errors[0];
  if (error)
    throw new ConfigurationError(`${at(error.pos[0])}: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
  return { document, at };
}
