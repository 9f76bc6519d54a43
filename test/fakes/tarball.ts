import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { extract, type Header } from "tar-stream";

/** One entry of a gzipped tarball, as tar-stream reads it. */
export interface TarballEntry {
  header: Header;
  data: Buffer;
}

/** Gunzips and reads a tarball with tar-stream: how the fake Vercel and the archive tests both read archives. */
export async function readTarball(gzipped: Buffer): Promise<TarballEntry[]> {
  const found: TarballEntry[] = [];
  const reader = extract();
  reader.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      found.push({ header, data: Buffer.concat(chunks) });
      next();
    });
  });
  await pipeline(Readable.from([gzipped]), createGunzip(), reader);
  return found;
}
