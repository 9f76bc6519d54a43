/**
 * Reads and hashes a deployment's files into the map @vercel/client's creation step takes (sha1 → the paths sharing
 * that content, the content, mode and size), as its own `hashes()` builds it (test/vercel/files.test.ts compares the
 * two): whole files in memory, a symlink's target as its content, directories under no sha. Reading them ourselves
 * lets each file be handed on as it is read, e.g. to an archive being packed alongside.
 */
import { createHash } from "node:crypto";
import { createReadStream, constants as fs } from "node:fs";
import { lstat, readFile, readlink } from "node:fs/promises";
import type { ClientFile, ClientFiles } from "./client.js";

/** Past this, the client hashes a file as a stream and keeps only its size (Buffers stop at 2 GiB). */
const MAX_BUFFER_FILE_SIZE = 2 ** 31 - 1;

export interface ReadFile {
  path: string;
  mode: number;
  kind: "file" | "directory" | "symlink";
  /** Undefined for directories and files too big to hold. */
  data?: Buffer;
}

/**
 * Hashes `paths` (absolute), `concurrency` at a time. `onRead` sees every path once, in the order of `paths`
 * (whatever order the reads finish in), so what it builds is the same on every run.
 */
export async function hashFiles(
  paths: readonly string[],
  options: { concurrency?: number; signal?: AbortSignal; onRead?: (file: ReadFile) => void } = {},
): Promise<ClientFiles> {
  const map = new Map<string | undefined, ClientFile>();
  const done: Array<ReadFile | undefined> = new Array(paths.length);
  let handed = 0;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < paths.length; index = next++) {
      options.signal?.throwIfAborted();
      const path = paths[index];
      const stat = await lstat(path);
      const type = stat.mode & fs.S_IFMT;
      const kind = type === fs.S_IFDIR ? "directory" : type === fs.S_IFLNK ? "symlink" : "file";
      let data: Buffer | undefined;
      let size: number | undefined;
      let sha: string | undefined;
      if (kind === "symlink") {
        data = Buffer.from(await readlink(path), "utf8");
      } else if (kind === "file" && stat.size > MAX_BUFFER_FILE_SIZE) {
        size = stat.size;
        sha = await hashStream(path);
      } else if (kind === "file") {
        data = await readFile(path);
      }
      if (data) {
        size = data.length;
        sha = createHash("sha1").update(data).digest("hex");
      }
      const known = map.get(sha);
      if (known) {
        if (!known.names.includes(path)) known.names.push(path);
      } else map.set(sha, { names: [path], data, mode: stat.mode, size });
      if (options.onRead) {
        done[index] = { path, mode: stat.mode, kind, data };
        for (; handed < paths.length && done[handed]; handed++) {
          options.onRead(done[handed] as ReadFile);
          done[handed] = undefined;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 64, paths.length) }, worker));
  return map as ClientFiles;
}

async function hashStream(path: string): Promise<string> {
  const hash = createHash("sha1");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
