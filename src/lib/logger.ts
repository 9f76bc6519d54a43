/** What cores log through; the action passes one backed by @actions/core, the CLI one backed by the console. */
export interface Logger {
  info(message: string): void;
  warning(message: string, where?: AnnotationPlace): void;
  error(message: string, where?: AnnotationPlace): void;
  notice?(message: string, where?: AnnotationPlace): void;
  debug(message: string): void;
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export interface AnnotationPlace {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
}

export function formatPlace(where?: AnnotationPlace): string {
  if (!where?.file) return "";
  const column = where.startColumn ? `:${where.startColumn}` : "";
  return `${where.file}${where.startLine ? `:${where.startLine}${column}` : ""}: `;
}

/** A logger for the CLI and for tests: plain lines on the given streams, secrets redacted. */
export function consoleLogger(
  options: { verbose?: boolean; redact?: (text: string) => string; write?: (line: string) => void } = {},
): Logger {
  const redact = options.redact ?? ((text: string) => text);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    info: (message) => write(redact(message)),
    warning: (message, where) => write(redact(`warning: ${formatPlace(where)}${message}`)),
    error: (message, where) => write(redact(`error: ${formatPlace(where)}${message}`)),
    notice: (message, where) => write(redact(`notice: ${formatPlace(where)}${message}`)),
    debug: (message) => {
      if (options.verbose) write(redact(`debug: ${message}`));
    },
    async group(name, work) {
      write(redact(`▸ ${name}`));
      return work();
    },
  };
}

/** Discards everything; for cores called where nobody reads the log. */
export const silentLogger: Logger = {
  info() {},
  warning() {},
  error() {},
  debug() {},
  group: (_name, work) => work(),
};
