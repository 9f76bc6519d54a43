/**
 * The lines a unified-diff patch adds, numbered in the new file. The API's `patch` field and `git diff` both
 * carry hunks as `@@ -a,b +c,d @@`; the `+c` start is all we need, then each line's first character tells its kind.
 */
export function addedLines(patch: string): Array<{ line: number; text: string }> {
  const added: Array<{ line: number; text: string }> = [];
  let next = 0;
  let inHunk = false;
  for (const raw of patch.split("\n")) {
    if (raw.startsWith("@@")) {
      const start = hunkNewStart(raw);
      inHunk = start !== undefined;
      next = start ?? 0;
      continue;
    }
    if (!inHunk) continue;
    const kind = raw[0];
    if (kind === "+") added.push({ line: next++, text: raw.slice(1).replace(/\r$/, "") });
    else if (kind === " ") next++;
    // "-" lines are not in the new file; "\ No newline at end of file" is not a line.
  }
  return added;
}

/** `@@ -12,7 +14,9 @@ context` → 14. A zero-length new side (`+14,0`) means nothing is added at 14. */
function hunkNewStart(header: string): number | undefined {
  const plus = header.split(" ").find((part) => part.startsWith("+"));
  const start = Number(plus?.slice(1).split(",")[0]);
  return Number.isInteger(start) ? start : undefined;
}
