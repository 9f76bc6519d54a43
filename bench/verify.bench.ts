import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { silentLogger } from "../src/lib/logger.js";
import { parseChecks } from "../src/verify/checks.js";
import { probe } from "../src/verify/probe.js";
import { runVerify } from "../src/verify/verify.js";
import { type BenchScenario, compareMedians } from "./harness.js";

const CHECKS = 200;

/** 200 checks against a loopback server, against the baseline of 200 bare requests to it. */
export const verifyScenario: BenchScenario = {
  name: "verify",
  async run() {
    const server = createServer((_request, response) => response.end('{"status":"ok"}'));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const checks = parseChecks(
        Array.from({ length: CHECKS }, (_, index) => ({ line: index + 1, text: `GET /health/${index} 200 contains=ok` })),
        "checks",
      );
      const [baseline, measured] = await compareMedians(
        5,
        async () => {
          for (let index = 0; index < CHECKS; index++) await probe(new URL(`${url}/health/${index}`), "GET", 5_000);
        },
        () => runVerify({ url, checks, tlsMinDays: 0, attempts: 1, timeoutMs: 5_000, retryDelayMs: 100 }, { logger: silentLogger }),
      );
      return [
        { scenario: "verify", metric: `${CHECKS} checks vs ${CHECKS} bare requests`, value: measured, baseline, unit: "ms", maxRatio: 1.5 },
      ];
    } finally {
      server.close();
    }
  },
};
