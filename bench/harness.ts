/** A bench scenario measures something and the baseline it is judged against, in the same run. */
export interface BenchRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** What `value` is compared with; omitted when the metric is absolute (e.g. bytes uploaded). */
  baseline?: number;
  /** The target: ratio ≤ maxRatio, or value ≤ maxValue when there is no baseline. */
  maxRatio?: number;
  maxValue?: number;
  note?: string;
}

export interface BenchScenario {
  name: string;
  run(): Promise<BenchRow[]>;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Median wall time of `rounds` runs of each, interleaved (a, b, a, b…) after one untimed warm-up of each, so order and JIT warm-up favour neither. */
export async function compareMedians(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a();
  await b();
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    times[0].push((await timed(a)).ms);
    times[1].push((await timed(b)).ms);
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return [median(times[0]), median(times[1])];
}

/** Runs work in a fresh Node process and returns its wall time and peak RSS, so memory is measured in isolation. */
export { measureProcess } from "./measure-process.js";

export function ratio(row: BenchRow): number | undefined {
  return row.baseline ? row.value / row.baseline : undefined;
}

export function meetsTarget(row: BenchRow): boolean | undefined {
  const r = ratio(row);
  if (row.maxRatio !== undefined && r !== undefined) return r <= row.maxRatio;
  if (row.maxValue !== undefined) return row.value <= row.maxValue;
  return undefined;
}
