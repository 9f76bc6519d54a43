import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect, type PeerCertificate } from "node:tls";

export interface ProbeResponse {
  status: number;
  /** The body, up to {@link MAX_BODY_BYTES}; the rest is never read. */
  body: string;
  latencyMs: number;
  /** True when the body was longer than the cap and the request was aborted after it. */
  truncated: boolean;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * One HTTP(S) request bounded as a whole: `timeoutMs` covers connecting, the headers and the entire body, so a
 * server that trickles bytes or streams forever cannot hold the step. The body is read up to a cap (enough for
 * `contains`), then the request is aborted.
 */
export function probe(url: URL, method: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResponse> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = send(url, { method, signal, headers: { "user-agent": "launchpad-verify", accept: "*/*" } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => {
        clearTimeout(deadline);
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          latencyMs: Math.round(performance.now() - started),
          truncated,
        });
      };
      response.on("data", (chunk: Buffer) => {
        const room = MAX_BODY_BYTES - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += chunk.length;
        if (size < MAX_BODY_BYTES) return;
        finish(true);
        request.destroy();
      });
      response.on("end", () => finish(false));
      response.on("error", reject);
    });
    const deadline = setTimeout(() => {
      reject(new Error(`no complete response within ${timeoutMs}ms`));
      request.destroy();
    }, timeoutMs);
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end();
  });
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validTo: Date;
}

/** Reads the served certificate over a verified TLS handshake (the system CAs plus NODE_EXTRA_CA_CERTS). */
export function readCertificate(url: URL, timeoutMs: number): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const socket = connect({ host, port: Number(url.port || 443), servername: isIp(host) ? undefined : host, timeout: timeoutMs }, () => {
      const certificate: PeerCertificate = socket.getPeerCertificate();
      socket.end();
      resolve({
        subject: String(certificate.subject?.CN ?? ""),
        issuer: String(certificate.issuer?.CN ?? ""),
        validTo: new Date(certificate.valid_to),
      });
    });
    socket.on("timeout", () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs}ms`)));
    socket.on("error", reject);
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}

/** Turns Node's network error codes into words a deploy engineer reads at a glance. */
export function describeNetworkError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "host not found",
    ECONNRESET: "connection reset",
    EHOSTUNREACH: "host unreachable",
    CERT_HAS_EXPIRED: "certificate expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate not trusted",
    SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in chain not trusted",
    ERR_TLS_CERT_ALTNAME_INVALID: "certificate does not match the host name",
    ABORT_ERR: "aborted",
  };
  return (code && words[code]) || (error instanceof Error ? error.message : String(error));
}
