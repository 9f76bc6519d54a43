import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { lstat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { buildFileTree } from "@vercel/client";
import { ConfigurationError } from "../lib/errors.js";
import { table } from "../lib/summary.js";
import { formatBytes } from "./progress.js";

export interface DeployPlan {
  files: number;
  /** Distinct contents by sha1: what a first deploy uploads. */
  unique: number;
  totalBytes: number;
  uniqueBytes: number;
  functions: number;
  largest: Array<{ path: string; bytes: number }>;
}

/**
 * What a deploy of `outputDir` would send, computed without credentials: the same file list @vercel/client builds
 * for a prebuilt deploy, each file hashed as it will be, so duplicates count once.
 */
export async function planDeploy(root: string, outputDir: string, options: { largest?: number } = {}): Promise<DeployPlan> {
  checkConfig(root, outputDir);
  const { fileList } = await buildFileTree(root, { isDirectory: true, prebuilt: true, vercelOutputDir: outputDir }, () => {});
  const seen = new Set<string>();
  const plan: DeployPlan = { files: 0, unique: 0, totalBytes: 0, uniqueBytes: 0, functions: 0, largest: [] };
  const sizes: Array<{ path: string; bytes: number }> = [];
  for (const file of fileList) {
    const stat = await lstat(file);
    if (stat.isDirectory()) continue;
    const path = relative(root, file).split(sep).join("/");
    const sha = await sha1File(file);
    plan.files++;
    plan.totalBytes += stat.size;
    if (path.endsWith(".func/.vc-config.json")) plan.functions++;
    sizes.push({ path, bytes: stat.size });
    if (seen.has(sha)) continue;
    seen.add(sha);
    plan.unique++;
    plan.uniqueBytes += stat.size;
  }
  plan.largest = sizes.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, options.largest ?? 5);
  return plan;
}

function checkConfig(root: string, outputDir: string): void {
  const path = join(outputDir, "config.json");
  const shown = relative(root, path).split(sep).join("/");
  if (!existsSync(path)) throw new ConfigurationError(`${shown}: not found; build the Build Output first.`);
  let config: { version?: unknown };
  try {
    config = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`${shown}:1:1: not valid JSON (${(error as Error).message}).`);
  }
  if (config.version !== 3)
    throw new ConfigurationError(`${shown}: "version" is ${JSON.stringify(config.version)}; the Build Output API needs 3.`);
}

function sha1File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha1");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

export function planMarkdown(plan: DeployPlan): string {
  const overview = table(
    ["files", "distinct contents", "total", "unique (first upload)", "functions"],
    [[plan.files, plan.unique, formatBytes(plan.totalBytes), formatBytes(plan.uniqueBytes), plan.functions]],
  );
  const largest = table(
    ["largest files", "size"],
    plan.largest.map((file) => [`\`${file.path}\``, formatBytes(file.bytes)]),
  );
  return `${overview}\n${largest}`;
}
