/** Parses what an action wrote to stdout and to the runner's command files, the way the runner reads them. */

export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  title?: string;
}

const COMMAND = /^::(error|warning|notice|add-mask|debug|group|endgroup)(?: ([^:]*))?::(.*)$/;

function unescapeData(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ":").replace(/%2C/g, ",");
}

export function parseStdout(stdout: string): { annotations: Annotation[]; masks: string[]; debug: string[] } {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const debug: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = COMMAND.exec(line);
    if (!match) continue;
    const [, command, rawProperties = "", data] = match;
    if (command === "add-mask") masks.push(unescapeData(data));
    if (command === "debug") debug.push(unescapeData(data));
    if (command !== "error" && command !== "warning" && command !== "notice") continue;
    const properties = Object.fromEntries(
      rawProperties
        .split(",")
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf("=");
          return [pair.slice(0, at), unescapeProperty(pair.slice(at + 1))];
        }),
    );
    annotations.push({
      level: command,
      message: unescapeData(data),
      file: properties.file,
      line: properties.line ? Number(properties.line) : undefined,
      endLine: properties.endLine ? Number(properties.endLine) : undefined,
      col: properties.col ? Number(properties.col) : undefined,
      title: properties.title,
    });
  }
  return { annotations, masks, debug };
}

/** The runner's command files are read by the same reader `launchpad preflight --run-steps` uses. */
export { parseCommandFile } from "../../src/lib/command-file.js";
