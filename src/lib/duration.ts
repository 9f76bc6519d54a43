const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Parses `500ms`, `90s`, `15m`, `1h` (or a combination like `1m30s`) into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const parts = text.trim().match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (!parts || parts.join("") !== text.trim()) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = DURATION.exec(part) ?? [];
    total += Number(amount) * (UNIT_MS[unit as string] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * `250ms`, `12.3s`, `4m5s`, `2h3m`: every unit floored, as codeql-action's formatDuration does, so a value just
 * under a boundary never rounds up into "1m60s" or "60.0s".
 */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.floor(ms));
  if (whole < 1_000) return `${whole}ms`;
  if (whole < 60_000) return `${(Math.floor(whole / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(whole / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3_600)}h${Math.floor(seconds / 60) % 60}m`;
}
