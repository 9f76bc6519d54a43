/** A unified-style line diff (`-`/`+`/` ` prefixes, `context` unchanged lines around changes), for small texts. */
export function lineDiff(before: string, after: string, context = 2): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // Longest common subsequence table, from the end, so the walk below runs forward.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const lines: Array<{ mark: " " | "-" | "+"; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ mark: " ", text: a[i++] });
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) lines.push({ mark: "-", text: a[i++] });
    else lines.push({ mark: "+", text: b[j++] });
  }
  const keep = lines.map(
    (line, index) => line.mark !== " " || lines.slice(Math.max(0, index - context), index + context + 1).some((near) => near.mark !== " "),
  );
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(`${line.mark} ${line.text}`);
    else if (index === 0 || keep[index - 1]) out.push("  …");
  });
  return out.join("\n");
}
