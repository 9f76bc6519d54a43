/**
 * Packs a deployment's files into the gzipped tarball Vercel's archive mode expects (`.vercel/source.tgz`, split into
 * parts of up to 100 MiB, as @vercel/client 18 does with `archive: 'tgz'`), faster than the client's tar-fs + gzip:
 * - the contents are taken from memory when the hashing already read them, so no file is read twice;
 * - the tar stream is cut into blocks that are deflated in parallel by worker threads, each ending on a sync flush,
 *   and joined into one standard gzip member (header, the raw deflate blocks, CRC-32 and length): pigz's technique,
 *   so any gunzip reads it. Workers, not Node's async zlib: that runs on libuv's pool of four threads, where the file
 *   reads of the hashing would queue behind it;
 * - formats that are compressed already (images, fonts, video, archives) are put in the tarball last and stored
 *   (deflate level 0) instead of being squeezed again for nothing;
 * - the tar headers are deterministic (fixed mtime, owner 0), so the same files give the same parts and the same shas.
 */
import { createHash } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { lstat, readFile, readlink } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { relative, sep } from "node:path";
import { Worker } from "node:worker_threads";
import { crc32 } from "node:zlib";

/** The part size @vercel/client uses (`streamToBufferChunks`): 100 MiB. */
export const ARCHIVE_PART_BYTES = 100 * 1024 * 1024;
/** The name of part N inside the deployment. */
export const archivePartName = (index: number) => `.vercel/source.tgz.part${index + 1}`;

export interface ArchiveEntry {
  /** POSIX path relative to the project root, e.g. `.vercel/output/static/index.html`. */
  name: string;
  /** The file's stat mode (type bits included). */
  mode: number;
  kind: "file" | "directory" | "symlink";
  /** The content (a symlink's target for `symlink`); empty for directories. */
  data: Buffer;
}

export interface ArchivePart {
  sha: string;
  data: Buffer;
}

export interface ArchiveOptions {
  /** zlib level for compressible contents; 1 (fastest) by default. */
  level?: number;
  partBytes?: number;
  /** Uncompressed bytes per deflate block. */
  blockBytes?: number;
  /** Blocks deflated at once; defaults to the number of cores. */
  parallel?: number;
  signal?: AbortSignal;
}

export interface ArchiveResult {
  parts: ArchivePart[];
  /** Entries packed, and the bytes of the tarball before compression. */
  entries: number;
  tarBytes: number;
  gzipBytes: number;
}

/** Extensions whose contents are compressed already: deflating them again costs time and saves nothing. */
const STORED_EXTENSIONS = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "webp",
  "avif",
  "heic",
  "woff",
  "woff2",
  "mp4",
  "webm",
  "mov",
  "mp3",
  "ogg",
  "m4a",
  "zip",
  "gz",
  "tgz",
  "br",
  "zst",
  "7z",
  "pdf",
]);

export function isPrecompressed(name: string): boolean {
  const base = name.slice(name.lastIndexOf("/") + 1).toLowerCase();
  const dot = base.lastIndexOf(".");
  return dot > 0 && STORED_EXTENSIONS.has(base.slice(dot + 1));
}

const kindOf = (mode: number): ArchiveEntry["kind"] =>
  (mode & fsConstants.S_IFMT) === fsConstants.S_IFDIR
    ? "directory"
    : (mode & fsConstants.S_IFMT) === fsConstants.S_IFLNK
      ? "symlink"
      : "file";

const posixRelative = (root: string, path: string) => relative(root, path).split(sep).join("/");

/**
 * The entries of contents already in memory (the files map a hashing run produced: content → paths sharing it), one
 * per path, sorted by name. A content the hashing did not keep (over 2 GiB) is read here.
 */
export async function entriesFromFiles(
  root: string,
  files: Iterable<{ names: string[]; data?: Buffer; mode?: number }>,
): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  for (const file of files) {
    const mode = file.mode ?? 0o100644;
    const kind = kindOf(mode);
    const data = kind === "directory" ? Buffer.alloc(0) : (file.data ?? (await readFile(file.names[0])));
    for (const name of file.names) entries.push({ name: posixRelative(root, name), mode, kind, data });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reads the listed files (absolute paths under `root`), a bounded number at a time, as archive entries sorted by name. */
export async function readEntries(root: string, paths: readonly string[], concurrency = 64): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < paths.length; index = next++) {
      const path = paths[index];
      const stat = await lstat(path);
      const kind = kindOf(stat.mode);
      const data =
        kind === "directory" ? Buffer.alloc(0) : kind === "symlink" ? Buffer.from(await readlink(path), "utf8") : await readFile(path);
      entries[index] = { name: posixRelative(root, path), mode: stat.mode, kind, data };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Packs `entries` into gzipped tar parts. Compressible entries go first, precompressed ones (stored) last. */
export async function packArchive(entries: readonly ArchiveEntry[], options: ArchiveOptions = {}): Promise<ArchiveResult> {
  const writer = new GzipBlockWriter({
    partBytes: options.partBytes ?? ARCHIVE_PART_BYTES,
    blockBytes: options.blockBytes ?? 1024 * 1024,
    parallel: Math.max(1, options.parallel ?? availableParallelism()),
    level: options.level ?? 1,
    signal: options.signal,
  });
  try {
    for (const entry of entries) if (entry.kind !== "file" || !isPrecompressed(entry.name)) await writer.write(tarEntry(entry));
    await writer.setLevel(0);
    for (const entry of entries) if (entry.kind === "file" && isPrecompressed(entry.name)) await writer.write(tarEntry(entry));
    // The end of a tar archive: two zero blocks.
    await writer.write([Buffer.alloc(1024)]);
    return { ...(await writer.finish()), entries: entries.length };
  } finally {
    writer.close();
  }
}

/** The header (with a PAX record first when the name does not fit ustar), the content and its padding. */
function tarEntry(entry: ArchiveEntry): Buffer[] {
  const name = entry.kind === "directory" && !entry.name.endsWith("/") ? `${entry.name}/` : entry.name;
  const size = entry.kind === "file" ? entry.data.length : 0;
  const link = entry.kind === "symlink" ? entry.data.toString("utf8") : "";
  const pieces: Buffer[] = [];
  const split = splitUstarName(name);
  const linkFits = Buffer.byteLength(link) <= 100;
  if (!split || !linkFits) {
    const records = [...(split ? [] : [paxRecord("path", name)]), ...(linkFits ? [] : [paxRecord("linkpath", link)])].join("");
    const body = Buffer.from(records, "utf8");
    pieces.push(header({ name: "PaxHeader", size: body.length, mode: 0o644, type: "x" }), body, padding(body.length));
  }
  const [prefix, short] = split ?? ["", truncateBytes(name.replace(/^.*\//, ""), 100)];
  const type = entry.kind === "directory" ? "5" : entry.kind === "symlink" ? "2" : "0";
  pieces.push(header({ name: short, prefix, size, mode: entry.mode & 0o7777, type, linkname: linkFits ? link : "" }));
  if (size) pieces.push(entry.data, padding(size));
  return pieces;
}

/** A PAX record: "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restBytes = Buffer.byteLength(rest);
  let length = restBytes + 1;
  while (String(length).length + restBytes !== length) length = String(length).length + restBytes;
  return `${length}${rest}`;
}

/** ustar keeps a name as prefix (≤155 bytes) + "/" + name (≤100 bytes); undefined when it cannot. */
function splitUstarName(name: string): [string, string] | undefined {
  if (Buffer.byteLength(name) <= 100) return ["", name];
  for (let slash = name.indexOf("/"); slash >= 0; slash = name.indexOf("/", slash + 1)) {
    const prefix = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (Buffer.byteLength(prefix) > 155) return undefined;
    if (rest && Buffer.byteLength(rest) <= 100) return [prefix, rest];
  }
  return undefined;
}

function truncateBytes(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out;
}

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512);

function header(fields: { name: string; prefix?: string; size: number; mode: number; type: string; linkname?: string }): Buffer {
  const block = Buffer.alloc(512);
  const text = (value: string, offset: number, length: number) => block.write(value, offset, length, "utf8");
  const octal = (value: number, offset: number, length: number) => text(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length);
  text(fields.name, 0, 100);
  octal(fields.mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(fields.size, 124, 12);
  octal(0, 136, 12);
  block.fill(0x20, 148, 156);
  text(fields.type, 156, 1);
  text(fields.linkname ?? "", 157, 100);
  text("ustar\u000000", 257, 8);
  text(fields.prefix ?? "", 345, 155);
  let sum = 0;
  for (const byte of block) sum += byte;
  text(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return block;
}

/**
 * Collects the tar stream into blocks, deflates up to `parallel` blocks at once (raw deflate, each ended by a sync
 * flush so they join into one deflate stream), and cuts the gzip bytes into parts, hashing each as it fills.
 */
class GzipBlockWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private level: number;
  private crc = 0;
  private tarBytes = 0;
  private gzipBytes = 0;
  private readonly inFlight: Array<Promise<Buffer>> = [];
  private readonly parts: ArchivePart[] = [];
  private part: Buffer[] = [];
  private partSize = 0;
  private partHash = createHash("sha1");
  private readonly pool: DeflatePool;

  parallel: number;

  constructor(
    private readonly options: {
      partBytes: number;
      blockBytes: number;
      parallel: number;
      level: number;
      signal?: AbortSignal;
    },
  ) {
    this.pool = new DeflatePool();
    this.parallel = options.parallel;
    this.level = options.level;
    // gzip header: magic, deflate, no flags, mtime 0, no extra flags, OS unix.
    this.emit(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]));
  }

  async setLevel(level: number): Promise<void> {
    if (level === this.level) return;
    await this.flushBlock(false);
    this.level = level;
  }

  async write(pieces: Buffer[]): Promise<void> {
    for (const piece of pieces) {
      if (!piece.length) continue;
      this.pending.push(piece);
      this.pendingBytes += piece.length;
    }
    if (this.pendingBytes >= this.options.blockBytes) await this.flushBlock(false);
  }

  async finish(): Promise<{ parts: ArchivePart[]; tarBytes: number; gzipBytes: number }> {
    try {
      await this.flushBlock(true);
      while (this.inFlight.length) this.emit(await (this.inFlight.shift() as Promise<Buffer>));
    } finally {
      this.close();
    }
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.tarBytes % 2 ** 32, 4);
    this.emit(trailer);
    if (this.partSize) this.closePart();
    return { parts: this.parts, tarBytes: this.tarBytes, gzipBytes: this.gzipBytes };
  }

  /** Ends the workers; blocks still being deflated are dropped. */
  close(): void {
    this.pool.close();
    for (const pending of this.inFlight) pending.catch(() => {});
  }

  private async flushBlock(last: boolean): Promise<void> {
    if (!this.pendingBytes && !last) return;
    this.options.signal?.throwIfAborted();
    const block = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.crc = crc32(block, this.crc);
    this.tarBytes += block.length;
    this.inFlight.push(this.pool.deflate(block, this.level, last, this.parallel));
    // Keep the pool busy but bounded: emit the oldest block once `parallel` are being deflated.
    while (this.inFlight.length >= this.parallel + (last ? 0 : 1)) this.emit(await (this.inFlight.shift() as Promise<Buffer>));
  }

  /** Appends gzip bytes, closing a part each time it reaches the part size. */
  private emit(bytes: Buffer): void {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(bytes.length - offset, this.options.partBytes - this.partSize);
      const slice = bytes.subarray(offset, offset + take);
      this.part.push(slice);
      this.partHash.update(slice);
      this.partSize += take;
      this.gzipBytes += take;
      offset += take;
      if (this.partSize === this.options.partBytes) this.closePart();
    }
  }

  private closePart(): void {
    this.parts.push({ sha: this.partHash.digest("hex"), data: Buffer.concat(this.part, this.partSize) });
    this.part = [];
    this.partSize = 0;
    this.partHash = createHash("sha1");
  }
}

/** Deflates one block: raw deflate, ended by a sync flush (or, for the last block, by the final block). */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const zlib = require("node:zlib");
parentPort.on("message", ({ id, block, level, last }) => {
  try {
    const out = zlib.deflateRawSync(block, { level, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH });
    const copy = new Uint8Array(out);
    parentPort.postMessage({ id, out: copy }, [copy.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface DeflateJob {
  id: number;
  block: Buffer;
  level: number;
  last: boolean;
  worker?: Worker;
  resolve: (out: Buffer) => void;
  reject: (error: Error) => void;
}

/** Worker threads that deflate blocks, started as they are first needed, each given one block at a time. */
class DeflatePool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly jobs = new Map<number, DeflateJob>();
  private nextId = 0;
  private closed = false;

  deflate(block: Buffer, level: number, last: boolean, size: number): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const job: DeflateJob = { id: this.nextId++, block, level, last, resolve, reject };
      this.take(size).then(
        (worker) => this.post(job, worker),
        (error: Error) => reject(error),
      );
    });
  }

  close(): void {
    this.closed = true;
    for (const worker of this.all) void worker.terminate();
    for (const job of this.jobs.values()) job.reject(new Error("The archive packing was stopped."));
    this.jobs.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private post(job: DeflateJob, worker: Worker): void {
    if (this.closed) {
      job.reject(new Error("The archive packing was stopped."));
      return;
    }
    job.worker = worker;
    this.jobs.set(job.id, job);
    // A copy the worker owns: `block` may be a file's content that the deployment still holds.
    const copy = new Uint8Array(job.block);
    worker.postMessage({ id: job.id, block: copy, level: job.level, last: job.last }, [copy.buffer]);
  }

  private async take(size: number): Promise<Worker> {
    for (;;) {
      if (this.closed) throw new Error("The archive packing was stopped.");
      const ready = this.idle.pop();
      if (ready) return ready;
      if (this.all.length < size) return this.spawn();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    this.all.push(worker);
    worker.on("message", (message: { id: number; out?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(message.id);
      if (job?.worker !== worker) return;
      this.jobs.delete(message.id);
      this.idle.push(worker);
      this.waiting.shift()?.();
      if (message.out) job.resolve(Buffer.from(message.out.buffer, message.out.byteOffset, message.out.byteLength));
      else job.reject(new Error(`Could not compress the archive: ${message.error}`));
    });
    worker.on("error", (error) => {
      for (const [id, job] of this.jobs) {
        if (job.worker !== worker) continue;
        this.jobs.delete(id);
        job.reject(error);
      }
    });
    return worker;
  }
}
