import { table, verdict } from "../lib/summary.js";
import type { VerifyResult } from "./verify.js";

/** The job-summary markdown: one row per check, then the certificate. */
export function renderVerifyReport(url: string, result: Omit<VerifyResult, "markdown">): string {
  const rows = result.checks.map((item) => [
    item.check.method,
    item.check.path,
    item.status ?? "—",
    item.latencyMs ?? "—",
    item.passed ? verdict(true) : `${verdict(false)}: ${item.reason}`,
  ]);
  if (result.tls) {
    const detail = result.tls.daysLeft === undefined ? result.tls.reason : `${result.tls.daysLeft} days left (${result.tls.validTo})`;
    rows.push([
      "TLS",
      "certificate",
      "—",
      "—",
      result.tls.passed ? `${verdict(true)}: ${detail}` : `${verdict(false)}: ${result.tls.reason}`,
    ]);
  }
  const headline = result.passed ? `All ${rows.length} checks passed` : `${result.failed} of ${rows.length} checks failed`;
  return `### Verify ${url}\n\n${headline}.\n\n${table(["method", "path", "status", "latency (ms)", "verdict"], rows)}`;
}
