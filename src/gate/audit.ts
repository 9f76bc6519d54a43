import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { ConfigurationError, RemoteError } from "../lib/errors.js";
import { commandEnv } from "./commands.js";
import { type AuditFinding, type AuditResults, SEVERITIES, type Severity } from "./model.js";
import type { AuditSetting } from "./settings.js";

export interface AuditDeps {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Runs `npm audit --json` / `pnpm audit --json`, or reads a JSON file an earlier step produced. */
export async function collectAudit(setting: AuditSetting, cwd: string, deps: AuditDeps): Promise<AuditResults | undefined> {
  if (setting.mode === "none") return undefined;
  if (setting.mode === "file") {
    let text: string;
    try {
      text = await readFile(setting.path, "utf8");
    } catch {
      throw new ConfigurationError(`Input 'audit' names ${setting.path}, which does not exist; produce it first or use npm, pnpm or none.`);
    }
    return parseAudit(parseJson(text, setting.path), setting.path);
  }
  const command = `${setting.mode} audit --json`;
  const { stdout, stderr, code } = await run(setting.mode, ["audit", "--json"], cwd, deps);
  if (!stdout.trim()) {
    const why = stderr.trim().split("\n")[0] || "no output";
    throw new RemoteError(`${command} printed no JSON (exit code ${code}): ${why}`);
  }
  return parseAudit(parseJson(stdout, command), command);
}

function parseJson(text: string, source: string): any {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${source}:1:1: not audit JSON: ${(error as Error).message}`);
  }
}

/** Reads npm audit v2 (`vulnerabilities` + `metadata.vulnerabilities`) and npm v1 / pnpm (`advisories`) JSON. */
export function parseAudit(report: any, source: string): AuditResults {
  if (report?.error) {
    const { code, summary, message } = report.error;
    throw new RemoteError(`${source} failed: ${[code, summary ?? message].filter(Boolean).join(": ") || "unknown error"}`, undefined, code);
  }
  const findings: AuditFinding[] = [];
  if (report?.vulnerabilities && typeof report.vulnerabilities === "object") {
    for (const [name, entry] of Object.entries<any>(report.vulnerabilities)) {
      const advisory = (entry.via ?? []).find((via: unknown) => typeof via === "object");
      findings.push({ name, severity: severity(entry.severity), title: advisory?.title, url: advisory?.url });
    }
  } else if (report?.advisories && typeof report.advisories === "object") {
    for (const advisory of Object.values<any>(report.advisories)) {
      findings.push({ name: advisory.module_name, severity: severity(advisory.severity), title: advisory.title, url: advisory.url });
    }
  } else if (!report?.metadata?.vulnerabilities) {
    throw new ConfigurationError(
      `${source}:1:1: not npm or pnpm audit JSON (expected vulnerabilities, advisories or metadata.vulnerabilities).`,
    );
  }
  const counts = Object.fromEntries(SEVERITIES.map((level) => [level, 0])) as Record<Severity, number>;
  const metadata = report?.metadata?.vulnerabilities;
  for (const level of SEVERITIES)
    counts[level] = metadata ? Number(metadata[level]) || 0 : findings.filter((finding) => finding.severity === level).length;
  findings.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.name.localeCompare(b.name));
  return { source, counts, total: SEVERITIES.reduce((sum, level) => sum + counts[level], 0), findings };
}

function severity(value: unknown): Severity {
  const level = String(value ?? "").toLowerCase();
  return (SEVERITIES as readonly string[]).includes(level) ? (level as Severity) : "info";
}

function run(file: string, args: string[], cwd: string, deps: AuditDeps): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = commandEnv(deps.env);
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, signal: deps.signal, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (failure?.code === "ENOENT") return reject(new ConfigurationError(`Input 'audit' is ${file}, but ${file} is not on PATH.`));
      if (failure?.name === "AbortError") return reject(deps.signal?.reason ?? failure);
      // Audits exit non-zero when they find something; the JSON is still the answer.
      resolve({ stdout, stderr, code: typeof failure?.code === "number" ? failure.code : 0 });
    });
  });
}
