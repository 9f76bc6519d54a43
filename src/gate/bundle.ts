import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { findReports, repoPath } from "./files.js";
import type { BundleResults } from "./model.js";

const gzipAsync = promisify(gzip);

/** Gzip size (zlib's default level, as vite and Next.js report it) of every file the globs match. */
export async function measureBundle(
  patterns: readonly string[],
  cwd: string,
  workspace: string,
  missingOk: boolean,
): Promise<BundleResults | undefined> {
  const paths = await findReports("bundle", patterns, { cwd, workspace }, missingOk);
  if (!paths) return undefined;
  const files = await Promise.all(
    paths.map(async (path) => {
      const content = await readFile(path);
      return { path: repoPath(path, workspace), bytes: content.length, gzipBytes: (await gzipAsync(content)).length };
    }),
  );
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  return {
    files,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
  };
}
