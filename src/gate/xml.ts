import { type SaxesOptions, SaxesParser } from "saxes";
import { ConfigurationError } from "../lib/errors.js";

/** What a report parser does with the events of one document; saxes decodes text, CDATA and the predefined entities. */
export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  /** Character data and CDATA sections alike, already decoded. */
  text?(text: string): void;
}

const BOM_UTF8 = [0xef, 0xbb, 0xbf];

/**
 * Decodes a report's bytes: as its XML declaration says for XML (UTF-8 unless declared otherwise; UTF-16 with a BOM),
 * UTF-8 for lcov and JSON.
 * The declaration is read by saxes from a latin1 view of the first bytes, which is exact for the ASCII it is written in.
 */
export function decodeReport(bytes: Uint8Array, source: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const utf8Bom = BOM_UTF8.every((byte, index) => bytes[index] === byte);
  const body = utf8Bom ? bytes.subarray(3) : bytes;
  const encoding = declaredEncoding(Buffer.from(body.subarray(0, 512)).toString("latin1"));
  if (!encoding || /^utf-?8$/i.test(encoding)) return new TextDecoder("utf-8").decode(body);
  if (/^utf-?16/i.test(encoding))
    throw new ConfigurationError(`${source}:1:1: encoding "${encoding}" is declared but the file has no byte order mark.`);
  try {
    return new TextDecoder(encoding).decode(body);
  } catch {
    throw new ConfigurationError(`${source}:1:1: the XML declaration names encoding "${encoding}", which this runner cannot decode.`);
  }
}

function declaredEncoding(head: string): string | undefined {
  if (!head.startsWith("<?xml")) return undefined;
  let encoding: string | undefined;
  const parser = new SaxesParser({ position: false });
  parser.on("xmldecl", (declaration) => {
    encoding = declaration.encoding;
  });
  parser.on("error", () => {});
  const end = head.indexOf("?>");
  parser.write(head.slice(0, end < 0 ? head.length : end + 2));
  return encoding;
}

export interface ParseOptions {
  /** Names the document kind in messages: "JUnit XML", "cobertura XML". */
  kind: string;
  source: string;
}

/**
 * Streams one document through saxes (strict XML 1.0): comments, CDATA, processing instructions and DOCTYPEs are the
 * parser's business. Only the five predefined entities and numeric references are decoded; entities a DOCTYPE declares
 * are not expanded, so a document using one is refused, naming why. External entities are never read.
 */
export function parseXml(text: string, options: ParseOptions, handlers: XmlHandlers): void {
  const { source, kind } = options;
  if (text.trim() === "") throw new ConfigurationError(`${source}:1:1: the ${kind} report is empty.`);
  const parser = new SaxesParser({ xmlns: false } satisfies SaxesOptions);
  let declaresEntities = false;
  parser.on("doctype", (doctype) => {
    declaresEntities ||= doctype.includes("<!ENTITY");
  });
  // Where each open element starts, so an unclosed one is named at its own place, not where the parser noticed.
  const opened: string[] = [];
  let lastClosed = "";
  parser.on("opentagstart", (tag) => {
    opened.push(`<${tag.name}> opened at ${parser.line}:${parser.column - tag.name.length - 1}`);
  });
  parser.on("opentag", (tag) => {
    if (tag.isSelfClosing) opened.pop();
    handlers.open(tag.name, tag.attributes as Record<string, string>);
  });
  parser.on("closetag", (tag) => {
    lastClosed = opened.pop() ?? "";
    handlers.close(tag.name);
  });
  if (handlers.text) {
    parser.on("text", handlers.text);
    parser.on("cdata", handlers.text);
  }
  parser.on("error", (error) => {
    let message = error.message;
    // saxes names neither tag; ours say which element is left open and where it started.
    if (message.endsWith("unexpected close tag.")) message = `${lastClosed} is not closed before this closing tag.`;
    else if (message.includes("unclosed tag: ")) message = `${opened.at(-1)} is never closed (truncated report?).`;
    throw malformed(message, parser, declaresEntities, options);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw malformed((error as Error).message, parser, declaresEntities, options);
  }
}

function malformed(message: string, parser: SaxesParser, declaresEntities: boolean, options: ParseOptions): ConfigurationError {
  // saxes prefixes its messages with line:column; ours come first, in the file:line:col form.
  const reason = message.replace(/^\d+:\d+: /, "").replace(/\.$/, "");
  const why =
    declaresEntities && reason === "undefined entity"
      ? "undefined entity (entities declared in a DOCTYPE are not expanded; only &lt; &gt; &amp; &quot; &apos; and numeric references are)"
      : reason;
  return new ConfigurationError(`${options.source}:${parser.line}:${Math.max(1, parser.column)}: malformed ${options.kind}: ${why}.`);
}
