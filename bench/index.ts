/** `npm run bench [-- name…]`: runs the scenarios and prints each measurement as a ratio against its same-run baseline. */
import { type BenchRow, meetsTarget, ratio } from "./harness.js";
import { SCENARIOS } from "./scenarios.js";

const only = new Set(process.argv.slice(2));
const rows: BenchRow[] = [];
for (const scenario of SCENARIOS) {
  if (only.size && !only.has(scenario.name)) continue;
  console.error(`bench: ${scenario.name}…`);
  rows.push(...(await scenario.run()));
}

const format = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? "—" : value.toFixed(digits));
const lines = [
  "| scenario | metric | value | baseline | ratio | target | met |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((row) => {
    const target = row.maxRatio !== undefined ? `≤ ${row.maxRatio}×` : row.maxValue !== undefined ? `≤ ${row.maxValue} ${row.unit}` : "—";
    const met = meetsTarget(row);
    return `| ${row.scenario} | ${row.metric}${row.note ? ` (${row.note})` : ""} | ${format(row.value)} ${row.unit} | ${row.baseline === undefined ? "—" : `${format(row.baseline)} ${row.unit}`} | ${format(ratio(row), 2)} | ${target} | ${met === undefined ? "—" : met ? "yes" : "NO"} |`;
  }),
];
console.log(lines.join("\n"));
