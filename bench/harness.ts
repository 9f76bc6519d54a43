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
