import { EventEmitter } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onCancel, withDeadline } from "../../src/lib/cancel.js";
import { readRunContext } from "../../src/lib/context.js";
import { CancelledError } from "../../src/lib/errors.js";

describe("cancellation", () => {
  it("aborts on SIGINT with a CancelledError that names the signal, and stops listening on dispose", () => {
    const fakeProcess = new EventEmitter();
    const cancellation = onCancel({ processLike: fakeProcess });
    fakeProcess.emit("SIGINT");
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.signal.reason).toBeInstanceOf(CancelledError);
    expect((cancellation.signal.reason as Error).message).toBe("The job was cancelled (SIGINT).");
    cancellation.dispose();
    expect(fakeProcess.listenerCount("SIGINT") + fakeProcess.listenerCount("SIGTERM")).toBe(0);
  });

  it("aborts at the deadline with a message naming the operation", async () => {
    const signal = withDeadline(undefined, 20, "Deployment");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe("Deployment timed out after 20ms.");
  });

  it("passes the job's cancellation through a deadline", () => {
    const job = new AbortController();
    const signal = withDeadline(job.signal, 60_000, "Deployment");
    job.abort(new CancelledError("The job was cancelled (SIGTERM)."));
    expect((signal.reason as Error).message).toBe("The job was cancelled (SIGTERM).");
  });
});

describe("run context", () => {
  it("reads a pull_request event: PR number, head SHA and branch, and whether it comes from a fork", () => {
    const dir = mkdtempSync(join(tmpdir(), "context-"));
    const eventPath = join(dir, "event.json");
    writeFileSync(
      eventPath,
      JSON.stringify({
        pull_request: {
          number: 7,
          head: { sha: "headsha", ref: "feature/x", repo: { full_name: "fork/platform" } },
          base: { repo: { full_name: "blockbuilders/platform" } },
        },
      }),
    );
    const context = readRunContext({
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_REPOSITORY: "blockbuilders/platform",
      GITHUB_SHA: "mergesha",
      GITHUB_REF: "refs/pull/7/merge",
      GITHUB_HEAD_REF: "feature/x",
      GITHUB_RUN_ID: "99",
    });
    expect(context.pullRequest).toEqual({ number: 7, headSha: "headsha", headRef: "feature/x", fork: true });
    expect(context.refName).toBe("feature/x");
    expect(context.repository).toEqual({ owner: "blockbuilders", repo: "platform" });
    expect(context.runId).toBe("99");
  });
});
