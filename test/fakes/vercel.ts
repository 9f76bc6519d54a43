import { createHash, randomBytes } from "node:crypto";
import { HttpFake, type RecordedRequest, type Reply } from "./http-fake.js";
import { readTarball } from "./tarball.js";

/** The names @vercel/client gives archive parts: `.vercel/source.tgz.part1`, `…part2`… */
const ARCHIVE_PART = /^\.vercel\/source\.tgz\.part(\d+)$/;

/** One file found inside an archive deployment's tarball. */
export interface ArchivedFile {
  path: string;
  size: number;
  sha: string;
}

/** How a fake deployment ends once it has been created. */
export type FakeOutcome = "READY" | "ERROR" | "CANCELED" | "READY_WITHOUT_ALIAS";

export interface FakeDeployment {
  id: string;
  url: string;
  name: string;
  project?: string;
  target?: string;
  customEnvironmentSlugOrId?: string;
  meta?: Record<string, string>;
  query: Record<string, string>;
  files: Array<{ file: string; sha?: string; size?: number; mode?: number }>;
  /** For an archive deployment: the files its parts unpack to. */
  archived?: ArchivedFile[];
  readyState: string;
  aliasAssigned: number | null;
  outcome: FakeOutcome;
  /** Status polls left before the deployment reaches its outcome. */
  pollsLeft: number;
  aliases: string[];
  createdAt: number;
}

export interface FakeProject {
  id: string;
  name: string;
  productionDeploymentId?: string;
  lastAliasRequest?: {
    fromDeploymentId?: string;
    toDeploymentId: string;
    jobStatus: string;
    requestedAt: number;
    type: "promote" | "rollback";
  };
  /** Project polls left before a promote/rollback finishes. */
  aliasPollsLeft: number;
}

/**
 * The Vercel REST API as @vercel/client 18 speaks it: the missing_files round trip, file uploads checked against
 * their sha1, status polling, aliases, projects with promote and instant rollback. Every route checks the bearer
 * token and, when `teamId` is set, the team query parameter.
 */
export class VercelFake extends HttpFake {
  token = "vercel-test-token";
  teamId?: string;
  /** What newly created deployments do, and after how many status polls. */
  outcome: FakeOutcome = "READY";
  pollsToFinish = 1;
  /** Polls of the project before a promote/rollback reports `succeeded`; "fail" makes it report `failed`. */
  aliasPollsToFinish = 1;
  aliasJobResult: "succeeded" | "failed" = "succeeded";
  /** Alias names that another project already holds: assigning them answers 409. */
  readonly takenAliases = new Set<string>();
  readonly blobs = new Map<string, Buffer>();
  readonly deployments = new Map<string, FakeDeployment>();
  readonly projects = new Map<string, FakeProject>();
  /** alias → deployment id */
  readonly aliases = new Map<string, string>();
  /** Answers uploads with 200 but forgets them, as when they land in another account: a missing_files loop. */
  discardUploads = false;
  /** Keeps uploaded contents (tests compare them); the bench turns it off to hold only the shas. */
  keepContent = true;
  /** Checks each upload against its x-now-digest; the bench turns it off so the fake's hashing does not count. */
  verifyDigests = true;
  uploadedBytes = 0;
  uploadedFiles = 0;
  /** How many creation calls answered missing_files, and with how many shas in total. */
  missingFilesAnswers = 0;
  /** Vercel's cap on the files one deployment may list. */
  fileLimit = 15_000;
  /**
   * The account's file-upload quota for this run (`api-upload-free` is 5,000 a day): past `total` accepted uploads,
   * POST /v2/files answers 429 rate_limited with the limit and its reset. Undefined: no quota.
   */
  uploadQuota?: { name: string; total: number; resetAt: number };
  /** Uploads refused with the quota's 429. */
  quotaRefusals = 0;

  constructor() {
    super();
    this.route("POST", "/v13/deployments", (request) => this.guard(request, () => this.create(request)));
    this.route("POST", "/v2/files", (request) => this.guard(request, () => this.upload(request)));
    this.route("GET", "/v13/deployments/:idOrUrl", (request, { idOrUrl }) => this.guard(request, () => this.status(idOrUrl)));
    this.route("POST", "/v2/deployments/:id/aliases", (request, { id }) => this.guard(request, () => this.assignAlias(id, request)));
    this.route("GET", "/v9/projects/:id", (request, { id }) => this.guard(request, () => this.getProject(id)));
    this.route("POST", "/v10/projects/:id/promote/:deploymentId", (request, params) =>
      this.guard(request, () => this.requestAlias(params.id, params.deploymentId, "promote")),
    );
    this.route("POST", "/v1/projects/:id/rollback/:deploymentId", (request, params) =>
      this.guard(request, () => this.requestAlias(params.id, params.deploymentId, "rollback")),
    );
  }

  addProject(id: string, name = id): FakeProject {
    const project: FakeProject = { id, name, aliasPollsLeft: 0 };
    this.projects.set(id, project);
    return project;
  }

  /** A READY deployment that exists before the test (e.g. the one to roll back to). */
  addDeployment(fields: Partial<FakeDeployment> & { id: string }): FakeDeployment {
    const deployment: FakeDeployment = {
      url: `${fields.id.replace(/^dpl_/, "app-").toLowerCase()}.vercel.app`,
      name: "app",
      query: {},
      files: [],
      readyState: "READY",
      aliasAssigned: Date.now(),
      outcome: "READY",
      pollsLeft: 0,
      aliases: [],
      createdAt: Date.now(),
      ...fields,
    };
    this.deployments.set(deployment.id, deployment);
    return deployment;
  }

  latestDeployment(): FakeDeployment | undefined {
    return [...this.deployments.values()].at(-1);
  }

  private guard(request: RecordedRequest, work: () => Reply | Promise<Reply>): Reply | Promise<Reply> {
    const auth = String(request.headers.authorization ?? "");
    if (auth !== `Bearer ${this.token}`) {
      return error(403, "forbidden", "Not authorized", { invalidToken: true });
    }
    if (this.teamId && request.query.get("teamId") !== this.teamId) {
      return error(403, "forbidden", "You don't have permission to access this resource.");
    }
    return work();
  }

  private async create(request: RecordedRequest): Promise<Reply> {
    const body = request.json ?? {};
    const listed = body.files?.length ?? 0;
    if (listed > this.fileLimit) {
      return error(400, "bad_request", `Invalid request: \`files\` should NOT have more than ${this.fileLimit} items, received ${listed}.`);
    }
    const files: FakeDeployment["files"] = [];
    const missing = new Set<string>();
    for (const entry of body.files ?? []) {
      if (entry.data !== undefined) {
        // Small all-HTML deployments are inlined (base64) instead of uploaded.
        const data = Buffer.from(entry.data, entry.encoding === "base64" ? "base64" : "utf8");
        const sha = sha1(data);
        this.blobs.set(sha, data);
        files.push({ file: entry.file, sha, size: data.length, mode: entry.mode });
        continue;
      }
      if (!entry.sha || !this.blobs.has(entry.sha)) missing.add(entry.sha);
      files.push({ file: entry.file, sha: entry.sha, size: entry.size, mode: entry.mode });
    }
    if (missing.size) {
      this.missingFilesAnswers++;
      return error(400, "missing_files", "Missing files", { missing: [...missing] });
    }
    if (body.project && this.projects.size && !this.projects.has(body.project)) {
      return error(404, "not_found", `Project not found: ${body.project}`);
    }
    let archived: ArchivedFile[] | undefined;
    // Without kept contents (the bench) there is nothing to unpack.
    if (this.keepContent && files.length && files.every((file) => ARCHIVE_PART.test(file.file))) {
      try {
        archived = await this.unpack(files);
      } catch (failure) {
        return error(400, "invalid_archive", `The archive could not be unpacked: ${(failure as Error).message}`);
      }
    }
    const id = `dpl_${randomBytes(9).toString("hex")}`;
    const name = String(body.name ?? "app");
    const deployment: FakeDeployment = {
      id,
      url: `${name}-${id.slice(4, 13)}-blockbuilders.vercel.app`,
      name,
      project: body.project,
      target: body.target,
      customEnvironmentSlugOrId: body.customEnvironmentSlugOrId,
      meta: body.meta,
      query: Object.fromEntries(request.query),
      files,
      archived,
      readyState: this.pollsToFinish > 0 ? "QUEUED" : "READY",
      aliasAssigned: null,
      outcome: this.outcome,
      pollsLeft: this.pollsToFinish,
      aliases: [],
      createdAt: Date.now(),
    };
    this.deployments.set(id, deployment);
    if (deployment.pollsLeft === 0) this.finish(deployment);
    return { body: this.view(deployment) };
  }

  /** Joins the parts in order, gunzips and reads the tarball: what Vercel builds an archive deployment from. */
  private async unpack(parts: FakeDeployment["files"]): Promise<ArchivedFile[]> {
    const ordered = [...parts].sort((a, b) => Number(ARCHIVE_PART.exec(a.file)?.[1]) - Number(ARCHIVE_PART.exec(b.file)?.[1]));
    const tarball = Buffer.concat(ordered.map((part) => this.blobs.get(part.sha ?? "") ?? Buffer.alloc(0)));
    const entries = await readTarball(tarball);
    return entries
      .filter((entry) => entry.header.type === "file")
      .map((entry) => ({ path: entry.header.name, size: entry.data.length, sha: sha1(entry.data) }));
  }

  private upload(request: RecordedRequest): Reply {
    const quota = this.uploadQuota;
    if (quota && this.uploadedFiles >= quota.total) {
      this.quotaRefusals++;
      return error(429, "rate_limited", `Too many requests - try again in 24 hours (more than ${quota.total}, code: "${quota.name}").`, {
        limit: { remaining: 0, reset: Math.floor(quota.resetAt / 1000), total: quota.total },
      });
    }
    const digest = String(request.headers["x-now-digest"] ?? "");
    const size = Number(request.headers["x-now-size"]);
    if (size !== request.body.length || (this.verifyDigests && sha1(request.body) !== digest)) {
      return error(400, "invalid_file", `The uploaded content does not match its digest ${digest}.`);
    }
    if (!this.discardUploads) this.blobs.set(digest, this.keepContent ? request.body : Buffer.alloc(0));
    this.uploadedBytes += request.body.length;
    this.uploadedFiles++;
    return { body: {} };
  }

  private status(idOrUrl: string): Reply {
    const host = idOrUrl.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    const deployment = this.deployments.get(idOrUrl) ?? [...this.deployments.values()].find((candidate) => candidate.url === host);
    if (!deployment) return error(404, "not_found", "The deployment was not found.");
    if (deployment.pollsLeft > 0) {
      deployment.pollsLeft--;
      if (deployment.pollsLeft === 0) this.finish(deployment);
      else deployment.readyState = "BUILDING";
    }
    return { body: this.view(deployment) };
  }

  private finish(deployment: FakeDeployment): void {
    const ready = deployment.outcome === "READY" || deployment.outcome === "READY_WITHOUT_ALIAS";
    deployment.readyState = ready ? "READY" : deployment.outcome;
    if (deployment.outcome !== "READY") return;
    deployment.aliasAssigned = Date.now();
    const project = deployment.project ? this.projects.get(deployment.project) : undefined;
    if (project && deployment.target === "production") project.productionDeploymentId = deployment.id;
  }

  private view(deployment: FakeDeployment): Record<string, unknown> {
    return {
      id: deployment.id,
      url: deployment.url,
      name: deployment.name,
      readyState: deployment.readyState,
      aliasAssigned: deployment.aliasAssigned,
      aliasError: null,
      target: deployment.target ?? null,
      inspectorUrl: `https://vercel.com/blockbuilders/${deployment.name}/${deployment.id.slice(4)}`,
      alias: deployment.aliases,
      createdAt: deployment.createdAt,
      ...(deployment.readyState === "ERROR" ? { errorCode: "BUILD_FAILED", errorMessage: 'Command "pnpm build" exited with 1' } : {}),
    };
  }

  private assignAlias(id: string, request: RecordedRequest): Reply {
    const deployment = this.deployments.get(id);
    if (!deployment) return error(404, "not_found", "The deployment was not found.");
    const alias = String(request.json?.alias ?? "");
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(alias)) return error(400, "invalid_alias", `The alias "${alias}" is not valid.`);
    if (this.takenAliases.has(alias)) return error(409, "alias_in_use", `The alias "${alias}" is already in use by another project.`);
    this.aliases.set(alias, id);
    if (!deployment.aliases.includes(alias)) deployment.aliases.push(alias);
    return {
      status: 200,
      body: { uid: `alias_${randomBytes(6).toString("hex")}`, alias, created: new Date().toISOString(), oldDeploymentId: null },
    };
  }

  private getProject(id: string): Reply {
    const project = this.projects.get(id);
    if (!project) return error(404, "not_found", "Project not found.");
    const request = project.lastAliasRequest;
    if (request?.jobStatus === "in-progress") {
      project.aliasPollsLeft--;
      if (project.aliasPollsLeft <= 0) {
        request.jobStatus = this.aliasJobResult;
        if (this.aliasJobResult === "succeeded") project.productionDeploymentId = request.toDeploymentId;
      }
    }
    const production = project.productionDeploymentId ? this.deployments.get(project.productionDeploymentId) : undefined;
    return {
      body: {
        id: project.id,
        name: project.name,
        targets: production ? { production: { id: production.id, url: production.url, readyState: production.readyState } } : {},
        lastAliasRequest: project.lastAliasRequest ?? null,
      },
    };
  }

  private requestAlias(projectId: string, deploymentId: string, type: "promote" | "rollback"): Reply {
    const project = this.projects.get(projectId);
    if (!project) return error(404, "not_found", "Project not found.");
    const deployment = this.deployments.get(deploymentId);
    if (!deployment) return error(404, "not_found", "The deployment was not found.");
    if (deployment.readyState !== "READY") return error(400, "deployment_not_ready", "The deployment is not READY.");
    project.lastAliasRequest = {
      fromDeploymentId: project.productionDeploymentId,
      toDeploymentId: deploymentId,
      jobStatus: "in-progress",
      requestedAt: Date.now(),
      type,
    };
    project.aliasPollsLeft = this.aliasPollsToFinish;
    return { status: type === "promote" ? 202 : 201, body: {} };
  }
}

function sha1(data: Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

function error(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { error: { code, message, ...extra } } };
}
