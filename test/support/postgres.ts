/**
 * A real PostgreSQL for tests. With LAUNCHPAD_TEST_DATABASE_URL set, that server is used; otherwise a throwaway cluster
 * is created from the Debian binaries (/usr/lib/postgresql/<version>/bin) on a free loopback port, with its socket in
 * a temp dir, and removed at the end. Each test file gets its own database. Without binaries the Postgres variants are
 * skipped with a visible reason, except under CI, where that is an error (scripts/ci-postgres.sh installs them).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresAvailability {
  available: boolean;
  /** Why the Postgres variants are skipped, when they are. */
  reason?: string;
  binDir?: string;
}

export function findPostgresBinaries(root = "/usr/lib/postgresql"): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

export function postgresAvailability(env: NodeJS.ProcessEnv = process.env, root?: string): PostgresAvailability {
  if (env.LAUNCHPAD_TEST_DATABASE_URL) return { available: true };
  const binDir = findPostgresBinaries(root);
  if (binDir) return { available: true, binDir };
  const reason =
    "no PostgreSQL binaries under /usr/lib/postgresql/*/bin and LAUNCHPAD_TEST_DATABASE_URL is unset (run scripts/ci-postgres.sh)";
  if (env.CI) throw new Error(`PostgreSQL tests cannot run under CI: ${reason}`);
  return { available: false, reason };
}

export interface PostgresServer {
  /** A URL for one database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** initdb refuses to run as root, so as root the cluster belongs to the `postgres` user. */
function runAsOwner(command: string[], asRoot: boolean): void {
  if (!asRoot) {
    execFileSync(command[0], command.slice(1), { stdio: "pipe" });
    return;
  }
  const quoted = command.map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(" ");
  execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", quoted], { stdio: "pipe" });
}

/** Starts a throwaway cluster (trust auth, loopback only, fsync off: it only has to survive the test run). */
export async function startPostgresCluster(binDir: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "launchpad-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const dataDir = join(dir, "data");
  const port = await freePort();
  runAsOwner([join(binDir, "initdb"), "-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync"], asRoot);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
  runAsOwner([join(binDir, "pg_ctl"), "-D", dataDir, "-o", options, "-l", join(dir, "log"), "-w", "start"], asRoot);
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      try {
        runAsOwner([join(binDir, "pg_ctl"), "-D", dataDir, "-m", "immediate", "-w", "stop"], asRoot);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const line = execFileSync("getent", ["passwd", "postgres"], { encoding: "utf8" }).trim();
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

export interface TestDatabase {
  url: string;
  /** Drops the database (and stops the cluster when this file started one). */
  dispose(): Promise<void>;
}

/** One database for one test file, on LAUNCHPAD_TEST_DATABASE_URL's server or on a cluster started for it. */
export async function createTestDatabase(prefix = "launchpad_test"): Promise<TestDatabase> {
  const shared = process.env.LAUNCHPAD_TEST_DATABASE_URL;
  const availability = postgresAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const server: PostgresServer = shared
    ? { url: (database) => withDatabase(shared, database), stop: async () => undefined }
    : await startPostgresCluster(availability.binDir!);
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(server.url("postgres"), `CREATE DATABASE ${name}`);
  return {
    url: server.url(name),
    async dispose() {
      try {
        await adminQuery(server.url("postgres"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await server.stop();
      }
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(url: string, sql: string, params?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
