/** Regenerates dist/: one ncc bundle per action entry, plus the CLI. Usage: npm run build [-- name…] */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { type Bundle, listBundles } from "./bundles.js";

const run = promisify(execFile);
const only = new Set(process.argv.slice(2));
const bundles = listBundles().filter((bundle) => only.size === 0 || only.has(bundle.out.split("/")[0]));

if (only.size === 0) rmSync("dist", { recursive: true, force: true });

async function build(bundle: Bundle): Promise<void> {
  const out = join("dist", bundle.out);
  rmSync(join(out, "index.js"), { force: true });
  const externals = (bundle.shipped ?? []).flatMap((name) => ["-e", name]);
  const started = Date.now();
  await run(
    process.execPath,
    ["node_modules/@vercel/ncc/dist/ncc/cli.js", "build", bundle.entry, "-o", out, "--license", "licenses.txt", "-q", ...externals],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  for (const name of bundle.shipped ?? []) shipPackage(name, out);
  console.log(`built dist/${bundle.out}/index.js in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Copies an external package beside the bundle, without source maps, so the runner resolves it at run time. */
function shipPackage(name: string, out: string): void {
  const target = join(out, "node_modules", name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join("node_modules", name), target, { recursive: true, filter: (source) => !source.endsWith(".map") });
  if (!existsSync(join(target, "package.json"))) throw new Error(`shipping ${name} failed`);
}

const queue = [...bundles];
const workers = Array.from({ length: Math.max(1, Math.min(2, availableParallelism())) }, async () => {
  for (let bundle = queue.shift(); bundle; bundle = queue.shift()) await build(bundle);
});
await Promise.all(workers);
