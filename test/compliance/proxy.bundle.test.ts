import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitHubFake } from "../fakes/github.js";
import { GOOD_BODY, runCompliance, setPull, workspace } from "./world.js";

/** A name only the proxy can reach: @actions/http-client never proxies loopback hosts, so 127.0.0.1 would bypass it. */
const API_HOST = "api.github.launchpad.test";

/** A CONNECT proxy on 127.0.0.1 that tunnels every target to the fake, recording what it was asked for. */
async function startProxy(targetPort: number): Promise<{ server: Server; url: string; tunnels: string[]; plain: string[] }> {
  const tunnels: string[] = [];
  const plain: string[] = [];
  const server = createServer((request, response) => {
    plain.push(`${request.method} ${request.url}`);
    response.writeHead(502).end("this proxy only tunnels");
  });
  server.on("connect", (request, client, head) => {
    tunnels.push(request.url ?? "");
    const upstream = connect(targetPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels, plain };
}

describe("the GitHub client behind the runner's proxy (through the compliance bundle)", () => {
  let github: GitHubFake;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let caFile: string;

  beforeAll(async () => {
    const pems = await generate([{ name: "commonName", value: API_HOST }], {
      keyType: "ec",
      algorithm: "sha256",
      extensions: [
        { name: "basicConstraints", cA: true },
        { name: "subjectAltName", altNames: [{ type: 2, value: API_HOST }] },
      ],
    });
    caFile = join(mkdtempSync(join(tmpdir(), "launchpad-proxy-ca-")), "ca.pem");
    writeFileSync(caFile, pems.cert);
    github = await new GitHubFake({ tls: { key: pems.private, cert: pems.cert } }).start();
    proxy = await startProxy(Number(new URL(github.url).port));
  });
  afterAll(async () => {
    proxy.server.closeAllConnections();
    await new Promise((resolve) => proxy.server.close(resolve));
    await github.stop();
  });

  it("reaches GITHUB_API_URL through HTTPS_PROXY, TLS verified end to end", { timeout: 60_000 }, async () => {
    setPull(github, GOOD_BODY, []);
    const apiUrl = `https://${API_HOST}:${new URL(github.url).port}`;
    const result = await runCompliance(github, workspace(), {
      env: { GITHUB_API_URL: apiUrl, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile },
    });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${API_HOST}:${new URL(github.url).port}`]));
    expect(proxy.plain).toEqual([]);
    expect(github.requestsTo("GET", "/repos/blockbuilders/platform/pulls/42")[0].headers.host).toBe(
      `${API_HOST}:${new URL(github.url).port}`,
    );
    expect(github.checkRuns).toHaveLength(1);
  });

  it("goes direct for a host in NO_PROXY (here: refused by the test's loopback guard, never via the proxy)", {
    timeout: 60_000,
  }, async () => {
    const before = proxy.tunnels.length;
    const requestsBefore = github.requests.length;
    const result = await runCompliance(github, workspace(), {
      env: {
        GITHUB_API_URL: `https://${API_HOST}:${new URL(github.url).port}`,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: `localhost,.launchpad.test`,
        NODE_EXTRA_CA_CERTS: caFile,
      },
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::Could not read pull request #42 of blockbuilders/platform from GitHub:");
    expect(result.stdout).toContain(`blocked a connection to ${API_HOST}`);
    expect(proxy.tunnels.length).toBe(before);
    expect(github.requests.length).toBe(requestsBefore);
  });
});
