/** Reads a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file: `name=value` lines and `name<<DELIM` blocks. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++) body.push(lines[index]);
      if (index >= lines.length) throw new Error(`unterminated ${name}<<${delimiter} block`);
      values[name] = body.join("\n");
      continue;
    }
    const at = line.indexOf("=");
    if (at < 1) throw new Error(`malformed command-file line: ${line}`);
    values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}
