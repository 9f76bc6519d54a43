import { spawn } from "node:child_process";

/** Runs a command and reports its wall time, and the peak RSS the child printed as `peak-rss-kb=N` (process.resourceUsage().maxRSS). */
export function measureProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ ms: number; peakRssMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (data: Buffer) => {
      stdout += data.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} exited ${code}`));
      const peak = /peak-rss-kb=(\d+)/.exec(stdout);
      resolve({ ms, peakRssMb: peak ? Number(peak[1]) / 1024 : Number.NaN, stdout });
    });
  });
}
