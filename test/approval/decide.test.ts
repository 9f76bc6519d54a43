import { describe, expect, it } from "vitest";
import { decide, type Facts } from "../../src/approval/evaluate.js";
import type { ApprovalSettings } from "../../src/approval/settings.js";

const SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

const settings: ApprovalSettings = {
  environment: "production",
  sha: SHA,
  approvers: [
    { kind: "user", login: "Alice" },
    { kind: "user", login: "carol" },
    { kind: "team", org: "bb", slug: "sre" },
  ],
  requiredApprovals: 1,
  allowSelfApproval: false,
  requiredChecks: [],
  requireStaging: false,
  changeTicket: "CHG-1",
};

function facts(overrides: Partial<Facts> = {}): Facts {
  return {
    sha: SHA,
    actor: "someone",
    dispatched: true,
    now: "2026-12-01T00:00:00.000Z",
    pulls: [{ number: 7, author: "bob", merger: "bob", headSha: SHA }],
    reviews: new Map(),
    runApprovals: [],
    checks: new Map(),
    staging: [],
    pool: new Map([
      ["alice", "Alice"],
      ["carol", "carol"],
      ["sam", "sam"],
    ]),
    membership: async (login) => login === "sam",
    ...overrides,
  };
}

const at = (minute: number) => `2026-11-30T09:${String(minute).padStart(2, "0")}:00Z`;

describe("decide", () => {
  it("lets a later request for changes or a dismissal withdraw an approval, but not a later comment", async () => {
    const reviews = new Map([
      [
        7,
        [
          { login: "alice", state: "APPROVED", commitId: SHA, submittedAt: at(1) },
          { login: "alice", state: "COMMENTED", commitId: SHA, submittedAt: at(2) },
          { login: "carol", state: "APPROVED", commitId: SHA, submittedAt: at(3) },
          { login: "carol", state: "CHANGES_REQUESTED", commitId: SHA, submittedAt: at(4) },
          { login: "sam", state: "APPROVED", commitId: SHA, submittedAt: at(5) },
          { login: "sam", state: "DISMISSED", commitId: SHA, submittedAt: at(6) },
        ],
      ],
    ]);
    const decision = await decide({ ...settings, requiredApprovals: 2 }, facts({ reviews }));
    expect(decision.counted.map((approver) => approver.login)).toEqual(["alice"]);
    expect(decision.problems).toEqual(["needs 1 more approval (1 of 2 so far) from carol, sam (members of bb/sre included)"]);
  });

  it("matches logins without regard to case and counts a person once across channels", async () => {
    const decision = await decide(
      { ...settings, requiredApprovals: 1 },
      facts({
        actor: "ALICE",
        runApprovals: [{ login: "alice", environments: ["production"] }],
        reviews: new Map([[7, [{ login: "Alice", state: "APPROVED", commitId: SHA, submittedAt: at(1) }]]]),
      }),
    );
    expect(decision.approved).toBe(true);
    expect(decision.counted).toEqual([{ login: "ALICE", channel: "dispatch", at: "2026-12-01T00:00:00.000Z", via: "Alice" }]);
  });

  it("ignores the actor of a run that was not dispatched and environment reviews of another environment", async () => {
    const decision = await decide(
      settings,
      facts({ actor: "alice", dispatched: false, runApprovals: [{ login: "carol", environments: ["staging"] }] }),
    );
    expect(decision.approved).toBe(false);
    expect(decision.counted).toEqual([]);
  });

  it("treats a check still running as not green, naming its status", async () => {
    const checks = new Map([["compliance", [{ name: "compliance", status: "in_progress" }]]]);
    const decision = await decide({ ...settings, requiredChecks: ["compliance"] }, facts({ actor: "alice", checks }));
    expect(decision.problems).toEqual(["check 'compliance' is still in_progress on a1b2c3d"]);
  });
});
