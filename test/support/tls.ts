import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TestCertificate {
  key: string;
  cert: string;
  /** A PEM file to hand the child as NODE_EXTRA_CA_CERTS, so the handshake is really verified. */
  caFile: string;
}

/** A self-signed certificate for 127.0.0.1 that expires `days` from now. */
export async function makeCertificate(dir: string, days: number): Promise<TestCertificate> {
  const notBeforeDate = new Date(Date.now() - 86_400_000);
  const notAfterDate = new Date(Date.now() + days * 86_400_000);
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    notBeforeDate,
    notAfterDate,
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  const caFile = join(dir, `ca-${days}d.pem`);
  writeFileSync(caFile, pems.cert);
  return { key: pems.private, cert: pems.cert, caFile };
}
