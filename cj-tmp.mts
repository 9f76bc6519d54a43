import { readFileSync } from "node:fs";
import { loadFast } from "./src/seed/yaml-fast.ts";
import { canonicalJson } from "./src/seed/snapshot.ts";
const data = loadFast(readFileSync("/tmp/seedprof/ws/seed/market-symbols.yaml", "utf8")).data as any;
const value = { table: data.table, key: [data.key], rows: data.rows, version: undefined, prune: false };
function sortedClone(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) { const out = new Array(value.length); for (let i = 0; i < value.length; i++) out[i] = sortedClone(value[i]); return out; }
  const keys = Object.keys(value).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = sortedClone((value as any)[k]);
  return out;
}
let lastKeys: string[] = [], lastSorted: string[] = [];
function sortedClone2(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) { const out = new Array(value.length); for (let i = 0; i < value.length; i++) out[i] = sortedClone2(value[i]); return out; }
  const keys = Object.keys(value);
  let same = keys.length === lastKeys.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === lastKeys[i];
  let sorted: string[];
  if (same) sorted = lastSorted; else { sorted = [...keys].sort(); lastKeys = keys; lastSorted = sorted; }
  const out: Record<string, unknown> = {};
  for (const k of sorted) out[k] = sortedClone2((value as any)[k]);
  return out;
}
const t = (n: string, f: () => string) => { const s = performance.now(); const r = f(); console.log(n, (performance.now() - s).toFixed(0), r.length); return r; };
const which = process.argv[2];
if (which === "a") t("canonical", () => canonicalJson(value));
if (which === "b") t("clone+stringify", () => JSON.stringify(sortedClone(value)));
if (which === "c") t("clone2+stringify", () => JSON.stringify(sortedClone2(value)));
if (which === "plain") t("plain", () => JSON.stringify(value));
if (which === "eq") console.log(canonicalJson(value) === JSON.stringify(sortedClone2(value)));
