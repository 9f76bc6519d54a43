import { ConfigurationError, RemoteError } from "../lib/errors.js";
import type { GitHubClient } from "../lib/github.js";
import type { Repository } from "./api-source.js";

export interface DraftRelease {
  id: number;
  url: string;
  created: boolean;
}

/** GitHub lists at most 1,000 releases (10 pages of 100); past that the list endpoint fails. */
const MAX_RELEASE_PAGES = 10;

/**
 * Creates the draft release for a tag, or updates the one an earlier run created: exactly one per version. Drafts
 * have no tag until published, so `GET /releases/tags/{tag}` cannot find them; the list (newest first) can.
 */
export async function upsertDraftRelease(
  client: GitHubClient,
  repository: Repository,
  release: { tag: string; name: string; body: string; targetSha: string },
): Promise<DraftRelease> {
  const existing = await findRelease(client, repository, release.tag);
  if (existing && !existing.draft) {
    throw new ConfigurationError(
      `Version tag ${release.tag} is already published as a release (${existing.html_url}); set a greater version.`,
    );
  }
  try {
    if (existing) {
      const { data } = await client.rest.repos.updateRelease({
        ...repository,
        release_id: existing.id,
        name: release.name,
        body: release.body,
        draft: true,
        target_commitish: release.targetSha,
      });
      return { id: data.id, url: data.html_url, created: false };
    }
    const { data } = await client.rest.repos.createRelease({
      ...repository,
      tag_name: release.tag,
      target_commitish: release.targetSha,
      name: release.name,
      body: release.body,
      draft: true,
    });
    return { id: data.id, url: data.html_url, created: true };
  } catch (error) {
    throw remoteFailure(error, `${existing ? "update" : "create"} the draft release ${release.tag}`);
  }
}

interface ListedRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  html_url: string;
}

async function findRelease(client: GitHubClient, repository: Repository, tag: string): Promise<ListedRelease | undefined> {
  let pages = 0;
  for await (const page of client.paginate.iterator(client.rest.repos.listReleases, { ...repository, per_page: 100 })) {
    const found = (page.data as ListedRelease[]).find((release) => release.tag_name === tag);
    if (found) return found;
    if (++pages >= MAX_RELEASE_PAGES) break;
  }
  return undefined;
}

function remoteFailure(error: unknown, doing: string): RemoteError {
  const failure = error as {
    status?: number;
    response?: { data?: { message?: string; errors?: Array<{ message?: string }> } };
    message?: string;
  };
  const data = failure.response?.data;
  const detail = [data?.message, ...(data?.errors ?? []).map((item) => item.message)].filter(Boolean).join(": ") || failure.message;
  return new RemoteError(`GitHub refused to ${doing} (${failure.status ?? "no status"}): ${detail}.`, failure.status);
}
