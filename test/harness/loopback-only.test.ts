import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isLoopbackTarget } from "./loopback-only.mjs";
import { LOOPBACK_GUARD_OPTION } from "./run-bundle.js";

describe("the harness's loopback-only guard", () => {
  it("allows loopback names and addresses only", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "api.localhost", "::1", "[::1]", undefined]) {
      expect(isLoopbackTarget(host), String(host)).toBe(true);
    }
    for (const host of ["api.vercel.com", "10.0.0.1", "192.168.1.1", "172.16.0.1", "8.8.8.8", "::ffff:10.0.0.1", "fe80::1"]) {
      expect(isLoopbackTarget(host), host).toBe(false);
    }
  });

  it("is preloaded by the option the harness gives every step, and guards socket connects there", () => {
    // Only inspects the patched method: no connection is attempted, so nothing can leave the machine even if it broke.
    const probe = spawnSync(
      process.execPath,
      [
        "-e",
        'import("node:net").then((net) => console.log(globalThis[Symbol.for("launchpad.loopbackOnly")], net.Socket.prototype.connect.name))',
      ],
      { env: { PATH: process.env.PATH, NODE_OPTIONS: LOOPBACK_GUARD_OPTION }, encoding: "utf8" },
    );
    expect(probe.stderr).toBe("");
    expect(probe.stdout.trim()).toBe("true guardedConnect");
  });
});
