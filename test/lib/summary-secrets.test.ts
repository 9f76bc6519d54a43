import { describe, expect, it } from "vitest";
import { Secrets } from "../../src/lib/secrets.js";
import { chunk, table, truncate, truncateBytes } from "../../src/lib/summary.js";

describe("summary helpers", () => {
  it("escapes pipes and newlines so one value stays in one cell", () => {
    expect(
      table(
        ["a", "b"],
        [
          ["x|y", "1\n2"],
          [undefined, 0],
        ],
      ),
    ).toBe("| a | b |\n| --- | --- |\n| x\\|y | 1<br>2 |\n| — | 0 |\n");
  });

  it("truncates to the character limit with a note, preferring a line break", () => {
    const text = Array.from({ length: 5000 }, (_, index) => `line ${index}`).join("\n");
    const cut = truncate(text, 1000);
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut).toMatch(/line \d+\n\n_…truncated to stay within GitHub's size limit._\n$/);
    expect(truncate("short", 1000)).toBe("short");
  });

  it("truncates to a byte limit with multi-byte characters", () => {
    const cut = truncateBytes("✅".repeat(10_000), 4_000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4_000);
    expect(cut.startsWith("✅✅")).toBe(true);
  });

  it("chunks annotations into batches", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe("secrets", () => {
  it("redacts a value and the password inside a connection string, raw and percent-decoded", () => {
    const secrets = new Secrets();
    const masked: string[] = [];
    secrets.onAdd((value) => masked.push(value));
    secrets.add(`postgres://seed:${encodeURIComponent("p@ss w0rd!")}@db.internal:5432/app`);
    secrets.add("tok_abc123");
    const text = "connect with password p@ss w0rd! or p%40ss%20w0rd! using tok_abc123";
    expect(secrets.redact(text)).toBe("connect with password *** or *** using ***");
    expect(masked).toContain("p@ss w0rd!");
  });

  it("redacts a secret's URL-encoded form, as it appears in a query string, and masks that form too", () => {
    // Not a URL and with characters encodeURIComponent changes, so only the encoded variant can catch it.
    const token = "tok/ab+c=12";
    const encoded = encodeURIComponent(token);
    expect(encoded).not.toContain(token);
    const secrets = new Secrets();
    const masked: string[] = [];
    secrets.onAdd((value) => masked.push(value));
    secrets.add(token);
    expect(secrets.redact(`GET /callback?token=${encoded}`)).toBe("GET /callback?token=***");
    expect(masked).toEqual([token, encoded]);
  });

  it("ignores empty and very short values that would mask ordinary text", () => {
    const secrets = new Secrets();
    secrets.add("");
    secrets.add("a");
    expect(secrets.redact("a value")).toBe("a value");
  });
});
