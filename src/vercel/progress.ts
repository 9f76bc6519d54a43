import type { Logger } from "../lib/logger.js";
import type { ClientFile, ClientFiles } from "./client.js";

/** File counts of one deploy, across our retries: what the summary's "files" column shows. */
export interface FileStats {
  /** Files in the deployment (every path). */
  total: number;
  /** Distinct contents (sha1): what could need uploading at most. */
  unique: number;
  /** Paths whose content another path already carries (total - unique). */
  deduplicated: number;
  totalBytes: number;
  uniqueBytes: number;
  /** Contents actually sent to Vercel; 0 when Vercel already had all of them. */
  uploaded: number;
  uploadedBytes: number;
}

export function emptyFileStats(): FileStats {
  return { total: 0, unique: 0, deduplicated: 0, totalBytes: 0, uniqueBytes: 0, uploaded: 0, uploadedBytes: 0 };
}

const fileSize = (file: ClientFile | undefined) => file?.data?.length ?? file?.size ?? 0;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Turns @vercel/client's file events into counts and log lines: hashed, missing, uploaded (every 10%). */
export class UploadProgress {
  readonly stats = emptyFileStats();
  private sizes = new Map<string, number>();
  private planned = 0;
  private plannedBytes = 0;
  private doneInAttempt = 0;
  private nextReport = 0;
  private counted = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** `quiet` for the hashing that follows our uploads: the same files again. */
  hashed(files: ClientFiles, quiet = false): void {
    const stats = this.stats;
    Object.assign(stats, { total: 0, unique: 0, totalBytes: 0, uniqueBytes: 0 });
    for (const [sha, file] of files) {
      // Directories are listed under no sha: nothing to upload.
      if (sha === undefined) continue;
      const size = fileSize(file);
      this.sizes.set(sha, size);
      stats.unique++;
      stats.uniqueBytes += size;
      stats.total += file.names.length;
      stats.totalBytes += size * file.names.length;
    }
    stats.deduplicated = stats.total - stats.unique;
    if (quiet) return;
    this.logger.info(
      `Hashed ${stats.total} files (${formatBytes(stats.totalBytes)}): ${stats.unique} distinct contents, ${stats.deduplicated} duplicate${stats.deduplicated === 1 ? "" : "s"} sent once.`,
    );
  }

  /** `fileCount` files (`tarBytes` as a tarball) were packed into these archive parts: the parts are what Vercel stores. */
  archived(parts: ClientFiles, fileCount: number, tarBytes?: number): void {
    const stats = this.stats;
    Object.assign(stats, { total: fileCount, unique: parts.size, deduplicated: 0, totalBytes: 0, uniqueBytes: 0 });
    for (const [sha, part] of parts) {
      const size = fileSize(part);
      this.sizes.set(sha, size);
      stats.totalBytes += size;
      stats.uniqueBytes += size;
    }
    this.logger.info(
      `Packed ${fileCount} files${tarBytes === undefined ? "" : ` (${formatBytes(tarBytes)})`} into ${parts.size} archive part${parts.size === 1 ? "" : "s"} (${formatBytes(stats.totalBytes)} gzipped).`,
    );
  }

  missing(shas: string[]): void {
    this.planned = shas.length;
    this.plannedBytes = shas.reduce((sum, sha) => sum + (this.sizes.get(sha) ?? 0), 0);
    this.doneInAttempt = 0;
    this.counted.clear();
    this.nextReport = Math.max(1, Math.ceil(this.planned / 10));
    this.logger.info(
      `Vercel is missing ${shas.length} of ${this.stats.unique} contents: uploading ${formatBytes(this.plannedBytes)}; the rest are already stored.`,
    );
  }

  /** Counts each content once per attempt, whoever reports it (our uploader, or the client if it uploads too). */
  uploaded(sha: string): void {
    if (this.counted.has(sha)) return;
    this.counted.add(sha);
    this.stats.uploaded++;
    this.stats.uploadedBytes += this.sizes.get(sha) ?? 0;
    this.doneInAttempt++;
    if (this.doneInAttempt >= this.nextReport || this.doneInAttempt === this.planned) {
      this.logger.info(`Uploaded ${this.doneInAttempt}/${this.planned} files.`);
      this.nextReport = this.doneInAttempt + Math.max(1, Math.ceil(this.planned / 10));
    }
  }
}
