/**
 * Regenerates the inputs/outputs part of every actions/<name>/README.md from its action.yml.
 * `--check` exits 1 when a README is stale, for CI.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { cell } from "../src/lib/summary.js";

const BEGIN = "<!-- BEGIN GENERATED: do not edit; `npm run docs` writes this from action.yml -->";
const END = "<!-- END GENERATED -->";

interface Metadata {
  name: string;
  description: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; post?: string };
}

const escapeCell = (text: string) => cell(text.trim());

export function renderGenerated(action: string, metadata: Metadata): string {
  const inputs = Object.entries(metadata.inputs ?? {});
  const outputs = Object.entries(metadata.outputs ?? {});
  const usage = inputs
    .filter(([, input]) => input.required)
    .map(([name]) => `    ${name}: …`)
    .join("\n");
  const lines = [
    BEGIN,
    "## Usage",
    "",
    "```yaml",
    `- uses: ./actions/${action}`,
    ...(usage ? ["  with:", usage] : []),
    "```",
    "",
    "## Inputs",
    "",
    "| name | required | default | description |",
    "| --- | --- | --- | --- |",
    ...inputs.map(
      ([name, input]) =>
        `| \`${name}\` | ${input.required ? "yes" : "no"} | ${input.default === undefined || input.default === "" ? "—" : `\`${escapeCell(String(input.default))}\``} | ${escapeCell(input.description ?? "")} |`,
    ),
    "",
    "## Outputs",
    "",
    "| name | description |",
    "| --- | --- |",
    ...outputs.map(([name, output]) => `| \`${name}\` | ${escapeCell(output.description ?? "")} |`),
    "",
    `Runs on \`${metadata.runs.using}\`${metadata.runs.post ? ", with a post step for cleanup" : ""}.`,
    END,
  ];
  return lines.join("\n");
}

function render(action: string, current: string | undefined, metadata: Metadata): string {
  const generated = renderGenerated(action, metadata);
  if (current?.includes(BEGIN) && current.includes(END)) {
    return current.slice(0, current.indexOf(BEGIN)) + generated + current.slice(current.indexOf(END) + END.length);
  }
  return `# ${metadata.name}\n\n${metadata.description}\n\n${generated}\n`;
}

const check = process.argv.includes("--check");
const stale: string[] = [];
for (const action of readdirSync("actions").sort()) {
  const metadataPath = join("actions", action, "action.yml");
  if (!existsSync(metadataPath)) continue;
  const readmePath = join("actions", action, "README.md");
  const current = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : undefined;
  let metadata: Metadata;
  try {
    metadata = parse(readFileSync(metadataPath, "utf8"));
  } catch (error) {
    const at = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    console.error(`${metadataPath}:${at ? `${at.line}:${at.col}` : "1:1"}: ${(error as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
  const next = render(action, current, metadata);
  if (next === current) continue;
  stale.push(readmePath);
  if (!check) writeFileSync(readmePath, next);
}
if (check && stale.length) {
  console.error(`Stale action docs (run \`npm run docs\`): ${stale.join(", ")}`);
  process.exit(1);
}
console.log(stale.length ? `${check ? "stale" : "wrote"}: ${stale.join(", ")}` : "action docs are fresh");
