/** GitHub's limits that summaries and check runs must stay under. */
export const LIMITS = {
  jobSummaryBytes: 1024 * 1024,
  checkRunText: 65_535,
  commentBody: 65_536,
  releaseBody: 125_000,
  annotationsPerRequest: 50,
  /** The runner shows this many workflow-command annotations of each level per step. */
  annotationsShownPerLevel: 10,
} as const;

const TRUNCATION_NOTE = "\n\n_…truncated to stay within GitHub's size limit._\n";

/** Escapes a value for one markdown table cell. */
export function cell(value: unknown): string {
  const text = value === undefined || value === null || value === "" ? "—" : String(value);
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

export function table(headers: string[], rows: unknown[][]): string {
  const lines = [`| ${headers.map(cell).join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

/** Cuts text to at most `limit` characters (UTF-16 units, as GitHub counts), at a line break where possible. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return cutAtLineBreak(text, limit - TRUNCATION_NOTE.length) + TRUNCATION_NOTE;
}

/** Cuts text to at most `limit` UTF-8 bytes, for the job summary file. */
export function truncateBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const room = limit - Buffer.byteLength(TRUNCATION_NOTE);
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  return cutAtLineBreak(text, low) + TRUNCATION_NOTE;
}

/** The first `room` characters, ending at the last line break when one is in the second half. */
function cutAtLineBreak(text: string, room: number): string {
  const cut = text.lastIndexOf("\n", room);
  return text.slice(0, cut > room / 2 ? cut : room);
}

export function verdict(ok: boolean): string {
  return ok ? "✅ pass" : "❌ fail";
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
