import type { GitHubClient } from "./github.js";
import { LIMITS, truncate } from "./summary.js";

/**
 * Edits the issue/PR comment that carries `marker` (searched on every page, not only the first) or creates it:
 * one comment per marker, never a second, and no edit when the text is already there. Errors (a read-only token's 403) are the caller's to handle.
 */
export async function upsertStickyComment(
  github: GitHubClient,
  target: { owner: string; repo: string; issueNumber: number },
  marker: string,
  body: string,
): Promise<{ action: "created" | "updated" | "unchanged"; id: number }> {
  const { owner, repo, issueNumber } = target;
  const text = truncate(`${marker}\n${body}`, LIMITS.commentBody);
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const ours = comments.find((comment) => comment.body?.includes(marker));
  // GitHub spaces writes a second apart (the throttling plugin's write group): skip the one that changes nothing.
  if (ours?.body === text) return { action: "unchanged", id: ours.id };
  if (ours) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body: text });
    return { action: "updated", id: ours.id };
  }
  const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text });
  return { action: "created", id: data.id };
}
