/**
 * Sizes like `250KB`. Decimal units are powers of 1000 (KB, MB) and binary units powers of 1024 (KiB, MiB),
 * as npm, bundlers and size-limit print them; a bare number is bytes.
 */
const UNITS: Record<string, number> = { b: 1, kb: 1_000, mb: 1_000_000, gb: 1_000_000_000, kib: 1_024, mib: 1_048_576, gib: 1_073_741_824 };

export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = UNITS[(match[2] || "b").toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

export function formatSize(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
