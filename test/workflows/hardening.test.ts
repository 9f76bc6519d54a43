// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are workflow YAML, whose ${{ }} expressions are the point.
import { describe, expect, it } from "vitest";
import { lintWorkflows } from "../../scripts/actionlint.js";
import { REPO_ROOT } from "../harness/run-bundle.js";
import {
  allWorkflowFiles,
  awsThroughOidc,
  contextPaths,
  deployConcurrency,
  environmentsDeclared,
  isUntrusted,
  leastPrivilege,
  parseWorkflowText,
  pinnedActions,
  pullRequestTargetCheckout,
  readWorkflowFile,
  untrustedInScripts,
  type WorkflowFile,
} from "./rules.js";

const files = allWorkflowFiles(REPO_ROOT).map((path) => readWorkflowFile(REPO_ROOT, path));

/** A one-job workflow around the given job body (YAML lines, indented under the job). */
function workflow(job: string[], top: string[] = ["on: push"]): WorkflowFile {
  return parseWorkflowText("bad.yml", [...top, "jobs:", "  bad:", ...job.map((line) => `    ${line}`), ""].join("\n"));
}

const RULES = {
  untrustedInScripts,
  pullRequestTargetCheckout,
  leastPrivilege,
  awsThroughOidc,
  pinnedActions,
  deployConcurrency,
  environmentsDeclared,
};

describe("hardening rules over every workflow file", () => {
  it("covers the suite's workflows, its own CI and the example consumer's", () => {
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "workflows/ci-cd.yml",
        "workflows/pr-checks.yml",
        "workflows/promote.yml",
        "workflows/seed-staging.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        "examples/blockbuilders/.github/workflows/ci-cd.yml",
      ]),
    );
  });

  it.each(Object.entries(RULES))("%s: no findings", (_name, rule) => {
    expect(files.flatMap((file) => rule(file))).toEqual([]);
  });

  it("the example consumer's workflows pass actionlint too", async () => {
    const { files: linted, findings } = await lintWorkflows(`${REPO_ROOT}/examples/blockbuilders`);
    expect(linted.length).toBe(4);
    expect(findings).toEqual([]);
  });
});

describe("each rule finds what it is for", () => {
  it("an untrusted expression in run:, in either access form, but not a matrix value or the SHA", () => {
    const bad = workflow([
      "runs-on: ubuntu-latest",
      "permissions: {}",
      "steps:",
      "  - run: echo ${{ github.event.pull_request.title }}",
      "  - run: |",
      "      git checkout ${{ github['head_ref'] }}",
      "      echo ${{ matrix.shard }} ${{ github.sha }}",
      "  - run: echo ${{ format('{0}', inputs.version) }}",
    ]);
    const problems = untrustedInScripts(bad);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("github.event.pull_request.title");
    expect(problems[1]).toContain("github.head_ref");
    expect(problems[2]).toContain("inputs.version");
  });

  it("reads context paths with GitHub's expression parser", () => {
    expect(contextPaths("github.event.pull_request.head.repo.full_name == github.repository")).toEqual([
      ["github", "event", "pull_request", "head", "repo", "full_name"],
      ["github", "repository"],
    ]);
    expect(contextPaths("toJSON(github)")).toEqual([["github"]]);
    expect(isUntrusted(["github"])).toBe(true);
    expect(isUntrusted(["github", "run_id"])).toBe(false);
    expect(isUntrusted(["steps", "x", "outputs", "y"])).toBe(true);
  });

  it("a pull_request_target that checks out the PR head", () => {
    const bad = workflow(
      [
        "runs-on: ubuntu-latest",
        "permissions: {}",
        "steps:",
        "  - uses: actions/checkout@v5",
        "    with:",
        "      ref: ${{ github.event.pull_request.head.sha }}",
      ],
      ["on: pull_request_target"],
    );
    expect(pullRequestTargetCheckout(bad)).toEqual([expect.stringContaining("checks out the pull request's code")]);
  });

  it("a job without permissions, write-all, and id-token without a role to assume", () => {
    expect(leastPrivilege(workflow(["runs-on: ubuntu-latest", "steps: [{run: echo}]"]))).toEqual([
      "bad.yml job bad: no permissions: block",
    ]);
    expect(leastPrivilege(workflow(["runs-on: ubuntu-latest", "permissions: write-all", "steps: [{run: echo}]"]))[0]).toContain(
      "write-all",
    );
    expect(leastPrivilege(workflow(["runs-on: ubuntu-latest", "permissions: {id-token: write}", "steps: [{run: echo}]"]))[0]).toContain(
      "without a step that assumes a role",
    );
  });

  it("long-lived AWS keys, and a role without id-token: write", () => {
    const bad = workflow([
      "runs-on: ubuntu-latest",
      "permissions: {contents: read}",
      "env:",
      "  AWS_SECRET_ACCESS_KEY: ${{ secrets.KEY }}",
      "steps:",
      "  - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2",
      "    with:",
      "      aws-access-key-id: ${{ secrets.ID }}",
    ]);
    const problems = awsThroughOidc(bad);
    expect(problems).toEqual([
      "bad.yml job bad (env): AWS_SECRET_ACCESS_KEY is a long-lived key",
      "bad.yml job bad: configure-aws-credentials with aws-access-key-id",
      "bad.yml job bad: configure-aws-credentials without role-to-assume",
      "bad.yml job bad: configure-aws-credentials without id-token: write",
    ]);
  });

  it("a third-party action on a tag, and a SHA without its version comment; actions/* may use a major tag", () => {
    const bad = workflow([
      "runs-on: ubuntu-latest",
      "permissions: {}",
      "steps:",
      "  - uses: actions/checkout@v5",
      "  - uses: docker/build-push-action@v6",
      "  - uses: docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435",
      "  - uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0",
    ]);
    expect(pinnedActions(bad)).toEqual([
      "bad.yml job bad: docker/build-push-action@v6 is not pinned to a full commit SHA",
      'bad.yml job bad: docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435 has no "# vX.Y.Z" comment',
    ]);
  });

  it("a deploy job without a per-environment group, or cancelling in progress", () => {
    const deploy = [
      "runs-on: ubuntu-latest",
      "permissions: {}",
      "environment: {name: staging, url: 'https://staging.example'}",
      "steps:",
      "  - uses: blockbuilders/launchpad/actions/ecs-blue-green@v1",
      "    with: {cluster: c, service: s, container-name: api}",
    ];
    expect(deployConcurrency(workflow(deploy))).toEqual(["bad.yml job bad: a deploy job without a concurrency group"]);
    expect(deployConcurrency(workflow([...deploy, "concurrency: {group: deploy, cancel-in-progress: false}"]))).toEqual([
      "bad.yml job bad: concurrency group deploy is not per environment (staging)",
    ]);
    expect(deployConcurrency(workflow([...deploy, "concurrency: {group: deploy-staging, cancel-in-progress: true}"]))).toEqual([
      "bad.yml job bad: a deploy job with cancel-in-progress",
    ]);
    const cancelling = workflow(
      [...deploy, "concurrency: {group: deploy-staging}"],
      ["on: push", "concurrency: {group: ci, cancel-in-progress: true}"],
    );
    expect(deployConcurrency(cancelling)).toEqual(["bad.yml: workflow concurrency cancels in progress, and it has deploy jobs"]);
  });

  it("an environment without its URL, and a preview deployed outside environment: preview", () => {
    const bad = workflow([
      "runs-on: ubuntu-latest",
      "permissions: {}",
      "environment: production",
      "steps:",
      "  - uses: blockbuilders/launchpad/actions/vercel-deploy@v1",
      "    with: {token: t, project-id: p}",
    ]);
    expect(environmentsDeclared(bad)).toEqual([
      "bad.yml job bad: environment production without its url",
      "bad.yml job bad: a preview deployment outside environment: preview",
    ]);
  });
});
