// Preloaded (NODE_OPTIONS=--import) into every step the harness starts, and into the processes those start:
// a connection to anything but loopback or a local socket fails at once, before any packet leaves.
import net from "node:net";

export function isLoopbackTarget(host) {
  if (host === undefined || host === null || host === "") return true; // Node's default host is localhost
  const name = String(host)
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  return (
    name === "localhost" || name.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(name) || name === "::1" || name === "::ffff:127.0.0.1"
  );
}

function targetOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === "object") return first.path ? { local: true } : { host: first.host ?? first.hostname };
  if (typeof first === "string" && !/^\d+$/.test(first)) return { local: true }; // a unix socket path
  return { host: typeof args[1] === "string" ? args[1] : undefined };
}

const connect = net.Socket.prototype.connect;
globalThis[Symbol.for("launchpad.loopbackOnly")] = true;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const target = targetOf(args);
  if (!target.local && !isLoopbackTarget(target.host)) {
    throw new Error(`launchpad test harness: blocked a connection to ${target.host}; tests may reach loopback only`);
  }
  return connect.apply(this, args);
};
