import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../src/lib/logger.js";
import { deployWithClient } from "../src/vercel/deploy.js";
import { VercelFake } from "../test/fakes/vercel.js";
import { type BenchScenario, timed } from "./harness.js";

const FILES = 10_000;
const DUPLICATE_SHARE = 0.1;
const AVERAGE_BYTES = 20_000;

/** 10,000 files, ~200 MB, every tenth a copy of an earlier one; returns the root and the file paths. */
function generateOutput(): { root: string; paths: string[]; uniqueBytes: number } {
  const root = mkdtempSync(join(tmpdir(), "launchpad-vercel-bench-"));
  const output = join(root, ".vercel/output");
  const paths: string[] = [];
  const contents: Buffer[] = [];
  let uniqueBytes = 0;
  for (let index = 0; index < FILES; index++) {
    const dir = join(output, "static", `chunk-${Math.floor(index / 500)}`);
    if (index % 500 === 0) mkdirSync(dir, { recursive: true });
    const duplicate = index > 0 && index % Math.round(1 / DUPLICATE_SHARE) === 0;
    const content = duplicate
      ? contents[(index * 7919) % contents.length]
      : randomBytes(AVERAGE_BYTES / 2 + Math.floor(Math.random() * AVERAGE_BYTES));
    if (!duplicate) {
      contents.push(content);
      uniqueBytes += content.length;
    }
    const path = join(dir, `asset-${index}.js`);
    writeFileSync(path, content);
    paths.push(path);
  }
  writeFileSync(join(output, "config.json"), JSON.stringify({ version: 3 }));
  paths.push(join(output, "config.json"));
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

/**
 * Runs in a child process (`--serve-vercel-fake`): the fake Vercel API plus the baseline's upload sink, so their
 * request handling runs on the other core, as the real service would, and not inside the measured process.
 */
async function serveFake(): Promise<void> {
  const fake = await new VercelFake().start();
  fake.keepContent = false;
  fake.verifyDigests = false;
  fake.addProject("prj_bench");
  fake.route("GET", "/__bench/stats", () => ({
    body: { uploadedBytes: fake.uploadedBytes, uploadedFiles: fake.uploadedFiles, token: fake.token },
  }));
  // Requests are recorded with their bodies; the bench does not read them.
  setInterval(() => fake.requests.splice(0), 500).unref();
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

async function stats(url: string): Promise<{ uploadedBytes: number; uploadedFiles: number; token: string }> {
  return (await fetch(`${url}/__bench/stats`)).json() as Promise<{ uploadedBytes: number; uploadedFiles: number; token: string }>;
}

export const vercelScenario: BenchScenario = {
  name: "vercel",
  async run() {
    const generated = generateOutput();
    const server = await startFakeProcess();
    const { token } = await stats(server.fake);
    const deploy = () =>
      deployWithClient(
        {
          token,
          projectId: "prj_bench",
          apiUrl: server.fake,
          path: generated.root,
          prebuilt: true,
          outputDir: join(generated.root, ".vercel/output"),
          target: "preview",
          meta: {},
        },
        { logger: silentLogger, signal: AbortSignal.timeout(120_000) },
      );
    try {
      const base = await timed(() => baseline(generated.paths, server.sink));
      const first = await timed(deploy);
      if (!first.result.ok) throw new Error(`first deploy failed: ${first.result.error}`);
      const before = await stats(server.fake);
      const again = await timed(deploy);
      if (!again.result.ok) throw new Error(`redeploy failed: ${again.result.error}`);
      const after = await stats(server.fake);
      const mb = (generated.uniqueBytes / 1024 / 1024).toFixed(0);
      return [
        {
          scenario: "vercel",
          metric: `first deploy of ${FILES} files vs sha1 of all + one ${mb} MB loopback upload`,
          value: first.ms,
          baseline: base.ms,
          unit: "ms",
          maxRatio: 1.5,
          note: `${before.uploadedFiles} uploads`,
        },
        {
          scenario: "vercel",
          metric: "unchanged redeploy: bytes uploaded",
          value: after.uploadedBytes - before.uploadedBytes,
          unit: "B",
          maxValue: 0,
        },
        { scenario: "vercel", metric: "unchanged redeploy: time", value: again.ms, baseline: base.ms, unit: "ms" },
      ];
    } finally {
      server.stop();
      rmSync(generated.root, { recursive: true, force: true });
    }
  },
};

if (process.argv.includes("--serve-vercel-fake")) await serveFake();
