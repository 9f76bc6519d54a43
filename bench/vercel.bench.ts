import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../src/lib/logger.js";
import { VercelApi } from "../src/vercel/api.js";
import { createVercelClient } from "../src/vercel/client.js";
import { type DeployOutcome, deployWithClient } from "../src/vercel/deploy.js";
import type { ArchiveMode } from "../src/vercel/settings.js";
import { VercelFake } from "../test/fakes/vercel.js";
import { type BenchRow, type BenchScenario, timed } from "./harness.js";

const FILES = 10_000;
const DUPLICATE_SHARE = 0.1;
const AVERAGE_BYTES = 17_000;
/** The Vercel CLI peer, pinned. 64.0.2 (the newest) does not install here: its sandbox@4.4.0 is not in the registry. */
const VERCEL_CLI = "60.1.3";
const TOKEN = "vctBenchToken123";

/** A seeded PRNG (mulberry32), so every run deploys the same bytes. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYWORDS =
  "function return const let var this null void 0 undefined true false if else for while new typeof instanceof in of throw try catch finally switch case break default continue async await class extends super import export from delete".split(
    " ",
  );
const API_NAMES =
  "props children className useState useEffect useMemo useCallback useRef createElement jsx jsxs Fragment forwardRef memo Promise resolve reject then length push map filter reduce forEach Object keys assign defineProperty prototype call apply bind Symbol iterator document window addEventListener removeEventListener querySelector style display none block flex onClick onChange value target preventDefault default module exports require __esModule enumerable get set configurable writable Array isArray Error message toString JSON stringify parse router pathname query href Link Image src alt width height".split(
    " ",
  );
const PUNCTUATION = ["(", ")", "{", "}", ";", ",", ".", "=", "=>", "===", "!==", "&&", "||", "?", ":", "[", "]", "+", "!", " "];

/**
 * Minified-JS-like text: keywords, framework names, short mangled identifiers, string and number literals, joined by
 * punctuation, drawn Zipf-like. It gzips about 2.4× (level 6), less than real bundles and source maps (3.5–6× and
 * more), so the bench does not flatter compression.
 */
function jsLike(random: () => number): (bytes: number) => Buffer {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  const vocabulary = Array.from({ length: 600 }, (_, index) => {
    const pick = random();
    if (pick < 0.25) return KEYWORDS[index % KEYWORDS.length];
    if (pick < 0.55) return API_NAMES[index % API_NAMES.length];
    if (pick < 0.8) return letters[index % letters.length] + (index < letters.length ? "" : letters[Math.floor(index / letters.length)]);
    if (pick < 0.9) return `"${Math.floor(random() * 1e6).toString(36)}"`;
    return String(Math.floor(random() * 1000));
  });
  return (bytes) => {
    const parts: string[] = [];
    let length = 0;
    while (length < bytes) {
      const word = vocabulary[Math.floor(random() ** 2.5 * vocabulary.length)];
      const mark = PUNCTUATION[Math.floor(random() ** 2 * PUNCTUATION.length)];
      parts.push(word, mark);
      length += word.length + mark.length;
    }
    return Buffer.from(parts.join("").slice(0, bytes));
  };
}

/** Incompressible bytes, as images and fonts are, from the same seeded stream. */
function binary(random: () => number, bytes: number): Buffer {
  const data = Buffer.alloc(bytes);
  for (let offset = 0; offset + 4 <= bytes; offset += 4) data.writeUInt32LE(Math.floor(random() * 2 ** 32), offset);
  return data;
}

/**
 * 10,000 files, ~170 MB, the same on every run: eight in ten JS-like text (`.js`, every third a `.js.map`), one in
 * ten images (`.webp`, incompressible), every tenth a copy of an earlier file.
 */
function generateOutput(): { root: string; paths: string[]; uniqueBytes: number } {
  const root = mkdtempSync(join(tmpdir(), "launchpad-vercel-bench-"));
  const output = join(root, ".vercel/output");
  const random = seeded(20_261_201);
  const text = jsLike(random);
  const paths: string[] = [];
  const contents: Buffer[] = [];
  let uniqueBytes = 0;
  for (let index = 0; index < FILES; index++) {
    const dir = join(output, "static", `chunk-${Math.floor(index / 500)}`);
    if (index % 500 === 0) mkdirSync(dir, { recursive: true });
    const duplicate = index > 0 && index % Math.round(1 / DUPLICATE_SHARE) === 0;
    const size = AVERAGE_BYTES / 2 + Math.floor(random() * AVERAGE_BYTES);
    const image = index % 10 === 5;
    const content = duplicate ? contents[(index * 7919) % contents.length] : image ? binary(random, size) : text(size);
    if (!duplicate) {
      contents.push(content);
      uniqueBytes += content.length;
    }
    const path = join(dir, image ? `image-${index}.webp` : index % 3 === 0 ? `asset-${index}.js.map` : `asset-${index}.js`);
    writeFileSync(path, content);
    paths.push(path);
  }
  writeFileSync(join(output, "config.json"), JSON.stringify({ version: 3 }));
  paths.push(join(output, "config.json"));
  // Links the output for the Vercel CLI; outside .vercel/output, so no prebuilt deploy lists it.
  writeFileSync(join(root, ".vercel/project.json"), JSON.stringify({ projectId: "prj_bench", orgId: "team_bench", settings: {} }));
  return { root, paths, uniqueBytes };
}

/** The floor for any deploy: read and sha1 every file, then send the distinct bytes once over loopback. */
async function baseline(paths: string[], url: string): Promise<void> {
  const seen = new Set<string>();
  const distinct: Buffer[] = [];
  for (let start = 0; start < paths.length; start += 100) {
    const batch = await Promise.all(paths.slice(start, start + 100).map((path) => readFile(path)));
    for (const data of batch) {
      const sha = createHash("sha1").update(data).digest("hex");
      if (!seen.has(sha)) {
        seen.add(sha);
        distinct.push(data);
      }
    }
  }
  await new Promise<void>((resolve, reject) => {
    const upload = request(`${url}/upload`, { method: "POST", headers: { "content-type": "application/octet-stream" } }, (response) => {
      response.resume().on("end", resolve);
    });
    upload.on("error", reject);
    for (const data of distinct) upload.write(data);
    upload.end();
  });
}

interface FakeStats {
  uploadedBytes: number;
  uploadedFiles: number;
  requests: number;
}

/**
 * Runs in a child process (`--serve-vercel-fake`): the fake Vercel API plus the baseline's upload sink, so their
 * request handling runs on the other core, as the real service would, and not inside the measured process. It also
 * answers the few account calls the Vercel CLI makes before it deploys.
 */
async function serveFake(): Promise<void> {
  const fake = await new VercelFake().start();
  fake.token = TOKEN;
  fake.keepContent = false;
  fake.verifyDigests = false;
  fake.addProject("prj_bench", "bench");
  // Node's 5 s keep-alive timeout closes sockets a slow client still means to reuse; the Vercel CLI's client then
  // gives up every upload on the one "fetch failed". A long timeout keeps the peer row about speed.
  (fake as unknown as { server: { keepAliveTimeout: number } }).server.keepAliveTimeout = 300_000;
  let counted = 0;
  const team = { id: "team_bench", slug: "bench", name: "Bench" };
  fake.route("GET", "/v2/user", () => ({
    body: { user: { id: "usr_bench", uid: "usr_bench", username: "bench", email: "bench@example.com" } },
  }));
  fake.route("GET", "/teams/:id", () => ({ body: team }));
  fake.route("GET", "/v1/teams", () => ({ body: { teams: [team], pagination: { count: 1, next: null, prev: null } } }));
  fake.route("GET", "/v3/now/deployments/:id/events", () => ({ body: "" }));
  fake.route("GET", "/__bench/stats", () => ({
    body: { uploadedBytes: fake.uploadedBytes, uploadedFiles: fake.uploadedFiles, requests: counted + fake.requests.length - 1 },
  }));
  // A first deploy again: Vercel forgets every stored file.
  fake.route("POST", "/__bench/reset", () => {
    fake.blobs.clear();
    return { body: {} };
  });
  // Requests are recorded with their bodies; the bench reads only their number.
  setInterval(() => {
    counted += fake.requests.length;
    fake.requests.splice(0);
  }, 500).unref();
  const sink = createServer((incoming, response) => incoming.resume().on("end", () => response.end("{}")));
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  process.stdout.write(`fake=${fake.url} sink=http://127.0.0.1:${(sink.address() as AddressInfo).port}\n`);
  process.stdin.resume().on("end", () => process.exit(0));
}

async function startFakeProcess(): Promise<{ fake: string; sink: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--serve-vercel-fake"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (data: Buffer) => {
      text += data;
      if (text.includes("\n")) resolve(text);
    });
    child.on("exit", (code) => reject(new Error(`the fake Vercel process exited with ${code}`)));
  });
  const [, fake, sink] = /fake=(\S+) sink=(\S+)/.exec(line) ?? [];
  return { fake, sink, stop: () => child.kill() };
}

async function stats(url: string): Promise<FakeStats> {
  return (await fetch(`${url}/__bench/stats`)).json() as Promise<FakeStats>;
}

const delta = (after: FakeStats, before: FakeStats) => ({
  files: after.uploadedFiles - before.uploadedFiles,
  bytes: after.uploadedBytes - before.uploadedBytes,
  // The stats call itself is one request.
  requests: after.requests - before.requests - 1,
});

/** Installs the pinned Vercel CLI into a cache outside the repository; undefined (with why) when it cannot. */
function vercelCli(): { bin?: string; why?: string } {
  const dir = join(tmpdir(), `launchpad-bench-vercel-cli-${VERCEL_CLI}`);
  const bin = join(dir, "node_modules/.bin/vercel");
  if (existsSync(bin)) return { bin };
  mkdirSync(dir, { recursive: true });
  const install = spawnSync(
    "npm",
    ["install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", `vercel@${VERCEL_CLI}`],
    { encoding: "utf8", timeout: 300_000 },
  );
  if (install.status !== 0 || !existsSync(bin))
    return { why: `npm install vercel@${VERCEL_CLI} failed: ${install.stderr.trim().split("\n")[0]}` };
  return { bin };
}

const CLI_LIMIT_MS = 180_000;

function runVercelCli(bin: string, root: string, api: string): Promise<{ code: number | null; killed: boolean; output: string }> {
  const home = mkdtempSync(join(tmpdir(), "launchpad-bench-vercel-home-"));
  return new Promise((resolve) => {
    const child = spawn(bin, ["deploy", "--prebuilt", "--api", api, "--token", TOKEN, "--yes", "--no-color"], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: home, VERCEL_TELEMETRY_DISABLED: "1", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data));
    child.stderr.on("data", (data: Buffer) => (output += data));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill();
    }, CLI_LIMIT_MS);
    child.on("exit", (code) => {
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
      resolve({ code, killed, output });
    });
  });
}

export const vercelScenario: BenchScenario = {
  name: "vercel",
  async run() {
    const generated = generateOutput();
    const server = await startFakeProcess();
    const reset = () => fetch(`${server.fake}/__bench/reset`, { method: "POST" });
    const scope = { token: TOKEN, projectId: "prj_bench", apiUrl: server.fake };
    const client = createVercelClient({});
    const deploy = (archive: ArchiveMode) => {
      const signal = AbortSignal.timeout(180_000);
      return deployWithClient(
        {
          ...scope,
          path: generated.root,
          prebuilt: true,
          outputDir: join(generated.root, ".vercel/output"),
          target: "preview",
          meta: {},
          archive,
          aliasWaitMs: 0,
          aliasesRequested: false,
        },
        { logger: silentLogger, signal, client, api: new VercelApi(scope, signal) },
      );
    };
    /** One deploy with what it sent; a failed deploy fails the bench. */
    const measured = async (archive: ArchiveMode) => {
      const before = await stats(server.fake);
      const run = await timed(() => deploy(archive));
      if (!run.result.ok) throw new Error(`deploy (archive: ${archive}) failed: ${run.result.error}`);
      return { ms: run.ms, outcome: run.result, sent: delta(await stats(server.fake), before) };
    };
    const sentNote = (sent: ReturnType<typeof delta>, outcome?: DeployOutcome) =>
      `${outcome ? `${outcome.upload.mode}, ` : ""}${sent.files} uploads, ${(sent.bytes / 1024 / 1024).toFixed(0)} MB, ${sent.requests} requests`;
    try {
      const base = await timed(() => baseline(generated.paths, server.sink));
      const mb = (generated.uniqueBytes / 1024 / 1024).toFixed(0);
      const rows: BenchRow[] = [];
      const first = (label: string, run: Awaited<ReturnType<typeof measured>>, maxRatio?: number): BenchRow => ({
        scenario: "vercel",
        metric: `first deploy of ${FILES} files, ${label}, vs sha1 of all + one ${mb} MB loopback upload`,
        value: run.ms,
        baseline: base.ms,
        unit: "ms",
        maxRatio,
        note: sentNote(run.sent, run.outcome),
      });
      await reset();
      rows.push(first("archive: auto", await measured("auto"), 1.5));
      await reset();
      rows.push(first("archive: always", await measured("always")));
      await reset();
      rows.push(first("archive: never (per file)", await measured("never")));

      const again = await measured("auto");
      rows.push({ scenario: "vercel", metric: "unchanged redeploy: bytes uploaded", value: again.sent.bytes, unit: "B", maxValue: 0 });
      rows.push({ scenario: "vercel", metric: "unchanged redeploy: time", value: again.ms, baseline: base.ms, unit: "ms" });
      writeFileSync(generated.paths[1234], `${Date.now()} changed`);
      const change = await measured("auto");
      rows.push({
        scenario: "vercel",
        metric: "one-file change (auto): files uploaded",
        value: change.sent.files,
        unit: "files",
        maxValue: 1,
        note: sentNote(change.sent, change.outcome),
      });

      const cli = vercelCli();
      if (cli.bin) {
        await reset();
        const before = await stats(server.fake);
        const run = await timed(() => runVercelCli(cli.bin as string, generated.root, server.fake));
        const sent = delta(await stats(server.fake), before);
        rows.push({
          scenario: "vercel",
          metric: `peer: vercel@${VERCEL_CLI} deploy --prebuilt --api <fake>, first deploy of ${FILES} files`,
          value: run.ms,
          baseline: base.ms,
          unit: "ms",
          note:
            run.result.code === 0
              ? sentNote(sent)
              : run.result.killed
                ? `stopped after ${CLI_LIMIT_MS / 1000} s, unfinished: ${sentNote(sent)}`
                : `exited ${run.result.code} after ${sentNote(sent)}: ${run.result.output.trim().split("\n").slice(-2).join(" ").slice(0, 160)}`,
        });
      } else {
        rows.push({ scenario: "vercel", metric: `peer: vercel@${VERCEL_CLI}`, value: Number.NaN, unit: "ms", note: cli.why });
      }
      return rows;
    } finally {
      server.stop();
      rmSync(generated.root, { recursive: true, force: true });
    }
  },
};

if (process.argv.includes("--serve-vercel-fake")) await serveFake();
