import { type Document, type DocumentOptions, LineCounter, type ParseOptions, parseDocument, type SchemaOptions } from "yaml";

/** A position in a source file, for `file:line:col` messages and annotations. */
export interface SourcePlace {
  file: string;
  line: number;
  col: number;
}

export function formatSourcePlace(place: SourcePlace): string {
  return `${place.file}:${place.line}:${place.col}`;
}

export interface YamlSource {
  document: Document;
  /** The place of a character offset in the text. */
  placeAt(offset?: number): SourcePlace;
  /** Parse errors, each at its place, with the first line of the parser's message. */
  errors: Array<SourcePlace & { message: string }>;
}

/** Parses YAML (or JSON) keeping track of lines, so every later finding can name its `file:line:col`. */
export function parseYamlSource(text: string, file: string, options: ParseOptions & DocumentOptions & SchemaOptions = {}): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...options, lineCounter, prettyErrors: false });
  const placeAt = (offset = 0): SourcePlace => ({ file, ...lineCounter.linePos(offset) });
  const errors = document.errors.map((error) => ({
    ...placeAt(error.pos[0]),
    message: error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
  }));
  return { document, placeAt, errors };
}
