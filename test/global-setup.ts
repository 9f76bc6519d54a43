/** Runs once before the suite: nothing in a test may reach beyond loopback, so drop proxies that could route it there. */
export default function setup(): void {
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "VERCEL_TEAM_ID", "AWS_PROFILE"]) delete process.env[name];
}
