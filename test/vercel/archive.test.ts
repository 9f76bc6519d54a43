import { createHash } from "node:crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { crc32, gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { type ArchiveEntry, isPrecompressed, packArchive, readEntries } from "../../src/vercel/archive.js";
import { readTarball } from "../fakes/tarball.js";
import { makeWorkspace, removeWorkspace } from "./support.js";

interface Unpacked {
  name: string;
  type: string;
  mode: number;
  data: Buffer;
  linkname?: string;
}

/** What any tar reader finds in the joined parts: the fake Vercel reads archives with the same function. */
async function unpack(parts: Buffer[]): Promise<Unpacked[]> {
  const entries = await readTarball(Buffer.concat(parts));
  return entries.map(({ header, data }) => ({
    name: header.name,
    type: header.type,
    mode: header.mode,
    data,
    linkname: (header as unknown as { linkname?: string }).linkname ?? undefined,
  }));
}

const file = (name: string, data: string | Buffer, mode = 0o100644): ArchiveEntry => ({
  name,
  mode,
  kind: "file",
  data: Buffer.isBuffer(data) ? data : Buffer.from(data),
});

/** Deterministic bytes that do not compress. */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed;
  for (let index = 0; index < bytes; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[index] = state >>> 24;
  }
  return out;
}

describe("archive packing (.vercel/source.tgz parts)", () => {
  let workspace: string | undefined;
  afterEach(() => {
    if (workspace) removeWorkspace(workspace);
    workspace = undefined;
  });

  it("packs files into one gzip member that a standard gunzip and tar reader unpack to the same names, modes and bytes", async () => {
    const long = `.vercel/output/static/${"nested-directory/".repeat(8)}page-${"x".repeat(60)}.js`;
    const longer = `.vercel/output/static/${"y".repeat(300)}.js`;
    const entries = [
      file(".vercel/output/config.json", '{"version":3}'),
      file(".vercel/output/static/index.html", "<h1>hi</h1>".repeat(1000)),
      file(".vercel/output/static/run.sh", "#!/bin/sh\n", 0o100755),
      file(long, "long name"),
      file(longer, "longer than ustar can hold"),
      file(".vercel/output/static/hero.webp", noise(300_000, 7)),
      { name: ".vercel/output/static/empty", mode: 0o40755, kind: "directory", data: Buffer.alloc(0) },
      { name: ".vercel/output/static/latest.js", mode: 0o120777, kind: "symlink", data: Buffer.from("index.html") },
    ] satisfies ArchiveEntry[];
    const packed = await packArchive(entries, { blockBytes: 4096, parallel: 3 });
    expect(packed.parts).toHaveLength(1);
    // One gzip member: its trailer holds the CRC-32 and length of the whole tarball.
    const gz = packed.parts[0].data;
    const tar = gunzipSync(gz);
    expect(tar.length).toBe(packed.tarBytes);
    expect(gz.readUInt32LE(gz.length - 4)).toBe(tar.length);
    expect(gz.readUInt32LE(gz.length - 8)).toBe(crc32(tar));
    expect(packed.parts[0].sha).toBe(createHash("sha1").update(packed.parts[0].data).digest("hex"));
    const found = await unpack(packed.parts.map((part) => part.data));
    const byName = new Map(found.map((entry) => [entry.name, entry]));
    for (const entry of entries.filter((candidate) => candidate.kind === "file")) {
      expect(byName.get(entry.name)?.data.equals(entry.data)).toBe(true);
      expect(byName.get(entry.name)?.mode).toBe(entry.mode & 0o7777);
    }
    expect(byName.get(".vercel/output/static/empty/")?.type).toBe("directory");
    expect(byName.get(".vercel/output/static/latest.js")).toMatchObject({ type: "symlink", linkname: "index.html" });
    // Precompressed formats go last, stored rather than deflated again.
    expect(found.at(-1)?.name).toBe(".vercel/output/static/hero.webp");
  });

  it("splits the gzip stream into parts of at most partBytes that join back into the archive", async () => {
    const entries = Array.from({ length: 40 }, (_, index) => file(`.vercel/output/static/${index}.bin`, noise(20_000, index)));
    const packed = await packArchive(entries, { partBytes: 100_000, blockBytes: 16_384 });
    expect(packed.parts.length).toBe(Math.ceil(packed.gzipBytes / 100_000));
    for (const part of packed.parts.slice(0, -1)) expect(part.data.length).toBe(100_000);
    const found = await unpack(packed.parts.map((part) => part.data));
    expect(found.map((entry) => entry.name)).toEqual(entries.map((entry) => entry.name));
    expect(found.every((entry, index) => entry.data.equals(entries[index].data))).toBe(true);
  });

  it("gives the same parts for the same files, whatever the parallelism", async () => {
    const entries = Array.from({ length: 50 }, (_, index) =>
      file(`.vercel/output/static/chunk-${index}.js`, `export const n=${index};`.repeat(500)),
    );
    const one = await packArchive(entries, { blockBytes: 8192, parallel: 1 });
    const four = await packArchive(entries, { blockBytes: 8192, parallel: 4 });
    expect(four.parts.map((part) => part.sha)).toEqual(one.parts.map((part) => part.sha));
    // Compressible text does shrink at level 1.
    expect(one.gzipBytes).toBeLessThan(one.tarBytes / 5);
  });

  it("reads files, directories and symlinks from disk as entries sorted by name", async () => {
    workspace = makeWorkspace({ "static/b.js": "b", "static/a.js": "a" });
    mkdirSync(`${workspace}/.vercel/output/static/dir`);
    symlinkSync("a.js", `${workspace}/.vercel/output/static/link.js`);
    writeFileSync(`${workspace}/.vercel/output/static/dir/c.css`, "c{}");
    const paths = ["static/b.js", "static/a.js", "static/dir", "static/dir/c.css", "static/link.js"].map(
      (path) => `${workspace}/.vercel/output/${path}`,
    );
    const entries = await readEntries(workspace, paths, 2);
    expect(entries.map((entry) => [entry.name, entry.kind, entry.data.toString()])).toEqual([
      [".vercel/output/static/a.js", "file", "a"],
      [".vercel/output/static/b.js", "file", "b"],
      [".vercel/output/static/dir", "directory", ""],
      [".vercel/output/static/dir/c.css", "file", "c{}"],
      [".vercel/output/static/link.js", "symlink", "a.js"],
    ]);
  });

  it("knows the formats that are compressed already by their extension", () => {
    expect(["a.png", "b.JPG", "c.woff2", "d.webp", "e.js.gz"].map(isPrecompressed)).toEqual([true, true, true, true, true]);
    expect(["a.js", "b.css", "c.js.map", "d.svg", "webp", ".png"].map(isPrecompressed)).toEqual([false, false, false, false, false, false]);
  });
});
