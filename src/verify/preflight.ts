import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { parseChecks } from "./checks.js";
import { serveStatic } from "./static-server.js";
import { runVerify } from "./verify.js";

/** The example's smoke tests, run against its prebuilt static output served on localhost. */
const LOCAL_CHECKS = ["GET /health 200 contains=ok max-ms=2000", "GET / 200 contains=Blockbuilders", "GET /no-such-page 404"];

export const verifyPreflight: PreflightStep = {
  name: "verify",
  async run({ root, logger, signal }) {
    const staticDir = join(root, ".vercel/output/static");
    if (!existsSync(staticDir)) return { ok: false, headline: `no prebuilt output at ${staticDir}`, markdown: "Nothing to serve.\n" };
    const server = await serveStatic(staticDir);
    try {
      const checks = parseChecks(
        LOCAL_CHECKS.map((text, index) => ({ line: index + 1, text })),
        "checks",
      );
      const result = await runVerify(
        { url: server.url, checks, tlsMinDays: 0, attempts: 1, timeoutMs: 5_000, retryDelayMs: 200 },
        { logger, signal },
      );
      const headline = result.passed
        ? `${checks.length} smoke checks passed on .vercel/output/static`
        : `${result.failed} of ${checks.length} smoke checks failed`;
      return { ok: result.passed, headline, markdown: result.markdown };
    } finally {
      await server.close();
    }
  },
};
