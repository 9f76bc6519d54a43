/**
 * Gate parsing at scale: a 100,000-testcase JUnit file (2% failing) and a 5,000-file lcov report, parsed in a fresh
 * process; reported against a fresh process that only reads the same files. Run directly, this file is that child.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BenchRow, type BenchScenario, measureProcess } from "./harness.js";

const TESTCASES = 100_000;
const LCOV_FILES = 5_000;
const ROUNDS = 3;
const HERE = import.meta.filename;

function generate(dir: string): void {
  const junit: string[] = ['<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests">\n'];
  const suites = TESTCASES / 100;
  for (let suite = 0; suite < suites; suite++) {
    const file = `test/module-${suite}.test.ts`;
    junit.push(`  <testsuite name="${file}" tests="100">\n`);
    for (let test = 0; test < 100; test++) {
      const failure =
        test % 50 === 7
          ? `\n      <failure message="expected 41 to be 42 // Object.is equality" type="AssertionError">AssertionError: expected 41 to be 42\n ❯ ${file}:${test + 3}:17\n      </failure>\n    `
          : "";
      junit.push(
        `    <testcase classname="${file}" name="module ${suite} &gt; case ${test} handles orders &amp; fills" time="0.001">${failure}</testcase>\n`,
      );
    }
    junit.push("  </testsuite>\n");
  }
  junit.push("</testsuites>\n");
  writeFileSync(join(dir, "reports/junit.xml"), junit.join(""));
  const lcov: string[] = [];
  for (let file = 0; file < LCOV_FILES; file++) {
    lcov.push(`TN:\nSF:src/feature-${file}/index.ts\nFN:1,main\nFNF:1\nFNH:1\nFNDA:3,main\n`);
    for (let line = 1; line <= 40; line++) lcov.push(`DA:${line},${line % 5 === 0 ? 0 : 3}\n`);
    lcov.push("LF:40\nLH:32\nBRF:0\nBRH:0\nend_of_record\n");
  }
  writeFileSync(join(dir, "coverage/lcov.info"), lcov.join(""));
}

async function child(mode: string, dir: string): Promise<void> {
  let started = performance.now();
  if (mode === "read") {
    readFileSync(join(dir, "reports/junit.xml"), "utf8");
    readFileSync(join(dir, "coverage/lcov.info"), "utf8");
  } else {
    const { collectCoverage, collectTests } = await import("../src/gate/reports.js");
    // Module loading (tsx transpiling) is not parsing: the clock starts once the code is loaded.
    started = performance.now();
    const places = { workingDirectory: dir, workspace: dir };
    const tests = await collectTests(["reports/*.xml"], places, false);
    const coverage = await collectCoverage(["coverage/lcov.info"], places, false);
    if (tests?.total !== TESTCASES || coverage?.files.length !== LCOV_FILES) throw new Error("bench: parsed counts are wrong");
  }
  const ms = performance.now() - started;
  process.stdout.write(`work-ms=${ms.toFixed(1)}\npeak-rss-kb=${process.resourceUsage().maxRSS}\n`);
}

export const gateScenario: BenchScenario = {
  name: "gate",
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), "launchpad-gate-bench-"));
    mkdirSync(join(dir, "reports"));
    mkdirSync(join(dir, "coverage"));
    try {
      generate(dir);
      return await measure(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function measure(dir: string): Promise<BenchRow[]> {
  const root = resolve(import.meta.dirname, "..");
  const runChild = async (mode: string) => {
    const result = await measureProcess(process.execPath, ["--import", "tsx", HERE, mode, dir], { cwd: root });
    return { ...result, workMs: Number(/work-ms=([\d.]+)/.exec(result.stdout)?.[1]) };
  };
  // Best of three fresh processes each, alternating, so a busy machine skews both sides alike.
  const runs: Record<"read" | "parse", Array<Awaited<ReturnType<typeof runChild>>>> = { read: [], parse: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.read.push(await runChild("read"));
    runs.parse.push(await runChild("parse"));
  }
  const best = (mode: "read" | "parse") => ({
    workMs: Math.min(...runs[mode].map((run) => run.workMs)),
    ms: Math.min(...runs[mode].map((run) => run.ms)),
    peakRssMb: Math.max(...runs[mode].map((run) => run.peakRssMb)),
  });
  const read = best("read");
  const parse = best("parse");
  const note = `${TESTCASES} testcases + ${LCOV_FILES}-file lcov; best of ${ROUNDS}`;
  return [
    { scenario: "gate", metric: "parse time", value: parse.workMs, unit: "ms", baseline: read.workMs, maxValue: 1_000, note },
    {
      scenario: "gate",
      metric: "process wall time",
      value: parse.ms,
      unit: "ms",
      baseline: read.ms,
      note: "node + tsx startup included",
    },
    {
      scenario: "gate",
      metric: "parse peak RSS",
      value: parse.peakRssMb,
      unit: "MB",
      baseline: read.peakRssMb,
      maxValue: 300,
      note: "fresh process, incl. tsx; worst of 3",
    },
  ];
}

if (process.argv[1] === HERE) await child(process.argv[2] ?? "parse", process.argv[3] ?? ".");
