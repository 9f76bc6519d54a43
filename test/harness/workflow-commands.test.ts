import { describe, expect, it } from "vitest";
import { parseCommandFile, parseStdout } from "./workflow-commands.js";

describe("runner command parsing used by the harness", () => {
  it("reads name=value lines and heredoc blocks from command files", () => {
    expect(parseCommandFile("a=1\nreport<<ghadelimiter_x\nline 1\nline 2\nghadelimiter_x\nb=\n")).toEqual({
      a: "1",
      report: "line 1\nline 2",
      b: "",
    });
    expect(() => parseCommandFile("x<<EOF\nno end")).toThrow("unterminated x<<EOF block");
  });

  it("reads annotations with their properties and escaped data", () => {
    const parsed = parseStdout(
      "plain\n::error file=src/a.ts,line=3,col=5,title=lint%3A x::bad%0Athing\n::add-mask::s3cret\n::warning::careful",
    );
    expect(parsed.annotations).toEqual([
      { level: "error", message: "bad\nthing", file: "src/a.ts", line: 3, endLine: undefined, col: 5, title: "lint: x" },
      { level: "warning", message: "careful", file: undefined, line: undefined, endLine: undefined, col: undefined, title: undefined },
    ]);
    expect(parsed.masks).toEqual(["s3cret"]);
  });
});
